/** The rules `diff` reports, as the catalogue and the SARIF driver describe them. */
import type { RuleInfo } from '../core/types';

export const DIFF_RULES: readonly RuleInfo[] = [
  {
    id: 'immutable-field',
    severity: 'error',
    description: 'a change a Kubernetes 1.28 API server refuses to apply over the previous revision ' +
      '(StatefulSet spec outside replicas/ordinals/template/updateStrategy/persistentVolumeClaimRetentionPolicy/' +
      'minReadySeconds, workload selectors, Service clusterIP, PVC spec other than growing requests, PV volume source)',
    remediation: 'Revert the change, or delete the object (for a StatefulSet with --cascade=orphan) and re-apply it.',
  },
  {
    id: 'scale-down-retains-claims',
    severity: 'warning',
    description: 'a StatefulSet scale-down leaves the claims of the removed pods behind unless whenScaled is Delete',
    remediation: 'Set persistentVolumeClaimRetentionPolicy.whenScaled: Delete, or delete the claims once their data is no longer needed.',
  },
  {
    id: 'removed-sts-retains-claims',
    severity: 'warning',
    description: 'a removed StatefulSet leaves its claims behind unless whenDeleted is Delete',
    remediation: 'Delete the claims once their data is no longer needed, or keep the StatefulSet.',
  },
  {
    id: 'removed-pv-retains-data',
    severity: 'warning',
    description: 'a removed PersistentVolume with reclaim policy Retain leaves its data on the storage',
    remediation: 'Clean up or re-attach the data on the storage by hand.',
  },
  {
    id: 'unsafe-membership-change',
    severity: 'error',
    description: 'a change of replicas of an identified cluster (etcd, ZooKeeper, KRaft, MongoDB, Cassandra, RabbitMQ, ' +
      'Elasticsearch masters) that its membership cannot follow: more than one member at a time, below the old ' +
      'quorum, 1 → N, static KRaft controllers, a data-node scale-down without cdk8s-stateful.io/data-moved; ' +
      'every size change gets the runbook of membership commands',
    remediation: 'Change replicas by one per revision and run the printed membership commands in their order.',
  },
];
