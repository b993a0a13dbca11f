/**
 * Pairs the objects of two revisions by identity: (group, kind, namespace, name). `apps/v1` and `apps/v1beta2`
 * are one group, so a version bump is a change of the same object, not a removal plus an addition.
 */
import type { Manifest } from '../core/types';
import { lastCopies, objectIdentity, type ObjectIdentity } from '../k8s/identity';
import { groupOf } from './identity';
import { normalize } from './normalize';
import type { ObjectPair, ObjectRevision } from './types';

export { groupOf };

/** Identity of a manifest, or undefined for a document without kind or name (the loader reports those). */
export function identityOf(manifest: Manifest, defaultNamespace: string): ObjectIdentity | undefined {
  return objectIdentity(manifest.object, defaultNamespace);
}

/**
 * One pair per identity, in NEW's order followed by the objects only OLD has. When a revision holds the
 * same identity twice, the later document wins, as it would for `kubectl apply` (k8s/identity.ts).
 */
export function pairObjects(
  oldManifests: readonly Manifest[],
  newManifests: readonly Manifest[],
  defaultNamespace = 'default',
): ObjectPair[] {
  const index = (manifests: readonly Manifest[]) => {
    const byKey = new Map<string, { id: ObjectIdentity; revision: ObjectRevision }>();
    for (const [key, { id, item }] of lastCopies(manifests, (m) => identityOf(m, defaultNamespace))) {
      byKey.set(key, { id, revision: { manifest: item, normalized: normalize(item.object) } });
    }
    return byKey;
  };
  const olds = index(oldManifests);
  const news = index(newManifests);
  const pairs: ObjectPair[] = [];
  for (const [key, { id, revision }] of news) pairs.push({ ...id, new: revision, old: olds.get(key)?.revision });
  for (const [key, { id, revision }] of olds) if (!news.has(key)) pairs.push({ ...id, old: revision });
  return pairs;
}
