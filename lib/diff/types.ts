import type { Finding, KubeObject, LintReport, Manifest, Path, ReportSummary, Severity } from '../core/types';

/** One side (OLD or NEW) of a paired object. */
export interface ObjectRevision {
  readonly manifest: Manifest;
  /** The object with API defaults filled in (see normalize.ts): what the API server would store. */
  readonly normalized: KubeObject;
}

/** An object identified by (group, kind, namespace, name), as found in OLD and/or NEW. */
export interface ObjectPair {
  readonly group: string;
  readonly kind: string;
  /** '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
  readonly old?: ObjectRevision;
  readonly new?: ObjectRevision;
}

export type ChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** Everything a check may look at besides its own pair (e.g. the PVs bound to a StatefulSet's claims). */
export interface DiffContext {
  readonly oldManifests: readonly Manifest[];
  readonly newManifests: readonly Manifest[];
  readonly pairs: readonly ObjectPair[];
}

/** What a check returns; run.ts turns it into a Finding located in the NEW (or, for 'old', the OLD) manifest. */
export interface DiffFinding {
  readonly severity: Severity;
  readonly message: string;
  /** Which revision the finding points into: 'new' unless the object was removed. */
  readonly side: 'old' | 'new';
  readonly path: Path;
}

/** A pure check of one object pair. */
export interface DiffCheck {
  /** Public rule id printed with the finding (e.g. 'immutable-field'). */
  readonly id: string;
  /** One line: what the check reports. */
  readonly description: string;
  /** Kinds the check looks at. */
  readonly kinds: readonly string[];
  check(pair: ObjectPair, ctx: DiffContext): readonly DiffFinding[];
}

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
  /** Namespace of namespaced objects that set none (default `default`, as kubectl). */
  readonly defaultNamespace?: string;
}
