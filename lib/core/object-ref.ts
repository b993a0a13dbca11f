import type { KubeObject, ObjectRef } from './types';

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The identity a finding prints for an object; fields that are missing or not strings are left out.
 * `namespace`, when given, is the object's effective namespace (LintContext.namespaceOf: metadata.namespace or the
 * default namespace, '' for cluster-scoped kinds) and replaces metadata.namespace; '' leaves the namespace out.
 */
export function objectRef(object: KubeObject, namespace?: string): ObjectRef {
  const metadata = object.metadata instanceof Object ? object.metadata : {};
  const ref = {
    apiVersion: text(object.apiVersion),
    kind: text(object.kind),
    namespace: namespace === undefined ? text(metadata.namespace) : namespace || undefined,
    name: text(metadata.name),
  };
  return Object.fromEntries(Object.entries(ref).filter(([, value]) => value !== undefined));
}
