import { canonicalModes, claimKey, type ClaimSpec, type Contention, type PvSpec } from '../k8s/binder';
import { defineRule, type Report } from '../core/rule';
import type { Manifest } from '../core/types';
import type { PlannedClaim } from './support/claims';
import { nameList, orderIsDetermined, storagePath } from './support/claim-text';
import { storageAnalysis } from './support/storage';

const PAIRS_SHOWN = 3;

type Claim = ClaimSpec<PlannedClaim>;
type Pv = PvSpec<Manifest>;

/**
 * Several claims that fit the same PVs, none pre-bound: the PV controller handles claims and equally fitting PVs in
 * no fixed order, so which pod's data lands on which volume (or which claim is left out) differs between runs.
 * Also a claim that binds another PV than the one pre-bound to it (the controller tries PVs with fewer access
 * modes first), leaving its own PV reserved and unused. Groups that leave a claim Pending in the prediction are
 * `pvc-unbound`'s to report.
 */
const messages = {
  displaced:
    '{{claim}} {{binds}} {{bound}} ({{modes}}: fewer access modes, tried first) instead of {{own}}, ' +
    'which is pre-bound to it; {{own}} stays reserved and unused: give the PVs the same access modes, or ' +
    'pre-bind {{bound}} too',
  compete:
    'claims {{claims}} compete for PVs {{pvs}}, none pre-bound: which claim binds which PV is ' +
    'not deterministic{{risk}}; pre-bind with claimRef ({{pairs}})',
};

type Found = Report<typeof messages>;

export const pvcNondeterministic = defineRule({
  id: 'pvc-nondeterministic',
  phase: 'set',
  severity: 'warning',
  kinds: ['StatefulSet', 'PersistentVolumeClaim'],
  docs: {
    description: 'Claims held to static PVs do not compete for the same PVs without claimRef pre-binding.',
    remediation:
      'Pre-bind each PV to its claim with spec.claimRef (PV i → claim T-S-i, with the namespace) so binding is ' +
      'deterministic.',
  },
  messages,
  check(manifest, ctx) {
    const { simulation } = storageAnalysis(ctx);
    const boundPv = (claim: Claim) => simulation.outcomes.get(claimKey(claim))?.pv;
    return simulation.nondeterministic
      .filter(
        (contention) => contention.pendingInInputOrder.length === 0 && contention.claims[0].ref.manifest === manifest,
      )
      .flatMap((contention) => {
        const displaced = displacements(contention, boundPv);
        return displaced.length > 0 ? displaced.map((d) => displacementWarning(d, contention)) : [warning(contention)];
      });
  },
});

/** A claim that binds `bound` although `own`, which fits it, is pre-bound to it by claimRef. */
interface Displacement {
  readonly claim: Claim;
  readonly bound: Pv;
  readonly own: Pv;
}

function displacements(contention: Contention<PlannedClaim, Manifest>, boundPv: (claim: Claim) => Pv | undefined) {
  const result: Displacement[] = [];
  for (const claim of contention.claims) {
    const bound = boundPv(claim);
    const own = contention.pvs.find((pv) => isPreBoundTo(pv, claim));
    if (bound !== undefined && own !== undefined && bound !== own && !isPreBoundTo(bound, claim)) {
      result.push({ claim, bound, own });
    }
  }
  return result;
}

function isPreBoundTo(pv: Pv, claim: Claim): boolean {
  const ref = pv.claimRef;
  return ref !== undefined && !ref.uid && ref.namespace === claim.namespace && ref.name === claim.name;
}

function displacementWarning(
  { claim, bound, own }: Displacement,
  contention: Contention<PlannedClaim, Manifest>,
): Found {
  const binds = orderIsDetermined(contention) ? 'binds' : 'may bind';
  const modes = canonicalModes(bound.accessModes).join(', ');
  return {
    messageId: 'displaced',
    data: { claim: claim.name, binds, bound: bound.name, modes, own: own.name },
    path: storagePath(claim.ref),
  };
}

function warning(contention: Contention<PlannedClaim, Manifest>): Found {
  const claims = contention.claims.map((claim) => claim.name);
  const pvs = contention.pvs.map((pv) => pv.name);
  const pairs = claims.slice(0, Math.min(claims.length, pvs.length)).map((claim, i) => `${pvs[i]} → ${claim}`);
  const shown = pairs.slice(0, PAIRS_SHOWN).join(', ') + (pairs.length > PAIRS_SHOWN ? ', …' : '');
  const atRisk = contention.mayStayPending.map((claim) => claim.name);
  const risk = atRisk.length > 0 ? `, and ${nameList(atRisk)} may stay Pending in some orders` : '';
  return {
    messageId: 'compete',
    data: { claims: nameList(claims), pvs: nameList(pvs), risk, pairs: shown },
    path: storagePath(contention.claims[0].ref),
  };
}
