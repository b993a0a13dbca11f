/** The JSON shape of DESIGN.md: `{ findings: [{ rule, severity, message, file, line, column, object }], summary }`. */
import type { Finding, LintReport } from '../core/types';

function ordered(finding: Finding): Finding {
  const { rule, severity, message, file, line, column, object, revision, template } = finding;
  return { rule, severity, message, file, line, column, ...(object ? { object } : {}), ...(revision ? { revision } : {}), ...(template ? { template } : {}) };
}

export function formatJson(report: LintReport): string {
  const objects = report.objects === undefined ? {} : { objects: report.objects };
  return `${JSON.stringify({ findings: report.findings.map(ordered), summary: report.summary, ...objects }, null, 2)}\n`;
}
