/** The cross-resource rules of cdk8s-stateful, in catalogue order. */
import type { Rule } from '../core/types';
import { duplicateObject } from './duplicate-object';
import { pvClaimRef } from './pv-claim-ref';
import { pvNamespace } from './pv-namespace';
import { pvReclaimRecycle } from './pv-reclaim-recycle';
import { pvcClassUnset } from './pvc-class-unset';
import { pvcNondeterministic } from './pvc-nondeterministic';
import { pvcUnbound } from './pvc-unbound';
import { storageFraction } from './storage-fraction';
import { stsNameLength } from './sts-name-length';
import { stsSelector } from './sts-selector';
import { stsService } from './sts-service';
import { vctMount } from './vct-mount';

export const allRules: readonly Rule[] = [
  stsService,
  stsSelector,
  stsNameLength,
  vctMount,
  pvcUnbound,
  pvcClassUnset,
  pvcNondeterministic,
  pvClaimRef,
  pvNamespace,
  pvReclaimRecycle,
  storageFraction,
  duplicateObject,
];

export {
  duplicateObject,
  pvClaimRef,
  pvNamespace,
  pvReclaimRecycle,
  pvcClassUnset,
  pvcNondeterministic,
  pvcUnbound,
  storageFraction,
  stsNameLength,
  stsSelector,
  stsService,
  vctMount,
};
