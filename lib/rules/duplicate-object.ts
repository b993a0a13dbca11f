import { defineRule } from '../core/rule';
import { describeIdentity, identityKey, lastCopies, objectIdentity } from '../k8s/identity';
import { EVERY_OBJECT, type LintContext, type Manifest, type Path } from '../core/types';

const NAME: Path = ['metadata', 'name'];

/**
 * Two objects with one identity (API group, kind, namespace, name) are one object in the cluster: applying the set
 * keeps the copy that comes last, so an earlier copy's settings are silently lost. The earlier copy is reported;
 * every other rule judges the last one, as the cluster will (k8s/identity.ts).
 */
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
  messages: {
    duplicate:
      '{{object}} is defined again at {{file}}:{{line}}: applying both keeps only that later copy, so the settings ' +
      'of this one are silently lost; remove one copy or give it its own name',
  },
  check(manifest, ctx) {
    const id = objectIdentity(manifest.object, ctx.defaultNamespace);
    if (id === undefined) return [];
    const last = lastCopyOf(ctx).get(identityKey(id));
    if (last === undefined || last === manifest) return [];
    return [
      {
        messageId: 'duplicate',
        data: { object: describeIdentity(id), file: last.file, line: last.locate(NAME).line },
        path: NAME,
      },
    ];
  },
});

/** Identity key → the copy that wins (the last in input order). */
function lastCopyOf(ctx: LintContext): ReadonlyMap<string, Manifest> {
  return ctx.memo('rules/duplicate-object/last', () => {
    const last = new Map<string, Manifest>();
    for (const [key, { item }] of lastCopies(ctx.manifests, (m) => objectIdentity(m.object, ctx.defaultNamespace))) {
      last.set(key, item);
    }
    return last;
  });
}
