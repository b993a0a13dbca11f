import { describeIdentity, objectIdentityIn, type ObjectIdentity } from '../k8s/identity';
import { replacedCopies } from '../lint/context';
import { defineRule } from '../core/rule';
import { EVERY_OBJECT, type LintContext, type Manifest, type Path, type Severity } from '../core/types';

const NAME: Path = ['metadata', 'name'];
const LISTED = 3;

/**
 * Two objects with one identity (API group, kind, namespace, name) are one object in the cluster: applying the set
 * keeps the copy that comes last, so an earlier copy's settings are silently lost. The earlier copy is reported;
 * every other rule judges the last one, as the cluster will (k8s/identity.ts).
 *
 * Severity: an error within one file, for cluster-scoped objects and for copies that both name their namespace (no
 * way to apply them apart); a warning across files when a copy carries no namespace (tutorials apply their files
 * with `-n` into different namespaces). A folder of alternatives (rendered examples of one chart, a static and a
 * dynamic variant of one claim) must not drown the output: per pair of files, one finding that lists the objects.
 */
const messages = {
  /** An error: one file, cluster-scoped objects, or copies that both name their namespace. */
  overwritten: (d: { subject: string; sameFile: boolean; several: boolean }) =>
    `${d.subject}: applying ${d.sameFile ? 'the file' : 'both files'} keeps only the later ` +
    `${d.several ? 'copies, so the settings of these are' : 'copy, so the settings of this one are'} silently lost; ` +
    `remove one copy or give it its own name${d.sameFile ? '' : ' (if the files are alternatives, apply only one of them)'}`,
  /** A warning: a copy carries no namespace, so the files may be applied into different namespaces. */
  noNamespace: (d: { subject: string; several: boolean }) =>
    `${d.subject}; ${d.several ? 'copies set' : 'a copy sets'} no metadata.namespace, so applied with -n into ` +
    `different namespaces they are separate objects, but applied together only the later ` +
    `${d.several ? 'copies are' : 'copy is'} kept: if these files are alternatives, apply one of them; otherwise give ` +
    `one copy its own name`,
};

export const duplicateObject = defineRule({
  id: 'duplicate-object',
  phase: 'set',
  severity: 'error',
  kinds: [EVERY_OBJECT],
  docs: {
    description: 'No two objects of the set share API group, kind, namespace and name.',
    remediation:
      'Keep one copy of the object (the last one is what kubectl apply leaves), or give each its own name or namespace.',
  },
  messages,
  check(manifest, ctx) {
    const duplicates = duplicatesOf(ctx);
    const duplicate = duplicates.get(manifest);
    if (duplicate === undefined) return [];
    const group = duplicates.byFiles.get(filePair(manifest, duplicate.last))!;
    if (group[0] !== duplicate) return [];
    const data = { subject: subjectOf(group), sameFile: manifest.file === duplicate.last.file, several: group.length > 1 };
    return group.some((d) => d.severity === 'error')
      ? [{ messageId: 'overwritten', data, path: NAME }]
      : [{ messageId: 'noNamespace', data, path: NAME, severity: 'warning' }];
  },
});

interface Duplicate {
  readonly copy: Manifest;
  readonly last: Manifest;
  readonly id: ObjectIdentity;
  readonly severity: Severity;
}

interface Duplicates extends ReadonlyMap<Manifest, Duplicate> {
  /** File pair → the duplicates of that pair, in input order. */
  readonly byFiles: ReadonlyMap<string, readonly Duplicate[]>;
}

function filePair(copy: Manifest, last: Manifest): string {
  return `${copy.file}\u0000${last.file}`;
}

/** Every copy that is not the last of its identity, with the copy that wins over it. */
function duplicatesOf(ctx: LintContext): Duplicates {
  return ctx.memo('rules/duplicate-object', () => {
    const result = new Map<Manifest, Duplicate>() as Map<Manifest, Duplicate> & { byFiles: Map<string, Duplicate[]> };
    result.byFiles = new Map();
    for (const [copy, winner] of replacedCopies(ctx)) {
      const id = objectIdentityIn(copy.object, ctx.namespaceOf(copy))!;
      const duplicate = { copy, last: winner, id, severity: severityOf(copy, winner, id) };
      result.set(copy, duplicate);
      const pair = filePair(copy, winner);
      const ofPair = result.byFiles.get(pair);
      if (ofPair === undefined) result.byFiles.set(pair, [duplicate]);
      else ofPair.push(duplicate);
    }
    return result;
  });
}

function explicitNamespace(manifest: Manifest): string | undefined {
  const namespace = manifest.object.metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

function severityOf(copy: Manifest, last: Manifest, id: ObjectIdentity): Severity {
  if (copy.file === last.file || id.namespace === '') return 'error';
  return explicitNamespace(copy) !== undefined && explicitNamespace(last) !== undefined ? 'error' : 'warning';
}

/** `Service "a" is defined again at b.yaml:4`, or `Service "a" and 2 more objects of this file (...) are defined again in b.yaml`. */
function subjectOf(group: readonly Duplicate[]): string {
  const [{ copy, last, id }] = group;
  const line = last.locate(NAME).line;
  const others = group.slice(1).map((d) => describeIdentity(d.id));
  if (others.length === 0) {
    return `${describeIdentity(id)} is defined again at ${copy.file === last.file ? `line ${line} of this file` : `${last.file}:${line}`}`;
  }
  const listed = others.slice(0, LISTED).join(', ') + (others.length > LISTED ? ', ...' : '');
  return (
    `${describeIdentity(id)} and ${others.length} more object${others.length === 1 ? '' : 's'} of this file ` +
    `(${listed}) are defined again in ${last.file} (first at line ${line})`
  );
}
