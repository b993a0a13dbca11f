/**
 * Pairs the objects of two revisions by identity: (group, kind, namespace, name). `apps/v1` and `apps/v1beta2`
 * are one group, so a version bump is a change of the same object, not a removal plus an addition.
 */
import type { Manifest } from '../core/types';
import { isClusterScoped } from '../k8s/kinds';
import { groupOf } from './identity';
import { normalize } from './normalize';
import type { ObjectPair, ObjectRevision } from './types';

export { groupOf };

interface Identity {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** Identity of a manifest, or undefined for a document without kind or name (the loader reports those). */
export function identityOf(manifest: Manifest, defaultNamespace: string): Identity | undefined {
  const { kind, metadata } = manifest.object;
  const name = metadata?.name;
  if (typeof kind !== 'string' || typeof name !== 'string' || kind === '' || name === '') return undefined;
  const namespace = isClusterScoped(kind)
    ? ''
    : typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace;
  return { group: groupOf(manifest.object.apiVersion), kind, namespace, name };
}

const keyOf = (id: Identity): string => [id.group, id.kind, id.namespace, id.name].join('\u0000');

/**
 * One pair per identity, in NEW's order followed by the objects only OLD has. When a revision holds the
 * same identity twice, the later document wins, as it would for `kubectl apply`.
 */
export function pairObjects(
  oldManifests: readonly Manifest[],
  newManifests: readonly Manifest[],
  defaultNamespace = 'default',
): ObjectPair[] {
  const index = (manifests: readonly Manifest[]): Map<string, { id: Identity; revision: ObjectRevision }> => {
    const byKey = new Map<string, { id: Identity; revision: ObjectRevision }>();
    for (const manifest of manifests) {
      const id = identityOf(manifest, defaultNamespace);
      if (!id) continue;
      const key = keyOf(id);
      byKey.delete(key);
      byKey.set(key, { id, revision: { manifest, normalized: normalize(manifest.object) } });
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
