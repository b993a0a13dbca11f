/**
 * Changes a Kubernetes 1.28 API server refuses to apply over the previous revision. One rule, one check per kind;
 * each kind's check words its findings in its own file's messages.
 */
import { defineRule, type RevisionReport } from '../../core/rule';
import type { DiffContext, ObjectPair } from '../../core/types';
import { pvSource, pvSourceMessages } from './pv-source';
import { pvcSpec, pvcSpecMessages } from './pvc-spec';
import { selectorImmutable, selectorMessages } from './selector-immutable';
import { serviceClusterIP, serviceClusterIPMessages } from './service-cluster-ip';
import { statefulSetImmutable, statefulSetMessages } from './statefulset-immutable';

const messages = {
  ...statefulSetMessages,
  ...selectorMessages,
  ...serviceClusterIPMessages,
  ...pvcSpecMessages,
  ...pvSourceMessages,
};

type Check = (pair: ObjectPair, ctx: DiffContext) => readonly RevisionReport<typeof messages>[];

const CHECKS: Readonly<Record<string, Check>> = {
  StatefulSet: statefulSetImmutable,
  Deployment: selectorImmutable,
  DaemonSet: selectorImmutable,
  ReplicaSet: selectorImmutable,
  Service: serviceClusterIP,
  PersistentVolumeClaim: pvcSpec,
  PersistentVolume: pvSource,
};

export const immutableField = defineRule({
  id: 'immutable-field',
  phase: 'revision',
  severity: 'error',
  kinds: Object.keys(CHECKS),
  docs: {
    description:
      'A change a Kubernetes 1.28 API server refuses to apply over the previous revision ' +
      '(StatefulSet spec outside replicas/ordinals/template/updateStrategy/persistentVolumeClaimRetentionPolicy/' +
      'minReadySeconds, workload selectors, Service clusterIP, PVC spec other than growing requests of a bound claim whose StorageClass allows volume expansion, PV volume source).',
    remediation: 'Revert the change, or delete the object (for a StatefulSet with --cascade=orphan) and re-apply it.',
  },
  messages,
  check(pair, ctx) {
    return CHECKS[pair.kind]?.(pair, ctx) ?? [];
  },
});
