import { explainPending, type PendingClaim } from '../k8s/binder';
import { podName } from '../k8s/names';
import { defineRule, type Report } from '../core/rule';
import type { Manifest } from '../core/types';
import type { PlannedClaim, StatefulSetClaimOwner } from './support/claims';
import { nameList, orderIsDetermined, storagePath, UNSET_CLASS_CAVEAT } from './support/claim-text';
import { storageAnalysis, type StorageAnalysis } from './support/storage';

type Pending = PendingClaim<PlannedClaim, Manifest>;

/**
 * Claims held to the linted PVs (see support/storage.ts for which) that the PV controller cannot bind, with the
 * reason for the nearest PVs. Reported at the claim's `storage:` request.
 */
const messages = {
  contended: '{{outcome}}: {{reason}}{{caveat}}',
  volumeNameAbsent:
    '{{claim}}: volumeName "{{volumeName}}" names no PersistentVolume among the linted files: the claim stays ' +
    'Pending unless PV {{volumeName}} exists on the cluster; lint the PV together with its claim',
  pending: '{{claim}}: {{reason}}{{consequence}}{{caveat}}',
};

export const pvcUnbound = defineRule({
  id: 'pvc-unbound',
  phase: 'set',
  severity: 'error',
  kinds: ['StatefulSet', 'PersistentVolumeClaim'],
  docs: {
    description: 'Every claim without a dynamic provisioner can bind one of the PersistentVolumes in the set.',
    remediation:
      'Add or fix a PV for each reported claim (capacity, access modes, class, volume mode, claimRef), or give ' +
      'the claim a provisioning StorageClass.',
  },
  messages,
  check(manifest, ctx) {
    const analysis = storageAnalysis(ctx);
    const mine = analysis.simulation.pending.filter((pending) => pending.claim.ref.manifest === manifest);
    return reportable(mine).map((pending) => finding(pending, analysis));
  },
});

/**
 * Under OrderedReady a StatefulSet stops at its first pod whose claim stays Pending: later ordinals never get a
 * pod or a claim, so only the lowest pending ordinal is reported. A contention whose outcome is not determined is
 * reported once, at the first claim it leaves Pending in the prediction.
 */
function reportable(pending: readonly Pending[]): Pending[] {
  const ordinalsOrdered = pending
    .map((p) => p.claim.ref.owner)
    .filter((owner): owner is StatefulSetClaimOwner => owner !== undefined && !owner.statefulSet.parallel)
    .map((owner) => owner.ordinal);
  const lowest = Math.min(...ordinalsOrdered);
  return pending.filter((p) => {
    const { contention } = p;
    if (contention !== undefined && !orderIsDetermined(contention)) {
      return contention.pendingInInputOrder[0] === p.claim;
    }
    const owner = p.claim.ref.owner;
    return owner === undefined || owner.statefulSet.parallel || owner.ordinal === lowest;
  });
}

function finding(pending: Pending, analysis: StorageAnalysis): Report<typeof messages> {
  const claim = pending.claim.ref;
  const caveat = analysis.staticClaims.get(`${claim.namespace}/${claim.name}`)?.unsetClass ? UNSET_CLASS_CAVEAT : '';
  const { contention } = pending;
  if (contention !== undefined && !orderIsDetermined(contention)) {
    const losers = contention.pendingInInputOrder.length;
    const atRisk = contention.mayStayPending.map((c) => c.name);
    const why = contention.claims.every((c) => c.ref.owner?.statefulSet.parallel)
      ? 'under Parallel pod management'
      : 'the PV controller handles claims in no fixed order';
    const outcome =
      atRisk.length > losers
        ? `${losers} of the ${atRisk.length} claims ${nameList(atRisk)} ${losers === 1 ? 'stays' : 'stay'} Pending, ` +
          `and which is not determined (${why})`
        : `${nameList(atRisk)} may stay Pending, depending on the order of binding (${why})`;
    return {
      messageId: 'contended',
      data: { outcome, reason: explainPending(pending), caveat },
      path: storagePath(claim),
    };
  }
  const volumeName = pending.claim.volumeName;
  if (volumeName !== undefined && pending.mismatchCount === 0 && pending.fitting.length === 0) {
    return { messageId: 'volumeNameAbsent', data: { claim: claim.name, volumeName }, path: storagePath(claim) };
  }
  return {
    messageId: 'pending',
    data: { claim: claim.name, reason: explainPending(pending), consequence: podConsequence(claim.owner), caveat },
    path: storagePath(claim),
  };
}

function podConsequence(owner: StatefulSetClaimOwner | undefined): string {
  if (owner === undefined) return '';
  const { statefulSet, ordinal } = owner;
  const pod = podName(statefulSet.name, ordinal);
  if (statefulSet.parallel) return `; pod ${pod} stays Pending`;
  const last = statefulSet.ordinalsStart + statefulSet.replicas - 1;
  const never =
    last === ordinal
      ? ''
      : last === ordinal + 1
        ? ` and pod ${podName(statefulSet.name, last)} is never created`
        : ` and pods ${podName(statefulSet.name, ordinal + 1)}..${podName(statefulSet.name, last)} are never created`;
  return `; under OrderedReady pod ${pod} stays Pending${never}`;
}
