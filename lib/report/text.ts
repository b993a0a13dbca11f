/** `path:line:col  error|warning  <message>  <rule-id>`, then notes, then a summary line. */
import type { LintReport } from '../core/types';
import { summaryLine } from './summary';
import { escapeControlCharacters } from '../core/text';

export function formatText(report: LintReport): string {
  const lines = report.findings.map(
    (finding) => `${finding.file}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.message}  ${finding.rule}`,
  );
  for (const note of report.summary.notes ?? []) lines.push(`note: ${note}`);
  lines.push(summaryLine(report));
  return `${lines.map(escapeControlCharacters).join('\n')}\n`;
}
