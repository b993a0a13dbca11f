import { defineRule } from '../core/rule';
import { EVERY_OBJECT, type LintContext, type Manifest, type Path } from '../core/types';
import { asString } from './support/values';

const NAME: Path = ['metadata', 'name'];

/**
 * Two objects with one identity (API group, kind, namespace, name) are one object in the cluster: applying the set
 * keeps whichever copy comes last, so the other's settings are silently lost. The engine's index keeps the first.
 */
export const duplicateObject = defineRule({
  id: 'duplicate-object',
  phase: 'set',
  severity: 'error',
  kinds: [EVERY_OBJECT],
  docs: {
    description: 'No two objects of the set share API group, kind, namespace and name.',
    remediation: 'Remove the second copy, or give it its own name or namespace.',
  },
  messages: {
    duplicate: (d: { groupKind: string; name: string; where: string; file: string; line: number }) =>
      `${d.groupKind} "${d.name}"${d.where} is already defined at ${d.file}:${d.line}: applying both keeps only the ` +
      `later copy, so the other's settings are silently lost; remove one copy or give it its own name`,
  },
  check(manifest, ctx) {
    const identity = identityOf(manifest, ctx);
    if (identity === undefined) return [];
    const first = firstWithIdentity(ctx).get(identity.key);
    if (first === undefined || first === manifest) return [];
    const { group, kind, namespace, name } = identity;
    const where = namespace === '' ? '' : ` in namespace "${namespace}"`;
    return [
      {
        messageId: 'duplicate',
        data: {
          groupKind: group === '' ? kind : `${kind}.${group}`,
          name,
          where,
          file: first.file,
          line: first.locate(NAME).line,
        },
        path: NAME,
      },
    ];
  },
});

interface Identity {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
}

/** Undefined for an object without a string apiVersion, kind or name. */
function identityOf(manifest: Manifest, ctx: LintContext): Identity | undefined {
  const apiVersion = asString(manifest.object.apiVersion);
  const kind = asString(manifest.object.kind);
  const name = asString(manifest.object.metadata?.name);
  if (apiVersion === undefined || kind === undefined || name === undefined || name === '') return undefined;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const namespace = ctx.namespaceOf(manifest);
  return { group, kind, namespace, name, key: [group, kind, namespace, name].join('\u0000') };
}

/** Identity key → the first object (in input order) that has it. */
function firstWithIdentity(ctx: LintContext): ReadonlyMap<string, Manifest> {
  return ctx.memo('rules/duplicate-object/first', () => {
    const first = new Map<string, Manifest>();
    for (const manifest of ctx.manifests) {
      const identity = identityOf(manifest, ctx);
      if (identity !== undefined && !first.has(identity.key)) first.set(identity.key, manifest);
    }
    return first;
  });
}
