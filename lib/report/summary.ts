/** Wording shared by the formatters that print a summary line. */
import type { LintReport } from '../core/types';
import { plural } from '../core/text';


/** `✖ 3 problems (2 errors, 1 warning) in 4 documents of 2 files` or `✔ no problems in 4 documents of 2 files`. */
export function summaryLine(report: LintReport): string {
  const { errors, warnings, documents, files, scope } = report.summary;
  const where = scope ?? `${plural(documents, 'document')} of ${plural(files, 'file')}`;
  if (errors + warnings === 0) return `✔ no problems in ${where}`;
  return `✖ ${plural(errors + warnings, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}) in ${where}`;
}
