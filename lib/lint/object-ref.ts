import type { KubeObject, ObjectRef } from './types';

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The identity a finding prints for an object; fields that are missing or not strings are left out. */
export function objectRef(object: KubeObject): ObjectRef {
  const metadata = object.metadata instanceof Object ? object.metadata : {};
  const ref = {
    apiVersion: text(object.apiVersion),
    kind: text(object.kind),
    namespace: text(metadata.namespace),
    name: text(metadata.name),
  };
  return Object.fromEntries(Object.entries(ref).filter(([, value]) => value !== undefined));
}
