/**
 * The rule registry: every rule of `lint` and `diff`, in catalogue order. The engines (lib/lint, lib/diff) receive
 * it from their callers; this is the one list the CLI, the constructs, the cdk8s plugin and the settings read.
 */
import { createRegistry, type RuleRegistry } from '../core/rule';
import { immutableField } from '../diff/checks/immutable-field';
import { removedVolumeRetainsData } from '../diff/checks/removed-pv';
import { removedStatefulSetRetainsClaims } from '../diff/checks/removed-statefulset';
import { scaleDownRetainsClaims } from '../diff/checks/scale-down';
import { unsafeMembershipChange } from '../diff/checks/unsafe-membership-change';
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
import { pvReclaimRecycle } from './pv-reclaim-recycle';
import { pvcClassUnset } from './pvc-class-unset';
import { pvcNondeterministic } from './pvc-nondeterministic';
import { pvcUnbound } from './pvc-unbound';
import { schema } from './schema';
import { storageFraction } from './storage-fraction';
import { stsNameLength } from './sts-name-length';
import { stsSelector } from './sts-selector';
import { stsService } from './sts-service';
import { vctMount } from './vct-mount';
import { yamlSyntax } from './yaml-syntax';

export const registry: RuleRegistry = createRegistry([
  // document and object rules the engine reports itself
  yamlSyntax,
  schema,
  // lint: object and set rules
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
  // lint: operator knowledge (lib/k8s/systems)
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
  // diff: revision rules
  immutableField,
  scaleDownRetainsClaims,
  removedStatefulSetRetainsClaims,
  removedVolumeRetainsData,
  unsafeMembershipChange,
]);
