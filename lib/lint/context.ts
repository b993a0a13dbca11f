/**
 * The LintContext: built once per run, indexes the built-in objects by kind and by (kind, namespace, name).
 *
 * A kind name here ('Service', a rule's `kinds` entry, `byKind`, `find`) means the built-in kind of Kubernetes
 * 1.28 at an apiVersion 1.28 serves: 'Service' is core v1 Service, 'StatefulSet' is apps/v1 StatefulSet. Every
 * built-in kind lives in one API group, so kind and served apiVersion name it without ambiguity. Objects of the
 * same kind name in another group (a Knative `serving.knative.dev/v1 Service`, a CRD of kind PersistentVolume) or
 * at an apiVersion 1.28 no longer serves (`apps/v1beta1 StatefulSet`, which the schema pass reports) are not
 * indexed, so no cross-resource rule mistakes them for the built-in object.
 */
import { isClusterScoped } from '../k8s/kinds';
import { servedKinds } from '../schema/validate';
import type { KubeObject, LintContext, Manifest } from '../core/types';

export const DEFAULT_NAMESPACE = 'default';

let served: ReadonlySet<string> | undefined;

/** Whether the object is a built-in kind at an apiVersion Kubernetes 1.28 serves. */
export function isServedBuiltIn(object: KubeObject): boolean {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
  served ??= new Set(servedKinds().map((k) => `${k.apiVersion} ${k.kind}`));
  return served.has(`${apiVersion} ${kind}`);
}

function namespaceOf(manifest: Manifest, defaultNamespace: string): string {
  const kind = manifest.object.kind;
  if (typeof kind === 'string' && isClusterScoped(kind)) return '';
  const namespace = manifest.object.metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : defaultNamespace;
}

function identity(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

export function buildContext(manifests: readonly Manifest[], defaultNamespace = DEFAULT_NAMESPACE): LintContext {
  const namespaces = new Map<Manifest, string>();
  const byKind = new Map<string, Manifest[]>();
  const byIdentity = new Map<string, Manifest>();
  for (const manifest of manifests) {
    const namespace = namespaceOf(manifest, defaultNamespace);
    namespaces.set(manifest, namespace);
    if (!isServedBuiltIn(manifest.object)) continue;
    const { kind, metadata } = manifest.object as { kind: string; metadata?: KubeObject['metadata'] };
    const ofKind = byKind.get(kind);
    if (ofKind) ofKind.push(manifest);
    else byKind.set(kind, [manifest]);
    const name = metadata?.name;
    // Of two objects with one identity the first is the one rules see; rule duplicate-object reports the second.
    const key = typeof name === 'string' ? identity(kind, namespace, name) : undefined;
    if (key !== undefined && !byIdentity.has(key)) byIdentity.set(key, manifest);
  }
  const memos = new Map<string, unknown>();
  return {
    manifests,
    defaultNamespace,
    namespaceOf: (m) => namespaces.get(m) ?? namespaceOf(m, defaultNamespace),
    byKind: (kind) => byKind.get(kind) ?? [],
    find: (kind, namespace, name) => byIdentity.get(identity(kind, namespace, name)),
    memo<T>(key: string, build: () => T): T {
      if (!memos.has(key)) memos.set(key, build());
      return memos.get(key) as T;
    },
  };
}
