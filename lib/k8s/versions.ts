/**
 * The Kubernetes minor versions lint and diff check against (`--kubernetes-version`), and what differs between
 * them that is not in their OpenAPI schemas. The schemas themselves are derived per version at build time from
 * the cdk8s-plus-NN assemblies (scripts/gen-schemas.ts), so which fields and kinds exist comes from there.
 */

import { KUBERNETES_VERSIONS, type KubernetesVersion } from '../core/kubernetes-version';

export { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, type KubernetesVersion } from '../core/kubernetes-version';

export function isKubernetesVersion(value: unknown): value is KubernetesVersion {
  return (KUBERNETES_VERSIONS as readonly unknown[]).includes(value);
}

/** The minor number of `1.NN` (or of a `removedIn` such as '1.16'). */
export function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}

/** Whether `version` is `since` or later. */
export function atLeast(version: string, since: string): boolean {
  return minorOf(version) >= minorOf(since);
}

/** The npm package whose jsii assembly describes the API of `version` (a dev dependency, read at build time). */
export function cdk8sPlusPackage(version: KubernetesVersion): string {
  return `cdk8s-plus-${minorOf(version)}`;
}

/**
 * StatefulSetSpec.serviceName: the OpenAPI lists it as required until 1.32 and optional from 1.33
 * (kubernetes/kubernetes#130233); the API server accepted it missing in every version, so the derived schemas
 * make it optional everywhere (lib/schema/derive.ts). A test checks this against the assemblies.
 */
export const STATEFULSET_SERVICE_NAME_OPTIONAL_IN_OPENAPI_SINCE = '1.33';
