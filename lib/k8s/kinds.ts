/**
 * Scope of the built-in kinds of Kubernetes 1.28 (what `kubectl api-resources --namespaced=false` lists),
 * plus cluster-scoped kinds of removed APIs that old manifests still carry.
 */

const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  // core
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
  // admissionregistration.k8s.io
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  // apiextensions.k8s.io, apiregistration.k8s.io
  'CustomResourceDefinition',
  'APIService',
  // authentication.k8s.io, authorization.k8s.io (create-only reviews)
  'TokenReview',
  'SelfSubjectReview',
  'SubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  // certificates.k8s.io
  'CertificateSigningRequest',
  'ClusterTrustBundle',
  // flowcontrol.apiserver.k8s.io
  'FlowSchema',
  'PriorityLevelConfiguration',
  // internal.apiserver.k8s.io
  'StorageVersion',
  // networking.k8s.io
  'IngressClass',
  'ClusterCIDR',
  'IPAddress',
  // node.k8s.io
  'RuntimeClass',
  // rbac.authorization.k8s.io
  'ClusterRole',
  'ClusterRoleBinding',
  // resource.k8s.io
  'ResourceClass',
  // scheduling.k8s.io
  'PriorityClass',
  // storage.k8s.io
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  // removed before 1.28 (policy/v1beta1)
  'PodSecurityPolicy',
]);

/** Whether a built-in kind is cluster-scoped (has no namespace). Unknown kinds (CRDs) count as namespaced. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** Every cluster-scoped built-in kind, sorted. */
export function clusterScopedKinds(): string[] {
  return [...CLUSTER_SCOPED_KINDS].sort();
}
