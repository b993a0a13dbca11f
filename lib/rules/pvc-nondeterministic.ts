import type { Contention } from '../k8s/binder';
import type { Manifest, Rule, RuleFinding } from '../lint/types';
import type { PlannedClaim } from './support/claims';
import { nameList, storagePath } from './support/claim-text';
import { storageAnalysis } from './support/storage';

const PAIRS_SHOWN = 3;

/**
 * Several claims that fit the same PVs, none pre-bound: the PV controller handles claims and equally fitting PVs in
 * no fixed order, so which pod's data lands on which volume (or which claim is left out) differs between runs.
 * Groups that leave a claim Pending in the prediction are `pvc-unbound`'s to report.
 */
export const pvcNondeterministic: Rule = {
  id: 'pvc-nondeterministic',
  severity: 'warning',
  kinds: ['StatefulSet', 'PersistentVolumeClaim'],
  description: 'Claims held to static PVs do not compete for the same PVs without claimRef pre-binding.',
  remediation:
    'Pre-bind each PV to its claim with spec.claimRef (PV i → claim T-S-i, with the namespace) so binding is ' +
    'deterministic.',
  check(manifest, ctx) {
    return storageAnalysis(ctx)
      .simulation.nondeterministic.filter(
        (contention) => contention.pendingInInputOrder.length === 0 && contention.claims[0].ref.manifest === manifest,
      )
      .map(warning);
  },
};

function warning(contention: Contention<PlannedClaim, Manifest>): RuleFinding {
  const claims = contention.claims.map((claim) => claim.name);
  const pvs = contention.pvs.map((pv) => pv.name);
  const pairs = claims.slice(0, Math.min(claims.length, pvs.length)).map((claim, i) => `${pvs[i]} → ${claim}`);
  const shown = pairs.slice(0, PAIRS_SHOWN).join(', ') + (pairs.length > PAIRS_SHOWN ? ', …' : '');
  const atRisk = contention.mayStayPending.map((claim) => claim.name);
  const risk = atRisk.length > 0 ? `, and ${nameList(atRisk)} may stay Pending in some orders` : '';
  return {
    message:
      `claims ${nameList(claims)} compete for PVs ${nameList(pvs)}, none pre-bound: which claim binds which PV is ` +
      `not deterministic${risk}; pre-bind with claimRef (${shown})`,
    path: storagePath(contention.claims[0].ref),
  };
}
