/** Every diff check, in the order findings are reported for one object. */
import type { DiffCheck } from '../types';
import { pvSource } from './pv-source';
import { pvcSpec } from './pvc-spec';
import { removedVolumeRetainsData } from './removed-pv';
import { removedStatefulSetRetainsClaims } from './removed-statefulset';
import { scaleDownRetainsClaims } from './scale-down';
import { selectorImmutable } from './selector-immutable';
import { serviceClusterIP } from './service-cluster-ip';
import { statefulSetImmutable } from './statefulset-immutable';
import { unsafeMembershipChange } from './unsafe-membership-change';

export const DIFF_CHECKS: readonly DiffCheck[] = [
  statefulSetImmutable,
  selectorImmutable,
  serviceClusterIP,
  pvcSpec,
  pvSource,
  scaleDownRetainsClaims,
  removedStatefulSetRetainsClaims,
  removedVolumeRetainsData,
  unsafeMembershipChange,
];
