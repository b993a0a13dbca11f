import { DEFAULT_KUBERNETES_VERSION, type KubernetesVersion } from '../k8s/versions';

/** Where the build writes the precompiled schemas of `version`, relative to build/lib/schema. */
export function generatedDir(version: KubernetesVersion): string {
  return version === DEFAULT_KUBERNETES_VERSION ? 'generated' : `generated/${version}`;
}
