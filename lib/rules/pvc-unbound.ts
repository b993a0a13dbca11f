import { explainPending, reasonsAgainst, type Contention, type PendingClaim } from '../k8s/binder';
import { podName } from '../k8s/names';
import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest } from '../core/types';
import { claimPlan, type PlannedClaim, type StatefulSetClaimOwner } from './support/claims';
import { nameList, storagePath, UNSET_CLASS_CAVEAT } from './support/claim-text';
import { guaranteedLosers, storageAnalysis, type StorageAnalysis } from './support/storage';

type Pending = PendingClaim<PlannedClaim, Manifest>;

/**
 * Claims held to the linted PVs (see support/storage.ts for which) that the PV controller leaves Pending in every
 * run, with the reason for the nearest PVs; and contentions that leave some claims Pending in every run, which
 * ones depending on the order. Reported at the claim's `storage:` request.
 */
const messages = {
  pending: '{{claim}}: {{reason}}{{consequence}}{{caveat}}{{unplanned}}',
  volumeNameAbsent:
    '{{claim}}: volumeName "{{volumeName}}" names no PersistentVolume among the linted files: the claim stays ' +
    'Pending unless PV {{volumeName}} exists on the cluster; lint the PV together with its claim{{unplanned}}',
  contended:
    '{{count}} of the {{total}} claims {{claims}} {{stay}} Pending, and which is not determined ({{why}}): ' +
    '{{reason}}{{caveat}}{{unplanned}}',
};

type Found = Report<typeof messages>;

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
    const found = ctx.memo('rules/pvc-unbound', () => allFindings(ctx)).get(manifest) ?? [];
    const unplanned = found.length === 0 ? '' : unplannedNote(manifest, ctx);
    return found.map((f) => ({ ...f, data: { ...f.data, unplanned } }) as Found);
  },
});

/** Every finding of the set, by the manifest it belongs to: one pass over the binding, not one per manifest. */
function allFindings(ctx: LintContext): Map<Manifest, Found[]> {
  const analysis = storageAnalysis(ctx);
  const { binding } = analysis;
  const result = new Map<Manifest, Found[]>();
  const add = (manifest: Manifest, found: Found) => {
    const list = result.get(manifest);
    if (list === undefined) result.set(manifest, [found]);
    else list.push(found);
  };
  for (const pending of reportable(analysis)) add(pending.claim.ref.manifest, finding(pending, analysis));
  for (const contention of binding.contentions) {
    const losers = guaranteedLosers(contention, binding);
    if (losers.count > 0) add(losers.atRisk[0].ref.manifest, contentionFinding(contention, losers, analysis));
  }
  return result;
}

/**
 * Under OrderedReady a StatefulSet stops at its first pod whose claim may stay Pending: later ordinals never get
 * a pod or a claim, so only the lowest such ordinal is reported.
 */
function reportable({ binding }: StorageAnalysis): Pending[] {
  const lowest = new Map<Manifest, number>();
  for (const outcome of binding.outcomes.values()) {
    const owner = outcome.claim.ref.owner;
    if (owner === undefined || owner.statefulSet.parallel) continue;
    if (outcome.class === 'pending' || outcome.class === 'sometimes-pending') {
      lowest.set(owner.manifest, Math.min(lowest.get(owner.manifest) ?? Infinity, owner.ordinal));
    }
  }
  return binding.pending.filter((p) => {
    const owner = p.claim.ref.owner;
    return owner === undefined || owner.statefulSet.parallel || owner.ordinal === lowest.get(owner.manifest);
  });
}

function caveatOf(claim: PlannedClaim, analysis: StorageAnalysis): string {
  return analysis.staticClaims.get(`${claim.namespace}/${claim.name}`)?.unsetClass ? UNSET_CLASS_CAVEAT : '';
}

function finding(pending: Pending, analysis: StorageAnalysis): Found {
  const claim = pending.claim.ref;
  const volumeName = pending.claim.volumeName;
  if (volumeName !== undefined && pending.mismatchCount === 0 && pending.fitting.length === 0) {
    return { messageId: 'volumeNameAbsent', data: { claim: claim.name, volumeName }, path: storagePath(claim) };
  }
  return {
    messageId: 'pending',
    data: {
      claim: claim.name,
      reason: explainPending(pending),
      consequence: podConsequence(claim.owner),
      caveat: caveatOf(claim, analysis),
    },
    path: storagePath(claim),
  };
}

function contentionFinding(
  contention: Contention<PlannedClaim, Manifest>,
  { count, atRisk }: ReturnType<typeof guaranteedLosers>,
  analysis: StorageAnalysis,
): Found {
  const owners = contention.claims.map((claim) => claim.ref.owner);
  const oneSet = owners.every((owner) => owner !== undefined && owner.manifest === owners[0]?.manifest);
  const why = !oneSet
    ? 'the PV controller handles claims in no fixed order'
    : owners[0]!.statefulSet.parallel
      ? 'under Parallel pod management'
      : 'the claims of one pod are created together and bound in no fixed order';
  const fitting = contention.pvs.filter((pv) => reasonsAgainst(atRisk[0], pv).length === 0);
  const explained: Pending = { claim: atRisk[0], fitting, mismatches: [], mismatchCount: 0, contention };
  return {
    messageId: 'contended',
    data: {
      count,
      total: atRisk.length,
      claims: nameList(atRisk.map((c) => c.name)),
      stay: count === 1 ? 'stays' : 'stay',
      why,
      reason: explainPending(explained),
      caveat: caveatOf(atRisk[0].ref, analysis),
    },
    path: storagePath(atRisk[0].ref),
  };
}

/** For a StatefulSet with more replicas than PVs in the set: the claims not simulated (see plannedOrdinalCount). */
function unplannedNote(manifest: Manifest, ctx: LintContext): string {
  const planned = claimPlan(ctx).statefulSets.find((s) => s.manifest === manifest);
  if (planned === undefined || planned.unplanned <= 0) return '';
  const pvs = ctx.byKind('PersistentVolume').length;
  return (
    `; ${planned.unplanned} more of its ${planned.view.replicas} replicas were not simulated: with only ${pvs} ` +
    `PV${pvs === 1 ? '' : 's'} in the set their claims stay Pending too`
  );
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
