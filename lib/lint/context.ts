/** The LintContext: built once per run, indexes the manifests by kind and by (kind, namespace, name). */
import { isClusterScoped } from '../k8s/kinds';
import type { LintContext, Manifest } from './types';

export const DEFAULT_NAMESPACE = 'default';

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
    const { kind, metadata } = manifest.object;
    if (typeof kind !== 'string') continue;
    const ofKind = byKind.get(kind);
    if (ofKind) ofKind.push(manifest);
    else byKind.set(kind, [manifest]);
    const name = metadata?.name;
    // Of two objects with one identity the last wins, as with `kubectl apply` of the whole set.
    if (typeof name === 'string') byIdentity.set(identity(kind, namespace, name), manifest);
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
