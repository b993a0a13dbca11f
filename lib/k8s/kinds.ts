/**
 * The one catalogue of the built-in kinds of Kubernetes 1.28: for each kind, its API group, the versions 1.28
 * serves and whether it is cluster-scoped (what `kubectl api-resources` lists). Every built-in kind lives in one
 * group, so (group, kind) names it; a kind of the same name in another group (a Knative `serving.knative.dev
 * Service`) is a custom resource. Whether an object is built-in, served, or namespaced is asked here only.
 */

/** Group → `Kind:version,version` entries (List kinds included), as the 1.28 API serves them. */
const SERVED: Readonly<Record<string, string>> = {
  '': 'Binding:v1 ComponentStatus:v1 ComponentStatusList:v1 ConfigMap:v1 ConfigMapList:v1 Endpoints:v1 ' +
    'EndpointsList:v1 LimitRange:v1 LimitRangeList:v1 Namespace:v1 NamespaceList:v1 Node:v1 NodeList:v1 ' +
    'PersistentVolume:v1 PersistentVolumeClaim:v1 PersistentVolumeClaimList:v1 PersistentVolumeList:v1 Pod:v1 ' +
    'PodList:v1 PodTemplate:v1 PodTemplateList:v1 ReplicationController:v1 ReplicationControllerList:v1 ' +
    'ResourceQuota:v1 ResourceQuotaList:v1 Secret:v1 SecretList:v1 Service:v1 ServiceAccount:v1 ' +
    'ServiceAccountList:v1 ServiceList:v1 Status:v1',
  'admissionregistration.k8s.io': 'MutatingWebhookConfiguration:v1 MutatingWebhookConfigurationList:v1 ' +
    'ValidatingAdmissionPolicy:v1alpha1,v1beta1 ValidatingAdmissionPolicyBinding:v1alpha1,v1beta1 ' +
    'ValidatingAdmissionPolicyBindingList:v1alpha1,v1beta1 ValidatingAdmissionPolicyList:v1alpha1,v1beta1 ' +
    'ValidatingWebhookConfiguration:v1 ValidatingWebhookConfigurationList:v1',
  'apiextensions.k8s.io': 'CustomResourceDefinition:v1 CustomResourceDefinitionList:v1',
  'apiregistration.k8s.io': 'APIService:v1 APIServiceList:v1',
  apps: 'ControllerRevision:v1 ControllerRevisionList:v1 DaemonSet:v1 DaemonSetList:v1 Deployment:v1 ' +
    'DeploymentList:v1 ReplicaSet:v1 ReplicaSetList:v1 StatefulSet:v1 StatefulSetList:v1',
  'authentication.k8s.io': 'SelfSubjectReview:v1,v1alpha1,v1beta1 TokenRequest:v1 TokenReview:v1',
  'authorization.k8s.io': 'LocalSubjectAccessReview:v1 SelfSubjectAccessReview:v1 SelfSubjectRulesReview:v1 ' +
    'SubjectAccessReview:v1',
  autoscaling: 'HorizontalPodAutoscaler:v1,v2 HorizontalPodAutoscalerList:v1,v2 Scale:v1',
  batch: 'CronJob:v1 CronJobList:v1 Job:v1 JobList:v1',
  'certificates.k8s.io': 'CertificateSigningRequest:v1 CertificateSigningRequestList:v1 ' +
    'ClusterTrustBundle:v1alpha1 ClusterTrustBundleList:v1alpha1',
  'coordination.k8s.io': 'Lease:v1 LeaseList:v1',
  'discovery.k8s.io': 'EndpointSlice:v1 EndpointSliceList:v1',
  'events.k8s.io': 'Event:v1 EventList:v1',
  'flowcontrol.apiserver.k8s.io': 'FlowSchema:v1beta2,v1beta3 FlowSchemaList:v1beta2,v1beta3 ' +
    'PriorityLevelConfiguration:v1beta2,v1beta3 PriorityLevelConfigurationList:v1beta2,v1beta3',
  'internal.apiserver.k8s.io': 'StorageVersion:v1alpha1 StorageVersionList:v1alpha1',
  'networking.k8s.io': 'ClusterCIDR:v1alpha1 ClusterCIDRList:v1alpha1 IPAddress:v1alpha1 IPAddressList:v1alpha1 ' +
    'Ingress:v1 IngressClass:v1 IngressClassList:v1 IngressList:v1 NetworkPolicy:v1 NetworkPolicyList:v1',
  'node.k8s.io': 'RuntimeClass:v1 RuntimeClassList:v1',
  policy: 'Eviction:v1 PodDisruptionBudget:v1 PodDisruptionBudgetList:v1',
  'rbac.authorization.k8s.io': 'ClusterRole:v1 ClusterRoleBinding:v1 ClusterRoleBindingList:v1 ClusterRoleList:v1 ' +
    'Role:v1 RoleBinding:v1 RoleBindingList:v1 RoleList:v1',
  'resource.k8s.io': 'PodSchedulingContext:v1alpha2 PodSchedulingContextList:v1alpha2 ResourceClaim:v1alpha2 ' +
    'ResourceClaimList:v1alpha2 ResourceClaimTemplate:v1alpha2 ResourceClaimTemplateList:v1alpha2 ' +
    'ResourceClass:v1alpha2 ResourceClassList:v1alpha2',
  'scheduling.k8s.io': 'PriorityClass:v1 PriorityClassList:v1',
  'storage.k8s.io': 'CSIDriver:v1 CSIDriverList:v1 CSINode:v1 CSINodeList:v1 CSIStorageCapacity:v1 ' +
    'CSIStorageCapacityList:v1 StorageClass:v1 StorageClassList:v1 VolumeAttachment:v1 VolumeAttachmentList:v1',
};

const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ComponentStatus',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CustomResourceDefinition', 'APIService',
  // create-only reviews
  'TokenReview', 'SelfSubjectReview', 'SubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview',
  'CertificateSigningRequest', 'ClusterTrustBundle',
  'FlowSchema', 'PriorityLevelConfiguration',
  'StorageVersion',
  'IngressClass', 'ClusterCIDR', 'IPAddress',
  'RuntimeClass',
  'ClusterRole', 'ClusterRoleBinding',
  'ResourceClass',
  'PriorityClass',
  'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  // removed before 1.28 (policy/v1beta1), still found in old manifests
  'PodSecurityPolicy',
]);

export interface BuiltInKind {
  readonly group: string;
  readonly kind: string;
  /** Versions 1.28 serves, e.g. ['v1']. */
  readonly versions: readonly string[];
  readonly clusterScoped: boolean;
}

const BY_KIND: ReadonlyMap<string, BuiltInKind> = new Map(
  Object.entries(SERVED).flatMap(([group, entries]) =>
    entries.split(' ').map((entry): [string, BuiltInKind] => {
      const [kind, versions] = entry.split(':');
      return [kind, { group, kind, versions: versions.split(','), clusterScoped: CLUSTER_SCOPED_KINDS.has(kind) }];
    }),
  ),
);

/**
 * The kinds whose spec.template is a pod template the API server validates as a pod (labels and pod spec): the
 * apps/v1 workloads and batch/v1 Job. (CronJob nests its template at spec.jobTemplate.spec.template.)
 */
export const POD_TEMPLATE_KINDS: readonly string[] = ['StatefulSet', 'Deployment', 'DaemonSet', 'ReplicaSet', 'Job'];

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → '' (the core group); '' for a non-string. */
export function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string' || !apiVersion.includes('/')) return '';
  return apiVersion.slice(0, apiVersion.indexOf('/'));
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

/** The built-in kind of this (group, kind), at any version (so `apps/v1beta2 StatefulSet` is apps StatefulSet). */
export function builtInKind(group: string, kind: string): BuiltInKind | undefined {
  const entry = BY_KIND.get(kind);
  return entry !== undefined && entry.group === group ? entry : undefined;
}

/** Whether (apiVersion, kind) is a built-in kind at a version Kubernetes 1.28 serves. */
export function isServedBuiltIn(apiVersion: unknown, kind: unknown): boolean {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
  const entry = builtInKind(groupOf(apiVersion), kind);
  return entry !== undefined && entry.versions.includes(versionOf(apiVersion));
}

/** Every (apiVersion, kind) 1.28 serves, as the schema catalogue lists them. */
export function servedBuiltIns(): { apiVersion: string; kind: string }[] {
  return [...BY_KIND.values()].flatMap(({ group, kind, versions }) =>
    versions.map((version) => ({ apiVersion: group === '' ? version : `${group}/${version}`, kind })),
  );
}

/** Whether a built-in kind is cluster-scoped (has no namespace). Unknown kinds (CRDs) count as namespaced. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** Every cluster-scoped built-in kind, sorted. */
export function clusterScopedKinds(): string[] {
  return [...CLUSTER_SCOPED_KINDS].sort();
}

/**
 * Whether an object of this group and kind has no namespace: a built-in kind's own scope, a removed built-in
 * kind by name (PodSecurityPolicy); a custom resource counts as namespaced, even one that reuses a built-in name.
 */
export function isClusterScopedIn(group: string, kind: string): boolean {
  const entry = BY_KIND.get(kind);
  if (entry !== undefined) return entry.group === group && entry.clusterScoped;
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** The API group of the built-in kind of this name ('apps' for StatefulSet), or undefined for an unknown kind. */
export function builtInGroupOf(kind: string): string | undefined {
  return BY_KIND.get(kind)?.group;
}
