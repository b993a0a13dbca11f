/**
 * The LintContext: built once per run, indexes the built-in objects by kind and by (kind, namespace, name).
 *
 * A kind name here ('Service', a rule's `kinds` entry, `byKind`, `find`) means the built-in kind of Kubernetes
 * 1.28 at an apiVersion 1.28 serves: 'Service' is core v1 Service, 'StatefulSet' is apps/v1 StatefulSet (see the
 * catalogue in k8s/kinds.ts). Objects of the same kind name in another group (a Knative `serving.knative.dev/v1
 * Service`) or at an apiVersion 1.28 no longer serves (`apps/v1beta1 StatefulSet`, which the schema pass reports)
 * are not indexed, so no cross-resource rule mistakes them for the built-in object.
 *
 * Of several objects with one identity only the last is indexed (k8s/identity.ts): it is the one `kubectl apply`
 * leaves in the cluster, so it is the one every rule judges; rule duplicate-object reports the earlier copies.
 */
import { effectiveNamespace, identityKey, identityKeyOf, lastByKey, objectIdentityIn } from '../k8s/identity';
import { builtInGroupOf, isServedBuiltIn as servedBuiltIn } from '../k8s/kinds';
import type { ClusterProfile, KubeObject, LintContext, Manifest } from '../core/types';

export const DEFAULT_NAMESPACE = 'default';

/** Whether the object is a built-in kind at an apiVersion Kubernetes 1.28 serves. */
export function isServedBuiltIn(object: KubeObject): boolean {
  return servedBuiltIn(object.apiVersion, object.kind);
}

export interface ContextOptions {
  readonly cluster?: ClusterProfile;
  readonly complete?: boolean;
  /** Receives the rules' notes (once each). */
  readonly notes?: string[];
}

export function buildContext(
  manifests: readonly Manifest[],
  defaultNamespace = DEFAULT_NAMESPACE,
  options: ContextOptions = {},
): LintContext {
  const notes = options.notes ?? [];
  const namespaces = new Map<Manifest, string>();
  const builtIns: Manifest[] = [];
  const keys: Array<string | undefined> = [];
  for (const manifest of manifests) {
    const namespace = effectiveNamespace(manifest.object, defaultNamespace);
    namespaces.set(manifest, namespace);
    if (!isServedBuiltIn(manifest.object)) continue;
    const id = objectIdentityIn(manifest.object, namespace);
    builtIns.push(manifest);
    keys.push(id === undefined ? undefined : identityKey(id));
  }
  const byIdentity = lastByKey(builtIns, keys);
  const byKind = new Map<string, Manifest[]>();
  for (let i = 0; i < builtIns.length; i++) {
    const manifest = builtIns[i];
    const key = keys[i];
    // An earlier copy of an object is not the object: kubectl apply replaces it with the last one.
    if (key !== undefined && byIdentity.get(key) !== manifest) continue;
    const kind = manifest.object.kind as string;
    const ofKind = byKind.get(kind);
    if (ofKind) ofKind.push(manifest);
    else byKind.set(kind, [manifest]);
  }
  const memos = new Map<string, unknown>();
  return {
    manifests,
    defaultNamespace,
    cluster: options.cluster ?? {},
    complete: options.complete ?? false,
    note: (message) => {
      if (!notes.includes(message)) notes.push(message);
    },
    namespaceOf: (m) => namespaces.get(m) ?? effectiveNamespace(m.object, defaultNamespace),
    byKind: (kind) => byKind.get(kind) ?? [],
    find: (kind, namespace, name) => {
      const group = builtInGroupOf(kind);
      return group === undefined ? undefined : byIdentity.get(identityKeyOf(group, kind, namespace, name));
    },
    memo<T>(key: string, build: () => T): T {
      let value = memos.get(key);
      if (value === undefined && !memos.has(key)) memos.set(key, (value = build()));
      return value as T;
    },
  };
}
