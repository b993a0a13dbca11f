/**
 * API defaults of Kubernetes 1.28 (pkg/apis/*\/v1/defaults.go), and apps/v1beta1's where they differ: what the API
 * server fills in when a field is left out. One table, read by the typed views (k8s/views.ts, apps/v1 only) and by
 * diff's normalisation (diff/normalize.ts).
 */

type Json = Record<string, unknown>;

export interface DefaultEntry {
  readonly kinds: readonly string[];
  /** Keys from the object root; '*' visits every element of an array. The last key is the defaulted field. */
  readonly path: readonly string[];
  /** The default, or a function of the object that holds the field (e.g. targetPort = port). */
  readonly value: unknown | ((holder: Json) => unknown);
  /** Apply only when the holder satisfies this (e.g. rollingUpdate only for type RollingUpdate). */
  readonly when?: (holder: Json) => boolean;
  /** Only for objects written at these apiVersions (all, when absent). */
  readonly apiVersions?: readonly string[];
}

const POD_SPEC_DEFAULTS = (kinds: readonly string[], podSpec: readonly string[]): DefaultEntry[] => [
  { kinds, path: [...podSpec, 'restartPolicy'], value: 'Always' },
  { kinds, path: [...podSpec, 'dnsPolicy'], value: 'ClusterFirst' },
  { kinds, path: [...podSpec, 'schedulerName'], value: 'default-scheduler' },
  { kinds, path: [...podSpec, 'terminationGracePeriodSeconds'], value: 30 },
  { kinds, path: [...podSpec, 'containers', '*', 'terminationMessagePath'], value: '/dev/termination-log' },
  { kinds, path: [...podSpec, 'containers', '*', 'terminationMessagePolicy'], value: 'File' },
  { kinds, path: [...podSpec, 'containers', '*', 'ports', '*', 'protocol'], value: 'TCP' },
];

export const WORKLOADS = ['StatefulSet', 'Deployment', 'DaemonSet', 'ReplicaSet'];
const STS = ['StatefulSet'];
const isRollingUpdate = (holder: Json): boolean => holder.type === 'RollingUpdate';
const hasClusterIP = (holder: Json): boolean => holder.type !== 'ExternalName';

const templateLabels = (spec: Json): Json | undefined => {
  const labels = ((spec.template as Json | undefined)?.metadata as Json | undefined)?.labels;
  return typeof labels === 'object' && labels !== null && !Array.isArray(labels) ? (labels as Json) : undefined;
};

/**
 * apps/v1beta1 (served until 1.16; its objects live on, stored as apps/v1) set a missing selector to the pod
 * template's labels, a StatefulSet's update strategy to OnDelete and a Deployment's revision history to 2
 * (pkg/apis/apps/v1beta1/defaults.go; it also copied the template's labels into empty metadata.labels, which no
 * check reads). First in DEFAULTS, so the apps/v1 defaults below fill in only what these leave unset.
 */
const APPS_V1BETA1_DEFAULTS: DefaultEntry[] = [
  {
    kinds: ['StatefulSet', 'Deployment'],
    apiVersions: ['apps/v1beta1'],
    path: ['spec', 'selector'],
    value: (spec: Json) => ({ matchLabels: { ...templateLabels(spec) } }),
    when: (spec) => templateLabels(spec) !== undefined,
  },
  { kinds: STS, apiVersions: ['apps/v1beta1'], path: ['spec', 'updateStrategy'], value: () => ({}) },
  { kinds: STS, apiVersions: ['apps/v1beta1'], path: ['spec', 'updateStrategy', 'type'], value: 'OnDelete' },
  { kinds: ['Deployment'], apiVersions: ['apps/v1beta1'], path: ['spec', 'revisionHistoryLimit'], value: 2 },
];

/** API defaults of Kubernetes 1.28 (pkg/apis/*\/v1/defaults.go), applied in order. */
export const DEFAULTS: readonly DefaultEntry[] = [
  ...APPS_V1BETA1_DEFAULTS,
  { kinds: STS, path: ['spec', 'replicas'], value: 1 },
  { kinds: STS, path: ['spec', 'podManagementPolicy'], value: 'OrderedReady' },
  { kinds: STS, path: ['spec', 'revisionHistoryLimit'], value: 10 },
  { kinds: STS, path: ['spec', 'minReadySeconds'], value: 0 },
  { kinds: STS, path: ['spec', 'updateStrategy'], value: () => ({}) },
  { kinds: STS, path: ['spec', 'updateStrategy', 'type'], value: 'RollingUpdate' },
  { kinds: STS, path: ['spec', 'updateStrategy', 'rollingUpdate'], value: () => ({}), when: isRollingUpdate },
  { kinds: STS, path: ['spec', 'updateStrategy', 'rollingUpdate', 'partition'], value: 0 },
  { kinds: STS, path: ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'], value: 1 },
  { kinds: STS, path: ['spec', 'persistentVolumeClaimRetentionPolicy'], value: () => ({}) },
  { kinds: STS, path: ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted'], value: 'Retain' },
  { kinds: STS, path: ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenScaled'], value: 'Retain' },
  { kinds: STS, path: ['spec', 'volumeClaimTemplates', '*', 'spec', 'volumeMode'], value: 'Filesystem' },
  { kinds: ['Deployment'], path: ['spec', 'replicas'], value: 1 },
  { kinds: ['Deployment'], path: ['spec', 'revisionHistoryLimit'], value: 10 },
  { kinds: ['Deployment'], path: ['spec', 'progressDeadlineSeconds'], value: 600 },
  { kinds: ['Deployment'], path: ['spec', 'strategy'], value: () => ({}) },
  { kinds: ['Deployment'], path: ['spec', 'strategy', 'type'], value: 'RollingUpdate' },
  { kinds: ['Deployment'], path: ['spec', 'strategy', 'rollingUpdate'], value: () => ({}), when: isRollingUpdate },
  { kinds: ['Deployment'], path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], value: '25%' },
  { kinds: ['Deployment'], path: ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], value: '25%' },
  ...POD_SPEC_DEFAULTS(WORKLOADS, ['spec', 'template', 'spec']),
  { kinds: ['Service'], path: ['spec', 'type'], value: 'ClusterIP' },
  { kinds: ['Service'], path: ['spec', 'sessionAffinity'], value: 'None' },
  { kinds: ['Service'], path: ['spec', 'internalTrafficPolicy'], value: 'Cluster', when: hasClusterIP },
  { kinds: ['Service'], path: ['spec', 'ports', '*', 'protocol'], value: 'TCP' },
  { kinds: ['Service'], path: ['spec', 'ports', '*', 'targetPort'], value: (port: Json) => port.port },
  { kinds: ['Service'], path: ['spec', 'clusterIPs'], value: (spec: Json) => [spec.clusterIP], when: (s) => typeof s.clusterIP === 'string' },
  { kinds: ['Service'], path: ['spec', 'clusterIP'], value: (spec: Json) => (spec.clusterIPs as unknown[])[0], when: (s) => Array.isArray(s.clusterIPs) && s.clusterIPs.length > 0 },
  { kinds: ['PersistentVolumeClaim'], path: ['spec', 'volumeMode'], value: 'Filesystem' },
  { kinds: ['StorageClass'], path: ['reclaimPolicy'], value: 'Delete' },
  { kinds: ['StorageClass'], path: ['volumeBindingMode'], value: 'Immediate' },
  { kinds: ['PersistentVolume'], path: ['spec', 'volumeMode'], value: 'Filesystem' },
  // Retain is the default of a PV created by hand; dynamically provisioned PVs take their class's policy instead.
  { kinds: ['PersistentVolume'], path: ['spec', 'persistentVolumeReclaimPolicy'], value: 'Retain' },
];

/**
 * The default of a scalar field (no '*' in the path, no condition on its holder), e.g.
 * `defaultOf('StatefulSet', ['spec', 'replicas'])` is 1; undefined when the API server fills in nothing.
 */
export function defaultOf(kind: string, path: readonly string[]): unknown {
  return SCALAR_DEFAULTS.get(`${kind}\u0000${path.join('.')}`);
}

/** defaultOf's answers, looked up once (the views ask for each object they read). */
const SCALAR_DEFAULTS: ReadonlyMap<string, unknown> = (() => {
  const table = new Map<string, unknown>();
  for (const entry of DEFAULTS) {
    if (entry.when || entry.apiVersions) continue;
    for (const kind of entry.kinds) {
      const key = `${kind}\u0000${entry.path.join('.')}`;
      if (!table.has(key)) table.set(key, typeof entry.value === 'function' ? undefined : entry.value);
    }
  }
  return table;
})();
