/** The Kubernetes minor versions lint and diff check against (`--kubernetes-version`); their semantics: lib/k8s/versions.ts. */
export const KUBERNETES_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = '1.28';
