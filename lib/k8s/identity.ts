/**
 * Object identity, as the API server keys objects: (API group, kind, namespace, name), and the one duplicate
 * policy: of several objects with one identity, the LAST copy is the object (what `kubectl apply` of the whole set
 * leaves in the cluster). Lint's index, diff's pairing and the duplicate-object rule all ask here.
 */
import type { KubeObject } from '../core/types';
import { groupOf, isClusterScopedIn } from './kinds';

export interface ObjectIdentity {
  readonly group: string;
  readonly kind: string;
  /** '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
}

/** The namespace an object lands in: metadata.namespace, else `defaultNamespace`; '' for cluster-scoped kinds. */
export function effectiveNamespace(object: KubeObject, defaultNamespace: string): string {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  if (isClusterScopedIn(groupOf(object.apiVersion), kind)) return '';
  const namespace = object.metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : defaultNamespace;
}

/** The identity of an object, or undefined without a string kind and a non-empty string name. */
export function objectIdentity(object: KubeObject, defaultNamespace: string): ObjectIdentity | undefined {
  return hasIdentity(object) ? identityIn(object, effectiveNamespace(object, defaultNamespace)) : undefined;
}

/** objectIdentity, for a caller that has the object's effective namespace already (lint's context keeps them). */
export function objectIdentityIn(object: KubeObject, namespace: string): ObjectIdentity | undefined {
  return hasIdentity(object) ? identityIn(object, namespace) : undefined;
}

function hasIdentity(object: KubeObject): object is KubeObject & { kind: string; metadata: { name: string } } {
  const { kind, metadata } = object;
  const name = metadata?.name;
  return typeof kind === 'string' && kind !== '' && typeof name === 'string' && name !== '';
}

function identityIn(object: KubeObject & { kind: string; metadata: { name: string } }, namespace: string): ObjectIdentity {
  return { group: groupOf(object.apiVersion), kind: object.kind, namespace, name: object.metadata.name };
}

/** A string that is equal for equal identities. */
export function identityKey(id: ObjectIdentity): string {
  return identityKeyOf(id.group, id.kind, id.namespace, id.name);
}

/** identityKey of (group, kind, namespace, name), without building the identity. */
export function identityKeyOf(group: string, kind: string, namespace: string, name: string): string {
  return `${group}\u0000${kind}\u0000${namespace}\u0000${name}`;
}

/** `StatefulSet "web" in namespace "db"`, `StorageClass.storage.k8s.io "nfs"`. */
export function describeIdentity(id: ObjectIdentity): string {
  const kind = id.group === '' ? id.kind : `${id.kind}.${id.group}`;
  return `${kind} "${id.name}"${id.namespace === '' ? '' : ` in namespace "${id.namespace}"`}`;
}

/**
 * Items by identity key, the last of each identity winning, in the order of those last copies. Items without an
 * identity are left out.
 */
export function lastCopies<T>(
  items: readonly T[],
  identify: (item: T) => ObjectIdentity | undefined,
): Map<string, { readonly id: ObjectIdentity; readonly item: T }> {
  const result = new Map<string, { id: ObjectIdentity; item: T }>();
  for (const item of items) {
    const id = identify(item);
    if (id === undefined) continue;
    const key = identityKey(id);
    result.delete(key);
    result.set(key, { id, item });
  }
  return result;
}

/**
 * Items by identity, the last of each identity winning (the copy `kubectl apply` leaves): by group and kind, then namespace, then name, so that no
 * key string is built per manifest (a set of 40,000 objects pays for that in time and garbage).
 */
export class IdentityIndex<T> {
  private readonly byKind = new Map<string, Map<string, Map<string, T>>>();
  // Items come in runs of one kind and namespace: the names of the previous one are kept at hand.
  private last?: { readonly group: string; readonly kind: string; readonly namespace: string; readonly names: Map<string, T> };
  /** Whether some identity was set more than once. */
  repeated = false;

  set(id: ObjectIdentity, item: T): void {
    const names = this.namesOf(id.group, id.kind, id.namespace, true)!;
    const size = names.size;
    names.set(id.name, item);
    if (names.size === size) this.repeated = true;
  }

  get(id: ObjectIdentity): T | undefined {
    return this.namesOf(id.group, id.kind, id.namespace, false)?.get(id.name);
  }

  private namesOf(group: string, kind: string, namespace: string, create: boolean): Map<string, T> | undefined {
    const last = this.last;
    if (last !== undefined && last.kind === kind && last.namespace === namespace && last.group === group) return last.names;
    const kindKey = `${group}\u0000${kind}`;
    let namespaces = this.byKind.get(kindKey);
    if (namespaces === undefined) {
      if (!create) return undefined;
      this.byKind.set(kindKey, (namespaces = new Map()));
    }
    let names = namespaces.get(namespace);
    if (names === undefined) {
      if (!create) return undefined;
      namespaces.set(namespace, (names = new Map()));
    }
    this.last = { group, kind, namespace, names };
    return names;
  }
}
