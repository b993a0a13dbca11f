import { explainPending, type PendingClaim } from '../k8s/binder';
import { podName } from '../k8s/names';
import { defineRule, type Report } from '../core/rule';
import type { Manifest } from '../core/types';
import type { PlannedClaim, StatefulSetClaimOwner } from './support/claims';
import { nameList, orderIsDetermined, storagePath } from './support/claim-text';
import { storageAnalysis, type MissingPvs, type StorageAnalysis } from './support/storage';

type Pending = PendingClaim<PlannedClaim, Manifest>;

/**
 * Claims held to the linted PVs (see support/storage.ts for which) that the PV controller cannot bind, with the
 * reason for the nearest PVs. Reported at the claim's `storage:` request.
 */
const messages = {
  contended: '{{prefix}}{{outcome}}: {{reason}}{{classNote}}',
  volumeNameAbsent:
    '{{prefix}}{{claim}}: volumeName "{{volumeName}}" names no PersistentVolume among the linted files (declared ' +
    'complete): the claim stays Pending unless PV {{volumeName}} exists on the cluster',
  pending: '{{prefix}}{{claim}}: {{reason}}{{consequence}}{{classNote}}',
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
    for (const missing of analysis.missing) {
      if (missing.claim.manifest === manifest && firstOfTemplate(missing, analysis.missing)) ctx.note(missingNote(missing));
    }
    const mine = analysis.simulation.pending.filter((pending) => pending.claim.ref.manifest === manifest);
    return reportable(mine).map((pending) => finding(pending, analysis));
  },
});

/** One note per claim template (its claims T-S-0, T-S-1 ... miss the same PVs). */
function firstOfTemplate(missing: MissingPvs, all: readonly MissingPvs[]): boolean {
  const owner = missing.claim.owner;
  if (owner === undefined || missing.claim.manifest !== owner.manifest) return true;
  return all.find((m) => m.claim.owner?.template === owner.template) === missing;
}

function missingNote({ claim, volumeName, className }: MissingPvs): string {
  const { line } = claim.manifest.locate(storagePath(claim));
  const where = `${claim.manifest.file}:${line}`;
  const what = volumeName !== undefined
    ? `names PersistentVolume "${volumeName}" in volumeName, which is not among the linted files`
    : `can bind only a PersistentVolume ${className === '' ? 'without a class' : `of class "${className}"`}, and ` +
      `none is among the linted files`;
  return (
    `claim ${claim.name} (${where}) ${what}: it stays Pending unless that PV exists on the cluster; lint the PV ` +
    `together with its claim (--complete makes this an error)`
  );
}

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

function finding(pending: Pending, analysis: StorageAnalysis): Found {
  const claim = pending.claim.ref;
  const simulated = analysis.simulated.get(claim);
  const assumption = simulated?.assumption;
  const prefix = assumption === undefined ? '' : `${assumption}: `;
  const severity = assumption === undefined ? {} : { severity: 'warning' as const };
  const classNote = defaultClassNote(simulated?.defaultedTo, pending);
  const path = storagePath(claim);
  const { contention } = pending;
  if (contention !== undefined && !orderIsDetermined(contention)) {
    const losers = contention.pendingInInputOrder.length;
    const atRisk = contention.mayStayPending.map((c) => c.name);
    const order = contention.claims.every((c) => c.ref.owner?.statefulSet.parallel)
      ? 'under Parallel pod management'
      : 'the PV controller handles claims in no fixed order';
    const outcome =
      atRisk.length > losers
        ? `${losers} of the ${atRisk.length} claims ${nameList(atRisk)} ${losers === 1 ? 'stays' : 'stay'} Pending, ` +
          `and which is not determined (${order})`
        : `${nameList(atRisk)} may stay Pending, depending on the order of binding (${order})`;
    return { messageId: 'contended', data: { prefix, outcome, reason: explainPending(pending), classNote }, path, ...severity };
  }
  const volumeName = pending.claim.volumeName;
  if (volumeName !== undefined && pending.mismatchCount === 0 && pending.fitting.length === 0) {
    return { messageId: 'volumeNameAbsent', data: { prefix, claim: claim.name, volumeName }, path, ...severity };
  }
  const data = {
    prefix,
    claim: claim.name,
    reason: explainPending(pending),
    consequence: podConsequence(claim.owner),
    classNote,
  };
  return { messageId: 'pending', data, path, ...severity };
}

/** For a claim given the cluster's default class: that this is why, and the way out. */
function defaultClassNote(defaultedTo: string | undefined, pending: Pending): string {
  if (defaultedTo === undefined) return '';
  const target = pending.claim.volumeName === undefined ? 'class-less PVs' : `PV ${pending.claim.volumeName}`;
  return (
    `; the claim sets no storageClassName, so admission gives it the cluster's default StorageClass ` +
    `"${defaultedTo}": set storageClassName: "" to bind ${target}`
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
