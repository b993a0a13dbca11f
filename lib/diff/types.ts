import type { RuleRegistry } from '../core/rule';
import type { Settings } from '../core/settings';
import type { Finding, LintReport, ObjectChange, ReportSummary } from '../core/types';

export type { DiffContext, ObjectPair, ObjectRevision } from '../core/types';

export type { ChangeStatus, ObjectChange } from '../core/types';

/** Totals of a diff: the lint summary plus object counts. */
export interface DiffSummary extends ReportSummary {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
}

/** What `diff` hands to a formatter: a lint report (same findings, same formats) plus the object changes. */
export interface DiffReport extends LintReport {
  readonly findings: Finding[];
  readonly summary: DiffSummary;
  readonly objects: ObjectChange[];
}

/** The rules (the registry's revision rules) and the settings (`rules` turns them off or changes severities). */
export interface DiffOptions extends Settings {
  readonly registry: RuleRegistry;
}
