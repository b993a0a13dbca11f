/**
 * The shared vocabulary of the engine: what the loader produces, what rules consume and return,
 * and what formatters print. `lint` and `diff` both speak it, so they share loading and reporting.
 */

export type Severity = 'error' | 'warning';

/** A path into a Kubernetes object, as JSON keys and array indexes: ['spec', 'template', 'spec', 'containers', 0]. */
export type Path = ReadonlyArray<string | number>;

/** 1-based line and column in a source file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Identity of a Kubernetes object as findings print it. */
export interface ObjectRef {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** One reported problem. This is the JSON output shape of DESIGN.md. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly object?: ObjectRef;
  /** `diff --git-base REF` only: the finding is in `file` as committed at this revision (REF), not in the working tree. */
  readonly revision?: string;
  /** The Helm template that rendered the object, from the `# Source:` comment `helm template` writes before it. */
  readonly template?: string;
}

/** A Kubernetes object as parsed from YAML (any shape: schema validation comes later). */
export interface KubeObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: {
    name?: unknown;
    namespace?: unknown;
    labels?: unknown;
    annotations?: unknown;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One YAML document that holds an object (a mapping), with its source map. */
export interface Manifest {
  /** The path as the user gave it, or `<stdin>`, or a synthetic name such as a chart's id. */
  readonly file: string;
  /** 0-based index of the document in its file (items of a `kind: List` share their list's index). */
  readonly docIndex: number;
  readonly object: KubeObject;
  /** The Helm template that rendered the object, from the `# Source:` comment `helm template` writes before it. */
  readonly template?: string;
  /**
   * Where `path` is in the source: the key of the deepest existing node along the path
   * (so `['spec', 'serviceName']` points at the `serviceName:` line), else the document start.
   */
  locate(path: Path): Position;
}

/**
 * What the linter knows about the cluster the set is applied to (`--default-storage-class`, the config file, the
 * plugin properties). Unknown facts are left out; rules then say what each possibility gives.
 */
export interface ClusterProfile {
  /**
   * The cluster's default StorageClass (what the DefaultStorageClass admission plugin gives a claim that sets no
   * class): a class name, `null` for "no default class" (kubeadm), undefined when unknown.
   */
  readonly defaultStorageClass?: string | null;
  /** StorageClasses known to provision volumes on the cluster although the linted files do not define them. */
  readonly provisioningClasses?: readonly string[];
}

/** Everything a rule may know about the whole linted set. Built once per run. */
export interface LintContext {
  readonly manifests: readonly Manifest[];
  /** The cluster the set is applied to, as far as it is known. */
  readonly cluster: ClusterProfile;
  /**
   * The linted files are the whole set (`--complete`): what they name but do not define (a Service, a PV) is an
   * error. Otherwise it is a note: a pre-commit hook passes only the files being committed.
   */
  readonly complete: boolean;
  /** Adds a line to the run's summary notes (what the set names but does not define, when it is not complete). */
  note(message: string): void;
  /** Namespace assumed for namespaced objects that set none (kubectl's default: `default`). */
  readonly defaultNamespace: string;
  /** The object's namespace: metadata.namespace, else defaultNamespace; '' for cluster-scoped kinds. */
  namespaceOf(m: Manifest): string;
  /**
   * All manifests of a built-in kind (e.g. 'StatefulSet': apps/v1 only), in input order. Only objects at an
   * apiVersion Kubernetes 1.28 serves for that kind count: a CRD's kind of the same name in another group does not.
   * Of several copies of one object (same namespace and name) only the last is listed: it is the one applied.
   */
  byKind(kind: string): readonly Manifest[];
  /** The manifest of this built-in kind, namespace ('' for cluster-scoped) and name; of copies, the last (as kubectl). */
  find(kind: string, namespace: string, name: string): Manifest | undefined;
  /** Compute once per run and share between rules and objects (cross-resource indexes, binding simulation). */
  memo<T>(key: string, build: () => T): T;
}

/** A rule's `kinds` entry for every object of the set. */
export const EVERY_OBJECT = '*';

/** One side (OLD or NEW) of a paired object. */
export interface ObjectRevision {
  readonly manifest: Manifest;
  /** The object with API defaults filled in (see lib/diff/normalize.ts): what the API server would store. */
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

/** Everything a revision rule may look at besides its own pair (e.g. the PVs bound to a StatefulSet's claims). */
export interface DiffContext {
  readonly oldManifests: readonly Manifest[];
  readonly newManifests: readonly Manifest[];
  readonly pairs: readonly ObjectPair[];
}

/** A rule as the catalogue, `rules` and the SARIF driver describe it. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
  /** When it runs: on each document or object, on the whole set (`lint`), or on two revisions (`diff`). */
  readonly phase: RulePhase;
}

/**
 * `document`: a file's text (the loader: yaml-syntax); `object`: one object on its own; `set`: an object among the
 * whole linted set (cross-resource); `revision`: an object in two revisions (`diff`).
 */
export type RulePhase = 'document' | 'object' | 'set' | 'revision';

/** Totals of a run, printed by every formatter. */
export interface ReportSummary {
  readonly files: number;
  readonly documents: number;
  readonly errors: number;
  readonly warnings: number;
  /** Objects not schema-checked because their kind is unknown (CRDs). */
  readonly skipped: number;
  /** One line each, e.g. which unknown kinds were skipped. */
  readonly notes?: readonly string[];
  /** `diff` only: objects of the two revisions by what happened to them. */
  readonly added?: number;
  readonly removed?: number;
  readonly changed?: number;
  readonly unchanged?: number;
}

export type ChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** `diff` only: one object-level change, for listing what was added, removed or changed. */
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
  /** The git revision `file` is read at, for a removed object of `diff --git-base REF`. */
  readonly revision?: string;
}

/** What `lint` (and `diff`) hand to a formatter. Findings are sorted by file, line, column. */
export interface LintReport {
  readonly findings: readonly Finding[];
  readonly summary: ReportSummary;
  /** Every input file, in order, including the clean ones (JUnit prints a passing suite for each). */
  readonly inputs?: readonly string[];
  /** `diff` only: every object of the two revisions and what happened to it. */
  readonly objects?: readonly ObjectChange[];
}
