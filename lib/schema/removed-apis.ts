/**
 * API versions that Kubernetes stopped serving, with the served replacement.
 * Source: the Kubernetes deprecated API migration guide (removals in 1.16, 1.22, 1.25, 1.26, 1.27, 1.29, 1.32).
 */
import { atLeast } from '../k8s/versions';

export interface RemovedApi {
  readonly apiVersion: string;
  readonly kind: string;
  /** Minor release that stopped serving it, e.g. '1.16'; absent for alpha versions that simply went away. */
  readonly removedIn?: string;
  /** The served apiVersion and kind to use instead; absent when nothing replaces it. */
  readonly replacement?: { readonly apiVersion: string; readonly kind: string };
  /** What to do when there is no replacement. */
  readonly advice?: string;
}

function moved(
  apiVersions: readonly string[],
  kinds: readonly string[],
  to: string,
  removedIn?: string,
): RemovedApi[] {
  return apiVersions.flatMap((apiVersion) =>
    kinds.map((kind) => ({ apiVersion, kind, removedIn, replacement: { apiVersion: to, kind } })),
  );
}

const WORKLOADS = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'ControllerRevision'];
const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ClusterRoleList', 'RoleList'];

export const REMOVED_APIS: readonly RemovedApi[] = [
  // 1.16
  ...moved(['apps/v1beta1', 'apps/v1beta2', 'extensions/v1beta1'], WORKLOADS, 'apps/v1', '1.16'),
  ...moved(['extensions/v1beta1'], ['NetworkPolicy'], 'networking.k8s.io/v1', '1.16'),
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'PodSecurityPolicy',
    removedIn: '1.16',
    advice: 'PodSecurityPolicy is gone (policy/v1beta1 too, in 1.25); use Pod Security Admission instead',
  },
  // StatefulSet was called PetSet until 1.5.
  {
    apiVersion: 'apps/v1alpha1',
    kind: 'PetSet',
    removedIn: '1.5',
    replacement: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  },
  // 1.22
  ...moved(['extensions/v1beta1', 'networking.k8s.io/v1beta1'], ['Ingress'], 'networking.k8s.io/v1', '1.22'),
  ...moved(['networking.k8s.io/v1beta1'], ['IngressClass'], 'networking.k8s.io/v1', '1.22'),
  ...moved(
    ['rbac.authorization.k8s.io/v1beta1'],
    RBAC,
    'rbac.authorization.k8s.io/v1',
    '1.22',
  ),
  ...moved(
    ['storage.k8s.io/v1beta1'],
    ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    'storage.k8s.io/v1',
    '1.22',
  ),
  ...moved(
    ['admissionregistration.k8s.io/v1beta1'],
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    'admissionregistration.k8s.io/v1',
    '1.22',
  ),
  ...moved(['apiextensions.k8s.io/v1beta1'], ['CustomResourceDefinition'], 'apiextensions.k8s.io/v1', '1.22'),
  ...moved(['apiregistration.k8s.io/v1beta1'], ['APIService'], 'apiregistration.k8s.io/v1', '1.22'),
  ...moved(['authentication.k8s.io/v1beta1'], ['TokenReview'], 'authentication.k8s.io/v1', '1.22'),
  ...moved(
    ['authorization.k8s.io/v1beta1'],
    ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
    'authorization.k8s.io/v1',
    '1.22',
  ),
  ...moved(['certificates.k8s.io/v1beta1'], ['CertificateSigningRequest'], 'certificates.k8s.io/v1', '1.22'),
  ...moved(['coordination.k8s.io/v1beta1'], ['Lease'], 'coordination.k8s.io/v1', '1.22'),
  ...moved(['scheduling.k8s.io/v1beta1'], ['PriorityClass'], 'scheduling.k8s.io/v1', '1.22'),
  // 1.25
  ...moved(['batch/v1beta1'], ['CronJob'], 'batch/v1', '1.25'),
  ...moved(['policy/v1beta1'], ['PodDisruptionBudget'], 'policy/v1', '1.25'),
  {
    apiVersion: 'policy/v1beta1',
    kind: 'PodSecurityPolicy',
    removedIn: '1.25',
    advice: 'use Pod Security Admission (namespace labels pod-security.kubernetes.io/*)',
  },
  ...moved(['discovery.k8s.io/v1beta1'], ['EndpointSlice'], 'discovery.k8s.io/v1', '1.25'),
  ...moved(['events.k8s.io/v1beta1'], ['Event'], 'events.k8s.io/v1', '1.25'),
  ...moved(['autoscaling/v2beta1'], ['HorizontalPodAutoscaler'], 'autoscaling/v2', '1.25'),
  ...moved(['node.k8s.io/v1beta1'], ['RuntimeClass'], 'node.k8s.io/v1', '1.25'),
  // 1.26
  ...moved(['autoscaling/v2beta2'], ['HorizontalPodAutoscaler'], 'autoscaling/v2', '1.26'),
  ...moved(
    ['flowcontrol.apiserver.k8s.io/v1beta1'],
    ['FlowSchema', 'PriorityLevelConfiguration'],
    'flowcontrol.apiserver.k8s.io/v1beta3',
    '1.26',
  ),
  // 1.27
  ...moved(['storage.k8s.io/v1beta1'], ['CSIStorageCapacity'], 'storage.k8s.io/v1', '1.27'),
  // After 1.28 (served by 1.28, so they apply only when --kubernetes-version is later).
  ...moved(
    ['flowcontrol.apiserver.k8s.io/v1beta2'],
    ['FlowSchema', 'PriorityLevelConfiguration'],
    'flowcontrol.apiserver.k8s.io/v1',
    '1.29',
  ),
  ...moved(
    ['flowcontrol.apiserver.k8s.io/v1beta3'],
    ['FlowSchema', 'PriorityLevelConfiguration'],
    'flowcontrol.apiserver.k8s.io/v1',
    '1.32',
  ),
  // Alpha versions of APIs that went GA, no longer served by 1.28.
  ...moved(['batch/v2alpha1'], ['CronJob'], 'batch/v1'),
  ...moved(['rbac.authorization.k8s.io/v1alpha1'], RBAC, 'rbac.authorization.k8s.io/v1'),
  ...moved(['scheduling.k8s.io/v1alpha1'], ['PriorityClass'], 'scheduling.k8s.io/v1'),
  ...moved(['node.k8s.io/v1alpha1'], ['RuntimeClass'], 'node.k8s.io/v1'),
  ...moved(['storage.k8s.io/v1alpha1'], ['VolumeAttachment', 'CSIStorageCapacity'], 'storage.k8s.io/v1'),
  ...moved(
    ['flowcontrol.apiserver.k8s.io/v1alpha1'],
    ['FlowSchema', 'PriorityLevelConfiguration'],
    'flowcontrol.apiserver.k8s.io/v1beta3',
  ),
  // Alpha APIs that went away without a replacement.
  {
    apiVersion: 'settings.k8s.io/v1alpha1',
    kind: 'PodPreset',
    removedIn: '1.20',
    advice: 'put the injected settings into the pod templates themselves',
  },
];

const byKey = new Map(REMOVED_APIS.map((r) => [`${r.apiVersion} ${r.kind}`, r]));

/** The removal of `apiVersion kind` if Kubernetes `version` (e.g. '1.28') no longer serves it. */
export function findRemovedApi(apiVersion: string, kind: string, version: string): RemovedApi | undefined {
  const removed = byKey.get(`${apiVersion} ${kind}`);
  if (removed?.removedIn !== undefined && !atLeast(version, removed.removedIn)) return undefined;
  return removed;
}

/** Groups that only ever held removed APIs (a kind in them is not a CRD). */
export const REMOVED_GROUPS: ReadonlySet<string> = new Set(['extensions', 'settings.k8s.io']);
