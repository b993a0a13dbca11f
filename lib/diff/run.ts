/**
 * `diff`'s engine: pair the objects of two revisions, run the checks on each pair, and report findings located
 * in the NEW revision (OLD for removals) in the same shape as `lint`.
 */
import { effectiveSeverity, formatMessage, type RevisionRule } from '../core/rule';
import type { Settings } from '../core/settings';
import type { DiffContext, Finding, Manifest, ObjectPair } from '../core/types';
import { isSuppressed } from '../core/ignore';
import { objectRef } from '../core/object-ref';
import { describeIdentity } from '../k8s/identity';
import { diffFields } from './changes';
import { isBuiltinKind } from './identity';
import { pairObjects } from './pair';
import type { ChangeStatus, DiffOptions, DiffReport, ObjectChange } from './types';

/**
 * Whether a paired object was added, removed, changed or left as it was (after normalisation). The apiVersion
 * (`apps/v1beta2` → `apps/v1`) and a spelled-out default namespace are not changes of the stored object.
 */
export function statusOf(pair: ObjectPair): ChangeStatus {
  if (!pair.old) return 'added';
  if (!pair.new) return 'removed';
  const changesStoredObject = (change: { display: string }): boolean =>
    change.display !== 'apiVersion' && change.display !== 'metadata.namespace';
  return diffFields(pair.old.normalized, pair.new.normalized).some(changesStoredObject) ? 'changed' : 'unchanged';
}

/** The findings of every rule on every pair, each located in its manifest, less those its annotation ignores. */
export function checkPairs(
  pairs: readonly ObjectPair[],
  ctx: DiffContext,
  rules: readonly RevisionRule[],
  settings: Settings = {},
  oldRevision?: string,
): Finding[] {
  const findings: Finding[] = [];
  const active = rules.filter((rule) => settings.rules?.[rule.id] !== 'off');
  for (const pair of pairs) {
    for (const rule of active) {
      if (!rule.kinds.includes(pair.kind) || !isBuiltinKind(pair.kind, pair.group)) continue;
      for (const finding of rule.check(pair, ctx)) {
        const manifest = (finding.side === 'old' ? pair.old : pair.new)?.manifest;
        const severity = effectiveSeverity(settings.rules, rule.id, finding.severity ?? rule.severity);
        if (!manifest || !severity || isSuppressed(rule.id, manifest)) continue;
        const { line, column } = manifest.locate(finding.path);
        findings.push({
          rule: rule.id,
          severity,
          message: formatMessage(rule, finding.messageId, finding.data),
          file: manifest.file,
          line,
          column,
          object: objectRef(manifest.object),
          ...(manifest.template ? { template: manifest.template } : {}),
          ...(finding.side === 'old' && oldRevision !== undefined ? { revision: oldRevision } : {}),
        });
      }
    }
  }
  return findings;
}

const byPosition = (a: Finding, b: Finding): number =>
  a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

function objectChange(pair: ObjectPair, status: ChangeStatus, oldRevision: string | undefined): ObjectChange {
  const manifest = (pair.new ?? pair.old)!.manifest;
  const { group, kind, namespace, name } = pair;
  const revision = pair.new === undefined && oldRevision !== undefined ? { revision: oldRevision } : {};
  return { status, group, kind, namespace, name, file: manifest.file, line: manifest.locate([]).line, ...revision };
}

export interface DiffInputs {
  /** Findings of loading NEW (YAML syntax ...), reported with the diff's own. */
  readonly loadFindings?: readonly Finding[];
  /**
   * Findings of loading OLD: problems the change did not make (a commit that fixes one must pass), so notes, not
   * findings; but a document OLD could not read may have held what NEW seems to add, unchecked: then a warning.
   */
  readonly oldLoadFindings?: readonly Finding[];
  /** Files read, both revisions (for the summary and JUnit). */
  readonly inputs?: readonly string[];
  readonly documents?: number;
  /** The git revision OLD was read at (`--git-base REF`): findings and changes located in OLD carry it. */
  readonly oldRevision?: string;
}

/** Compare two revisions already loaded. Pure: the same manifests give the same report. */
export function diffManifests(
  oldManifests: readonly Manifest[],
  newManifests: readonly Manifest[],
  options: DiffOptions & DiffInputs,
): DiffReport {
  const pairs = pairObjects(oldManifests, newManifests, options.defaultNamespace ?? 'default');
  const ctx: DiffContext = { oldManifests, newManifests, pairs };
  const loadFindings = (options.loadFindings ?? []).flatMap((finding) => {
    const severity = effectiveSeverity(options.rules, finding.rule, finding.severity);
    return severity ? [{ ...finding, severity }] : [];
  });
  const old = oldProblems(options.oldLoadFindings ?? [], pairs);
  const findings = [
    ...loadFindings,
    ...old.findings,
    ...checkPairs(pairs, ctx, options.registry.revisionRules, options, options.oldRevision),
  ].sort(byPosition);
  const objects = pairs.map((pair) => objectChange(pair, statusOf(pair), options.oldRevision));
  const notes = [...old.notes, ...namespaceMoveNotes(pairs)];
  const count = (status: ChangeStatus): number => objects.filter((o) => o.status === status).length;
  const inputs = options.inputs ?? [...new Set([...oldManifests, ...newManifests].map((m) => m.file))];
  const [added, removed, changed, unchanged] = (['added', 'removed', 'changed', 'unchanged'] as const).map(count);
  return {
    findings,
    objects,
    inputs,
    summary: {
      files: inputs.length,
      documents: options.documents ?? oldManifests.length + newManifests.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      skipped: 0,
      added,
      removed,
      changed,
      unchanged,
      ...(notes.length > 0 ? { notes } : {}),
    },
  };
}

/**
 * An object OLD puts in a namespace and NEW writes without one (moved to a kustomization's `namespace:` or to
 * `kubectl apply -n`) is paired as a removal and an addition in the default namespace: a note says how to compare
 * the two, since then the checks of a change do not run.
 */
export function namespaceMoveNotes(pairs: readonly ObjectPair[]): string[] {
  const written = (pair: ObjectPair, side: 'old' | 'new') => pair[side]?.manifest.object.metadata?.namespace;
  const added = new Map<string, ObjectPair>();
  for (const pair of pairs) {
    if (!pair.old && pair.new && written(pair, 'new') === undefined) added.set(`${pair.group}/${pair.kind}/${pair.name}`, pair);
  }
  const notes: string[] = [];
  for (const pair of pairs) {
    if (pair.new || !pair.old || typeof written(pair, 'old') !== 'string') continue;
    const unplaced = added.get(`${pair.group}/${pair.kind}/${pair.name}`);
    if (unplaced === undefined) continue;
    notes.push(
      `${describeIdentity(unplaced)}: OLD places it in namespace "${pair.namespace}" instead; if NEW is applied there ` +
        `(kubectl apply -n, a kustomization's namespace:), it may be the same object: run diff -n ${pair.namespace} to ` +
        'check the change',
    );
  }
  return notes;
}

/** How many of the objects NEW adds a warning names before it counts the rest. */
const NAMED_ADDITIONS = 5;

/**
 * OLD's load findings. One about an object OLD read (a duplicate key) left nothing unread: a note. One about a
 * document OLD could not read (a syntax error) may hide what NEW seems to add, compared with nothing: a warning that
 * names those objects, when NEW adds any.
 */
export function oldProblems(problems: readonly Finding[], pairs: readonly ObjectPair[]): { notes: string[]; findings: Finding[] } {
  const added = pairs.filter((pair) => !pair.old && pair.new).map((pair) => describeIdentity(pair));
  const notes: string[] = [];
  const findings: Finding[] = [];
  for (const problem of problems) {
    if (problem.object !== undefined || added.length === 0) {
      notes.push(`OLD ${whereIn(problem)}: ${problem.message} (${problem.rule}): a problem of the old revision, not of this change`);
      continue;
    }
    const named = added.slice(0, NAMED_ADDITIONS).join(', ');
    const rest = added.length > NAMED_ADDITIONS ? ` and ${added.length - NAMED_ADDITIONS} more` : '';
    const message =
      `${problem.message}: OLD could not be read here, so what NEW adds may be objects OLD held, compared with nothing ` +
      `(${named}${rest}): a change the API server refuses would go unreported for them; fix OLD's YAML, or check ` +
      'them against the live objects';
    findings.push({ ...problem, severity: 'warning', message });
  }
  return { notes, findings };
}

/** `file:line:column`, after `REF:` for a file read at a git revision. */
function whereIn(finding: Finding): string {
  return `${finding.revision === undefined ? '' : `${finding.revision}:`}${finding.file}:${finding.line}:${finding.column}`;
}
