import { explainPending, reasonsAgainst, type Contention, type PendingClaim } from '../k8s/binder';
import { podName } from '../k8s/names';
import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest } from '../core/types';
import { claimPlan, type PlannedClaim, type StatefulSetClaimOwner } from './support/claims';
import { nameList, storagePath } from './support/claim-text';
import { guaranteedLosers, storageAnalysis, type MissingPvs, type StorageAnalysis } from './support/storage';

type Pending = PendingClaim<PlannedClaim, Manifest>;

/**
 * Claims held to the linted PVs (see support/storage.ts for which) that the PV controller leaves Pending in every
 * run, with the reason for the nearest PVs; and contentions that leave some claims Pending in every run, which
 * ones depending on the order. Reported at the claim's `storage:` request. An error when the outcome is certain
 * given the linted files; a warning that starts with the assumption it rests on otherwise (no provisioner serves
 * the claim's class; the cluster has no default StorageClass). A static claim whose PVs are not among the linted
 * files is a note in the summary, an error only when the set is declared complete.
 */
const messages = {
  pending: '{{prefix}}{{claim}}: {{reason}}{{consequence}}{{classNote}}{{unplanned}}',
  volumeNameAbsent:
    '{{prefix}}{{claim}}: volumeName "{{volumeName}}" names no PersistentVolume among the linted files (declared ' +
    'complete): the claim stays Pending unless PV {{volumeName}} exists on the cluster{{unplanned}}',
  contended:
    '{{prefix}}{{count}} of the {{total}} claims {{claims}} {{stay}} Pending, and which is not determined ({{why}}): ' +
    '{{reason}}{{classNote}}{{unplanned}}',
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
    for (const missing of notedMissing(ctx).get(manifest) ?? []) ctx.note(missingNote(missing));
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
    const losers = guaranteedLosers(contention);
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

/** The claims whose PVs are not among the linted files, one per claim template (T-S-0, T-S-1 ... miss the same PVs), by manifest. */
function notedMissing(ctx: LintContext): ReadonlyMap<Manifest, MissingPvs[]> {
  return ctx.memo('rules/pvc-unbound/missing', () => {
    const templates = new Set<unknown>();
    const byManifest = new Map<Manifest, MissingPvs[]>();
    for (const missing of storageAnalysis(ctx).missing) {
      // A claim of a template is noted when it is the first of its template (a PVC that stands in for one counts).
      const template = missing.claim.owner?.template;
      const first = template === undefined || !templates.has(template);
      if (template !== undefined) templates.add(template);
      if (!first && missing.claim.manifest === missing.claim.owner!.manifest) continue;
      const list = byManifest.get(missing.claim.manifest);
      if (list === undefined) byManifest.set(missing.claim.manifest, [missing]);
      else list.push(missing);
    }
    return byManifest;
  });
}

function missingNote({ claim, volumeName, className }: MissingPvs): string {
  const { line } = claim.manifest.locate(storagePath(claim));
  const what =
    volumeName !== undefined
      ? `names PersistentVolume "${volumeName}" in volumeName, which is not among the linted files`
      : `can bind only a PersistentVolume ${className === '' ? 'without a class' : `of class "${className}"`}, and ` +
        `none is among the linted files`;
  return (
    `claim ${claim.name} (${claim.manifest.file}:${line}) ${what}: it stays Pending unless that PV exists on the ` +
    `cluster; lint the PV together with its claim (--complete makes this an error)`
  );
}

/** What a Pending outcome rests on (a warning then), and why a claim that sets no class has the one it has. */
function circumstances(claim: PlannedClaim, pending: Pending, analysis: StorageAnalysis) {
  const simulated = analysis.simulated.get(claim);
  const assumption = simulated?.assumption;
  return {
    prefix: assumption === undefined ? '' : `${assumption}: `,
    classNote: defaultClassNote(simulated?.defaultedTo, pending.claim.volumeName),
    severity: assumption === undefined ? {} : { severity: 'warning' as const },
  };
}

/** For a claim given the cluster's default class: that this is why, and the way out. */
function defaultClassNote(defaultedTo: string | undefined, volumeName: string | undefined): string {
  if (defaultedTo === undefined) return '';
  const target = volumeName === undefined ? 'class-less PVs' : `PV ${volumeName}`;
  return (
    `; the claim sets no storageClassName, so admission gives it the cluster's default StorageClass ` +
    `"${defaultedTo}": set storageClassName: "" to bind ${target}`
  );
}

function finding(pending: Pending, analysis: StorageAnalysis): Found {
  const claim = pending.claim.ref;
  const { prefix, classNote, severity } = circumstances(claim, pending, analysis);
  const volumeName = pending.claim.volumeName;
  if (volumeName !== undefined && pending.mismatchCount === 0 && pending.fitting.length === 0) {
    return { messageId: 'volumeNameAbsent', data: { prefix, claim: claim.name, volumeName }, path: storagePath(claim), ...severity };
  }
  return {
    messageId: 'pending',
    data: {
      prefix,
      claim: claim.name,
      reason: explainPending(pending),
      consequence: podConsequence(claim.owner),
      classNote,
    },
    path: storagePath(claim),
    ...severity,
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
  // How many lose holds only under the assumption any of them is simulated on (a claim a provisioner may serve
  // instead), whichever claim sorts first.
  const assumed = atRisk.find((claim) => analysis.simulated.get(claim.ref)?.assumption !== undefined) ?? atRisk[0];
  const { prefix, classNote, severity } = circumstances(assumed.ref, { ...explained, claim: assumed }, analysis);
  return {
    ...severity,
    messageId: 'contended',
    data: {
      prefix,
      classNote,
      count,
      total: atRisk.length,
      claims: nameList(atRisk.map((c) => c.name)),
      stay: count === 1 ? 'stays' : 'stay',
      why,
      reason: explainPending(explained),
    },
    path: storagePath(atRisk[0].ref),
  };
}

/** For a StatefulSet with more replicas than PVs in the set: the claims not simulated (see plannedOrdinalCount). */
function unplannedNote(manifest: Manifest, ctx: LintContext): string {
  const planned = claimPlan(ctx).statefulSetOf(manifest);
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
