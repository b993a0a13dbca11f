/**
 * `path:line:col  error|warning  <message>  <rule-id>` (after the position, the `# Source:` template of an object
 * `helm template` rendered), then notes, then a summary line.
 */
import type { LintReport } from '../core/types';
import { escapeControlCharacters } from '../core/text';
import { shownFile } from './paths';
import { notesOf, summaryLine } from './summary';

export function formatText(report: LintReport): string {
  const lines = report.findings.map(
    (finding) =>
      `${shownFile(finding)}:${finding.line}:${finding.column}${finding.template ? ` (# Source: ${finding.template})` : ''}  ` +
      `${finding.severity}  ${finding.message}  ${finding.rule}`,
  );
  for (const note of notesOf(report)) lines.push(`note: ${note}`);
  lines.push(summaryLine(report));
  return `${lines.map(escapeControlCharacters).join('\n')}\n`;
}
