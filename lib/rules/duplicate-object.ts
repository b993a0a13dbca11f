import { describeIdentity, identityKey, lastCopies, objectIdentity } from '../k8s/identity';
import { EVERY_OBJECT, type LintContext, type Manifest, type Path, type Rule } from '../core/types';

const NAME: Path = ['metadata', 'name'];

/**
 * Two objects with one identity (API group, kind, namespace, name) are one object in the cluster: applying the set
 * keeps the copy that comes last, so an earlier copy's settings are silently lost. The earlier copy is reported;
 * every other rule judges the last one, as the cluster will (k8s/identity.ts).
 */
export const duplicateObject: Rule = {
  id: 'duplicate-object',
  severity: 'error',
  kinds: [EVERY_OBJECT],
  description: 'No two objects of the set share API group, kind, namespace and name.',
  remediation: 'Remove the copy that is not meant, or give it its own name or namespace.',
  check(manifest, ctx) {
    const id = objectIdentity(manifest.object, ctx.defaultNamespace);
    if (id === undefined) return [];
    const last = lastCopyOf(ctx).get(identityKey(id));
    if (last === undefined || last === manifest) return [];
    return [
      {
        message:
          `${describeIdentity(id)} is defined again at ${last.file}:${last.locate(NAME).line}: applying both keeps ` +
          `only that later copy, so the settings of this one are silently lost; remove one copy or give it its own name`,
        path: NAME,
      },
    ];
  },
};

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
