/** Wording shared by the formatters: the summary line, and the notes under the findings. */
import type { LintReport, ObjectChange } from '../core/types';
import { plural } from '../core/text';
import { shownFile } from './paths';

/** `4 documents of 2 files`, or for a diff `5 objects in 2 revisions: 0 added, 1 removed, 0 changed, 4 unchanged`. */
function scope(report: LintReport): string {
  const { documents, files, added, removed, changed, unchanged } = report.summary;
  if (added === undefined || removed === undefined || changed === undefined || unchanged === undefined) {
    return `${plural(documents, 'document')} of ${plural(files, 'file')}`;
  }
  const objects = added + removed + changed + unchanged;
  return `${plural(objects, 'object')} in 2 revisions: ${added} added, ${removed} removed, ${changed} changed, ${unchanged} unchanged`;
}

/** `✖ 3 problems (2 errors, 1 warning) in 4 documents of 2 files` or `✔ no problems in 4 documents of 2 files`. */
export function summaryLine(report: LintReport): string {
  const { errors, warnings } = report.summary;
  const where = scope(report);
  if (errors + warnings === 0) return `✔ no problems in ${where}`;
  return `✖ ${plural(errors + warnings, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}) in ${where}`;
}

/** `added StatefulSet.apps default/web (dist/app.k8s.yaml:12)` */
export function describeObjectChange(change: ObjectChange): string {
  const kind = change.group ? `${change.kind}.${change.group}` : change.kind;
  const name = change.namespace ? `${change.namespace}/${change.name}` : change.name;
  return `${change.status} ${kind} ${name} (${shownFile(change)}:${change.line})`;
}

/** The notes printed under the findings: the run's own, then (diff) each object added or removed. */
export function notesOf(report: LintReport): string[] {
  const objects = (report.objects ?? []).filter((o) => o.status === 'added' || o.status === 'removed');
  return [...(report.summary.notes ?? []), ...objects.map(describeObjectChange)];
}
