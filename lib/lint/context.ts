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
 * leaves in the cluster, so it is the one every rule judges; rule duplicate-object reports the earlier copies
 * (replacedCopies).
 */
import { effectiveNamespace, IdentityIndex, objectIdentityIn, type ObjectIdentity } from '../k8s/identity';
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

/** The identities of a set's manifests, built-in or not. */
interface Identities {
  /** ids[i]: the identity of manifests[i]; undefined without one (no kind or no name). */
  readonly ids: readonly (ObjectIdentity | undefined)[];
  readonly last: IdentityIndex<Manifest>;
}

/** The identities buildContext computed, by context: duplicate-object reads them instead of computing them again. */
const identitiesByContext = new WeakMap<LintContext, Identities>();

/**
 * Every manifest (built-in kind or not) that a later manifest of the same identity replaces, with that last copy, in
 * input order.
 */
export function replacedCopies(ctx: LintContext): ReadonlyMap<Manifest, Manifest> {
  const { ids, last } =
    identitiesByContext.get(ctx) ?? identitiesByContext.get(buildContext(ctx.manifests, ctx.defaultNamespace))!;
  const replaced = new Map<Manifest, Manifest>();
  if (!last.repeated) return replaced;
  ctx.manifests.forEach((manifest, i) => {
    const id = ids[i];
    const winner = id === undefined ? undefined : last.get(id);
    if (winner !== undefined && winner !== manifest) replaced.set(manifest, winner);
  });
  return replaced;
}

/** Built-in manifests by kind, in input order; the list of the previous kind is kept at hand (kinds come in runs). */
class KindLists {
  readonly lists = new Map<string, Manifest[]>();
  private kind?: string;
  private list: Manifest[] = [];

  add(manifest: Manifest): void {
    if (manifest.object.kind !== this.kind) {
      this.kind = manifest.object.kind as string;
      const known = this.lists.get(this.kind);
      this.list = known ?? [];
      if (known === undefined) this.lists.set(this.kind, this.list);
    }
    this.list.push(manifest);
  }
}

export function buildContext(
  manifests: readonly Manifest[],
  defaultNamespace = DEFAULT_NAMESPACE,
  options: ContextOptions = {},
): LintContext {
  const notes = options.notes ?? [];
  // One pass over the manifests (on a large set, every pass pays for reaching each object in memory).
  const namespaces = new Map<Manifest, string>();
  const ids: (ObjectIdentity | undefined)[] = new Array(manifests.length);
  const last = new IdentityIndex<Manifest>();
  const builtIns: number[] = [];
  let byKind = new KindLists();
  let othersHaveIds = false;
  // One string object per namespace: every object of a namespace holds its own copy of the name, and the rules
  // compare and look up namespaces many times per object (a copy reached again is a trip to memory on a large set).
  const namespaceNames = new Map<string, string>();
  for (let i = 0; i < manifests.length; i++) {
    const manifest = manifests[i];
    const read = effectiveNamespace(manifest.object, defaultNamespace);
    let namespace = namespaceNames.get(read);
    if (namespace === undefined) namespaceNames.set(read, (namespace = read));
    namespaces.set(manifest, namespace);
    const id = objectIdentityIn(manifest.object, namespace);
    ids[i] = id;
    if (id !== undefined) last.set(id, manifest);
    if (isServedBuiltIn(manifest.object)) {
      builtIns.push(i);
      byKind.add(manifest);
    } else {
      othersHaveIds ||= id !== undefined;
    }
  }
  // The last built-in object of each identity: the last manifest of the identity, unless a manifest of another
  // kind (a removed apiVersion of it) shares it.
  let byIdentity = last;
  if (othersHaveIds) {
    byIdentity = new IdentityIndex<Manifest>();
    for (const i of builtIns) if (ids[i] !== undefined) byIdentity.set(ids[i]!, manifests[i]);
  }
  if (byIdentity.repeated) {
    // An earlier copy of an object is not the object: kubectl apply replaces it with the last one.
    byKind = new KindLists();
    for (const i of builtIns) if (ids[i] === undefined || byIdentity.get(ids[i]!) === manifests[i]) byKind.add(manifests[i]);
  }
  const memos = new Map<string, unknown>();
  const context: LintContext = {
    manifests,
    defaultNamespace,
    cluster: options.cluster ?? {},
    complete: options.complete ?? false,
    note: (message) => {
      if (!notes.includes(message)) notes.push(message);
    },
    namespaceOf: (m) => namespaces.get(m) ?? effectiveNamespace(m.object, defaultNamespace),
    byKind: (kind) => byKind.lists.get(kind) ?? [],
    find: (kind, namespace, name) => {
      const group = builtInGroupOf(kind);
      return group === undefined ? undefined : byIdentity.get({ group, kind, namespace, name });
    },
    memo<T>(key: string, build: () => T): T {
      let value = memos.get(key);
      if (value === undefined && !memos.has(key)) memos.set(key, (value = build()));
      return value as T;
    },
  };
  identitiesByContext.set(context, { ids, last });
  return context;
}
