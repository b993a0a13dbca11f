import { explainPending, reasonsAgainst, type Contention, type PendingClaim } from '../k8s/binder';
import { podName } from '../k8s/names';
import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest } from '../core/types';
import { claimPlan, type PlannedClaim, type StatefulSetClaimOwner } from './support/claims';
import { nameList, storagePath, UNSET_CLASS_CAVEAT } from './support/claim-text';
import { storageAnalysis, storageIndex, type StorageAnalysis, type StorageIndex } from './support/storage';

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
    const analysis = storageAnalysis(ctx);
    const index = storageIndex(ctx);
    const findings: Found[] = reportable(manifest, index).map((pending) => finding(pending, analysis));
    for (const contention of contentionsReportedAt(ctx).get(manifest) ?? []) {
      findings.push(contentionFinding(contention, index.losers.get(contention)!, analysis));
    }
    if (findings.length === 0) return [];
    const unplanned = unplannedNote(manifest, ctx);
    return findings.map((f) => ({ ...f, data: { ...f.data, unplanned } }) as Found);
  },
});

/**
 * Under OrderedReady a StatefulSet stops at its first pod whose claim may stay Pending: later ordinals never get
 * a pod or a claim, so only the lowest such ordinal is reported.
 */
function reportable(manifest: Manifest, index: StorageIndex): Pending[] {
  const mine = index.pendingOf.get(manifest) ?? [];
  const lowest = index.lowestPendingOrdinal.get(manifest) ?? Infinity;
  return mine.filter((p) => {
    const owner = p.claim.ref.owner;
    return owner === undefined || owner.statefulSet.parallel || owner.ordinal === lowest;
  });
}

/** Contentions with claims Pending in every run, by the manifest of their first claim at risk (where they are reported). */
function contentionsReportedAt(ctx: LintContext): ReadonlyMap<Manifest, readonly Contention<PlannedClaim, Manifest>[]> {
  return ctx.memo('rules/pvc-unbound/contentions', () => {
    const at = new Map<Manifest, Contention<PlannedClaim, Manifest>[]>();
    for (const [contention, losers] of storageIndex(ctx).losers) {
      if (losers.count === 0) continue;
      const manifest = losers.atRisk[0].ref.manifest;
      at.set(manifest, [...(at.get(manifest) ?? []), contention]);
    }
    return at;
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
  { count, atRisk }: StorageIndex['losers'] extends ReadonlyMap<unknown, infer L> ? L : never,
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
