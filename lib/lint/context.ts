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

/** The identities of a set's manifests, built-in or not. */
interface Identities {
  /** keys[i]: the identity key of manifests[i]; undefined without an identity (no kind or no name). */
  readonly keys: readonly (string | undefined)[];
  /** Identity key → the last manifest with it. */
  readonly last: ReadonlyMap<string, Manifest>;
  /** Whether some identity has more than one manifest. */
  readonly repeated: boolean;
}

/** `namespaces[i]`: the effective namespace of manifests[i]. */
function identitiesOf(manifests: readonly Manifest[], namespaces: readonly string[]): Identities {
  const keys: (string | undefined)[] = new Array(manifests.length);
  let keyed = 0;
  for (let i = 0; i < manifests.length; i++) {
    const id = objectIdentityIn(manifests[i].object, namespaces[i]);
    if (id === undefined) continue;
    keys[i] = identityKey(id);
    keyed++;
  }
  const last = lastByKey(manifests, keys);
  return { keys, last, repeated: last.size < keyed };
}

/** The identities buildContext computed, by context: duplicate-object reads them instead of computing them again. */
const identitiesByContext = new WeakMap<LintContext, Identities>();

/**
 * Every manifest (built-in kind or not) that a later manifest of the same identity replaces, with that last copy, in
 * input order.
 */
export function replacedCopies(ctx: LintContext): ReadonlyMap<Manifest, Manifest> {
  const { keys, last, repeated } = identitiesByContext.get(ctx) ?? identitiesOf(ctx.manifests, ctx.manifests.map(ctx.namespaceOf));
  const replaced = new Map<Manifest, Manifest>();
  if (!repeated) return replaced;
  ctx.manifests.forEach((manifest, i) => {
    const key = keys[i];
    const winner = key === undefined ? undefined : last.get(key);
    if (winner !== undefined && winner !== manifest) replaced.set(manifest, winner);
  });
  return replaced;
}

export function buildContext(
  manifests: readonly Manifest[],
  defaultNamespace = DEFAULT_NAMESPACE,
  options: ContextOptions = {},
): LintContext {
  const notes = options.notes ?? [];
  const namespaceList = manifests.map((manifest) => effectiveNamespace(manifest.object, defaultNamespace));
  const namespaces = new Map<Manifest, string>();
  for (let i = 0; i < manifests.length; i++) namespaces.set(manifests[i], namespaceList[i]);
  const identities = identitiesOf(manifests, namespaceList);
  const { keys } = identities;
  const builtIns: number[] = [];
  let othersKeyed = false;
  for (let i = 0; i < manifests.length; i++) {
    if (isServedBuiltIn(manifests[i].object)) builtIns.push(i);
    else othersKeyed ||= keys[i] !== undefined;
  }
  // The last built-in object of each identity: the last manifest of the identity, unless a manifest of another
  // kind (a removed apiVersion of it) shares it.
  const byIdentity = othersKeyed
    ? lastByKey(
        builtIns.map((i) => manifests[i]),
        builtIns.map((i) => keys[i]),
      )
    : identities.last;
  const byKind = new Map<string, Manifest[]>();
  // Manifests come in runs of one kind: the list of the previous kind is kept at hand.
  let kind: string | undefined;
  let ofKind: Manifest[] = [];
  for (const i of builtIns) {
    const manifest = manifests[i];
    const key = keys[i];
    // An earlier copy of an object is not the object: kubectl apply replaces it with the last one.
    if (identities.repeated && key !== undefined && byIdentity.get(key) !== manifest) continue;
    if (manifest.object.kind !== kind) {
      kind = manifest.object.kind as string;
      ofKind = byKind.get(kind) ?? [];
      if (ofKind.length === 0) byKind.set(kind, ofKind);
    }
    ofKind.push(manifest);
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
  identitiesByContext.set(context, identities);
  return context;
}
