import { canonicalModes, type ClaimOutcome, type Contention, type PvSpec } from '../k8s/binder';
import { defineRule, type Report } from '../core/rule';
import { WAIT_FOR_FIRST_CONSUMER } from '../k8s/views';
import type { LintContext, Manifest } from '../core/types';
import type { PlannedClaim } from './support/claims';
import { nameList, storagePath } from './support/claim-text';
import { guaranteedLosers, storageAnalysis } from './support/storage';

const PAIRS_SHOWN = 3;

type Outcome = ClaimOutcome<PlannedClaim, Manifest>;
type Pv = PvSpec<Manifest>;

/**
 * Claims the PV controller binds to one of several PVs, or leaves Pending only in some runs: claims competing for
 * the same PVs without claimRef pre-binding (the controller handles claims in no fixed order), and a claim alone
 * facing a random pick (several PVs pre-bound to it, access-mode groups of equal size, equally small PVs). Also a
 * claim that binds another PV than the one pre-bound to it (the controller tries PVs with fewer access modes
 * first). Contentions that leave some claim Pending in every run are `pvc-unbound`'s to report.
 */
const PIN = 'pre-bind the PV you mean with spec.claimRef (or name it in the claim\'s spec.volumeName)';

const messages = {
  displaced:
    '{{claim}} {{binds}} {{bound}} ({{modes}}: fewer access modes, tried first) instead of {{own}}, which is ' +
    'pre-bound to it; {{own}} stays reserved and unused: give the PVs the same access modes, or pre-bind {{boundAll}} too',
  compete:
    'claims {{claims}} compete for PVs {{pvs}}, none pre-bound: which claim binds which PV is not ' +
    'deterministic{{risk}}; pre-bind with claimRef ({{pairs}})',
  severalPreBound:
    '{{claim}} may bind {{pvs}}, not the same in every run: all are pre-bound to it by claimRef and the PV ' +
    'controller binds whichever it finds first; keep the claimRef on one of them',
  equalGroups:
    '{{claim}} may bind {{pvs}}, not the same in every run: the PV controller tries access-mode sets of equal size ' +
    `({{sets}}) in random order and binds the smallest fitting PV of the first it tries; ${PIN}`,
  equallySmall:
    '{{claim}} may bind {{pvs}}, not the same in every run: they are equally small and the PV controller binds ' +
    `whichever it finds first; ${PIN}`,
};

type Found = Report<typeof messages>;

export const pvcNondeterministic = defineRule({
  id: 'pvc-nondeterministic',
  phase: 'set',
  severity: 'warning',
  kinds: ['StatefulSet', 'PersistentVolumeClaim'],
  docs: {
    description: 'Claims held to static PVs bind the same PV in every run of the PV controller.',
    remediation:
      'Pre-bind each PV to its claim with spec.claimRef (PV i → claim T-S-i, with the namespace), or name the PV ' +
      'in the claim\'s spec.volumeName, so binding is deterministic.',
  },
  messages,
  check(manifest, ctx) {
    return ctx.memo('rules/pvc-nondeterministic', () => allFindings(ctx)).get(manifest) ?? [];
  },
});

/** Every warning of the set, by the manifest it belongs to: one pass over the binding, not one per manifest. */
function allFindings(ctx: LintContext): Map<Manifest, Found[]> {
  const { binding, classByName } = storageAnalysis(ctx);
  // Under WaitForFirstConsumer the scheduler binds a claim when it places the pod, to a PV the pod's node can use:
  // which claim gets which PV follows the nodes by design (local volumes), so an unpinned contention is no mistake.
  const bindsWithPod = (pv: Pv) =>
    classByName.get(pv.storageClassName ?? '')?.volumeBindingMode === WAIT_FOR_FIRST_CONSUMER;
  const result = new Map<Manifest, Found[]>();
  const add = (manifest: Manifest, found: Found) => {
    const list = result.get(manifest);
    if (list === undefined) result.set(manifest, [found]);
    else list.push(found);
  };
  const varies = (o: Outcome) => o.class === 'one-of-several' || o.class === 'sometimes-pending';
  const displaced = (o: Outcome) => o.displacedFrom !== undefined && o.pv !== undefined;
  for (const outcome of binding.outcomes.values()) {
    if (displaced(outcome)) add(outcome.claim.ref.manifest, displacementWarning(outcome));
    else if (outcome.class === 'one-of-several' && outcome.contention === undefined) {
      add(outcome.claim.ref.manifest, randomPickWarning(outcome));
    }
  }
  for (const contention of binding.contentions) {
    const { outcomes } = contention;
    // With claims Pending in every run, pvc-unbound reports those at risk: here, the ones whose PV varies.
    const losers = guaranteedLosers(contention).count > 0;
    const warned = outcomes.filter((o) => !displaced(o) && (losers ? o.class === 'one-of-several' : varies(o)));
    const someMayStayPending = outcomes.some((o) => o.class === 'sometimes-pending');
    if (contention.pvs.every(bindsWithPod) && !someMayStayPending) continue;
    if (warned.length > 0) add(warned[0].claim.ref.manifest, contentionWarning(contention, losers ? warned : outcomes));
  }
  return result;
}


/** `a or b`, `a, b or c`. */
function alternatives(pvs: readonly Pv[]): string {
  const names = pvs.map((pv) => pv.name);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function randomPickWarning(outcome: Outcome): Found {
  const claim = outcome.claim.ref;
  const data = { claim: claim.name, pvs: alternatives(outcome.alternatives) };
  const path = storagePath(claim);
  if (outcome.randomness === 'pre-bound') return { messageId: 'severalPreBound', data, path };
  if (outcome.randomness === 'equal-groups') {
    const sets = [...new Set(outcome.alternatives.map((pv) => canonicalModes(pv.accessModes).join('+')))].join(' and ');
    return { messageId: 'equalGroups', data: { ...data, sets }, path };
  }
  return { messageId: 'equallySmall', data, path };
}

function displacementWarning(outcome: Outcome): Found {
  const { claim, pv: bound, displacedFrom: own } = outcome as Required<Pick<Outcome, 'pv' | 'displacedFrom'>> & Outcome;
  const taken = outcome.class === 'bound' ? [bound] : outcome.alternatives.filter((pv) => pv !== own);
  const binds = outcome.class === 'bound' ? 'binds' : 'may bind';
  const modes = [...new Set(taken.map((pv) => canonicalModes(pv.accessModes).join(', ')))].join(' or ');
  return {
    messageId: 'displaced',
    data: {
      claim: claim.name,
      binds,
      bound: alternatives(taken),
      modes,
      own: own.name,
      boundAll: alternatives(taken).replace(/ or /, ' and '),
    },
    path: storagePath(claim.ref),
  };
}

function contentionWarning(contention: Contention<PlannedClaim, Manifest>, outcomes: readonly Outcome[]): Found {
  const claims = outcomes.map((o) => o.claim.name);
  const pvs = contention.pvs.map((pv) => pv.name);
  const pairCount = Math.min(claims.length, pvs.length);
  const pairs = claims.slice(0, Math.min(pairCount, PAIRS_SHOWN)).map((claim, i) => `${pvs[i]} → ${claim}`);
  const shown = pairs.join(', ') + (pairCount > PAIRS_SHOWN ? ', …' : '');
  const atRisk = outcomes.filter((o) => o.class === 'sometimes-pending').map((o) => o.claim.name);
  const risk = atRisk.length > 0 ? `, and ${nameList(atRisk)} may stay Pending in some orders` : '';
  return {
    messageId: 'compete',
    data: { claims: nameList(claims), pvs: nameList(pvs), risk, pairs: shown },
    path: storagePath(outcomes[0].claim.ref),
  };
}
