/** The cross-resource rules of cdk8s-stateful, in catalogue order. */
import type { Rule } from '../core/types';
import { duplicateObject } from './duplicate-object';
import { livenessNeedsQuorum } from './liveness-needs-quorum';
import { peersUnreadyDns } from './peers-unready-dns';
import { podManagementPolicy } from './pod-management-policy';
import { quorumSpread } from './quorum-spread';
import { rolloutOutpacesRejoin } from './rollout-outpaces-rejoin';
import { statefulShutdown } from './stateful-shutdown';
import { stsMaxUnavailable } from './sts-max-unavailable';
import { zookeeper4lw } from './zookeeper-4lw';
import { membershipList } from './membership-list';
import { pdbBlocksDrain } from './pdb-blocks-drain';
import { pdbOverlap } from './pdb-overlap';
import { peerDns } from './peer-dns';
import { quorumPdb } from './quorum-pdb';
import { pvClaimRef } from './pv-claim-ref';
import { pvNamespace } from './pv-namespace';
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
  pvcNondeterministic,
  pvClaimRef,
  pvNamespace,
  storageFraction,
  duplicateObject,
  quorumPdb,
  pdbBlocksDrain,
  pdbOverlap,
  peerDns,
  membershipList,
  peersUnreadyDns,
  podManagementPolicy,
  livenessNeedsQuorum,
  rolloutOutpacesRejoin,
  quorumSpread,
  statefulShutdown,
  stsMaxUnavailable,
  zookeeper4lw,
];

export {
  duplicateObject,
  livenessNeedsQuorum,
  peersUnreadyDns,
  podManagementPolicy,
  quorumSpread,
  rolloutOutpacesRejoin,
  statefulShutdown,
  stsMaxUnavailable,
  zookeeper4lw,

  membershipList,
  pdbBlocksDrain,
  pdbOverlap,
  peerDns,
  quorumPdb,
  pvClaimRef,
  pvNamespace,
  pvcNondeterministic,
  pvcUnbound,
  storageFraction,
  stsNameLength,
  stsSelector,
  stsService,
  vctMount,
};
