import type { RuleRegistry } from '../core/rule';
import type { Finding, LintReport, ReportSummary } from '../core/types';

export type { DiffContext, ObjectPair, ObjectRevision } from '../core/types';

export type ChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** Totals of a diff: the lint summary plus object counts. */
export interface DiffSummary extends ReportSummary {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
}

/** One object-level change, for listing what was added, removed or changed. */
export interface ObjectChange {
  readonly status: ChangeStatus;
  readonly group: string;
  readonly kind: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
  /** Where the object is in NEW (in OLD for removals). */
  readonly file: string;
  readonly line: number;
}

/** What `diff` hands to a formatter: a lint report (same findings, same formats) plus the object changes. */
export interface DiffReport extends LintReport {
  readonly findings: Finding[];
  readonly summary: DiffSummary;
  readonly objects: ObjectChange[];
}

export interface DiffOptions {
  /** The rules to run: the registry's revision rules (lib/rules `registry`). */
  readonly registry: RuleRegistry;
  /** Namespace of namespaced objects that set none (default `default`, as kubectl). */
  readonly defaultNamespace?: string;
}
