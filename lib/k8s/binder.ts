/**
 * The persistent-volume controller's binding algorithm for claims without a dynamic provisioner (Kubernetes 1.28,
 * pkg/controller/volume/persistentvolume: syncUnboundClaim, findByClaim, FindMatchingVolume), on plain data, with
 * the reasons why each PV does not fit a claim, and a simulation over many claims that reports contention.
 * One claim against the PVs: binder-match.ts; contention between claims: contention.ts; why a claim stays
 * Pending: explain.ts. This module is the public entry point and re-exports their public API.
 */
import { choose, claimKey, Holds, PvIndex, type BindPath, type ClaimSpec, type PvSpec } from './binder-match';
import { describeContention, fittingPvs, groupBySharedPvs, runInOrder, type Contention } from './contention';
import { describePending, explanationScope, MismatchRanker, type PendingClaim } from './explain';

export {
  canonicalModes,
  claimKey,
  matchClaim,
  reasonsAgainst,
  reasonsAgainstNamedPv,
  type BindPath,
  type Bindings,
  type ClaimMatch,
  type ClaimRef,
  type ClaimSpec,
  type PvSpec,
  type PvVerdict,
} from './binder-match';
export type { Contention } from './contention';
export { describeNeeds, explainPending, MISMATCHES_SHOWN, type PendingClaim } from './explain';

export interface ClaimOutcome<C = unknown, P = unknown> {
  readonly claim: ClaimSpec<C>;
  readonly pv?: PvSpec<P>;
  readonly path?: BindPath;
}

export interface BindingSimulation<C = unknown, P = unknown> {
  /** claimKey → name of the PV it binds in the prediction. For path 'match' the very PV may differ between runs. */
  readonly bound: ReadonlyMap<string, string>;
  /** claimKey → outcome, for every claim (the first of duplicate keys). */
  readonly outcomes: ReadonlyMap<string, ClaimOutcome<C, P>>;
  /** Claims left Pending in the prediction, in input order. */
  readonly pending: readonly PendingClaim<C, P>[];
  /** Groups of two or more claims that share fitting PVs, whether or not some stay Pending. */
  readonly nondeterministic: readonly Contention<C, P>[];
}

export interface SimulationOptions {
  /**
   * Explain a pending claim with the PVs of its own storage class (and of the classes linked to it by a claimRef or
   * volumeName between their claims and PVs) instead of every PV, unless those are fewer than MISMATCHES_SHOWN.
   * Default false: every PV, as matchClaim's verdicts.
   */
  readonly explainWithinStorageClass?: boolean;
}

/**
 * Simulate the controller over all claims. The controller handles claims in no fixed order, so:
 * - claims that are pre-bound (a PV's claimRef names them, or they name a PV held for them) are bound first; so
 *   are claims whose volumeName PV is unclaimed, in the prediction (another claim may still win that PV: such a
 *   case shows up as a contention);
 * - the others are handled in input order for the prediction, and contention is detected separately: claims that
 *   share fitting PVs form a group; the group is reported, with the claims pending in input order and those pending
 *   in some order (see Contention.mayStayPending). Under OrderedReady, when a StatefulSet's own claims compete and
 *   are listed by ordinal, the input-order prediction is what happens: the controller creates pod i+1, and so its
 *   claims, only once pod i is Ready, so claims are bound in ordinal order and the highest ordinals are left
 *   Pending. Under Parallel (or across StatefulSets) which claims lose is not determined.
 * The cost grows with claims + PVs (and with the size of each contention), not with claims × PVs.
 */
export function simulateBinding<C, P>(
  claims: readonly ClaimSpec<C>[],
  pvs: readonly PvSpec<P>[],
  options: SimulationOptions = {},
): BindingSimulation<C, P> {
  const unique = new Map<string, ClaimSpec<C>>();
  for (const claim of claims) if (!unique.has(claimKey(claim))) unique.set(claimKey(claim), claim);
  const ordered = [...unique.values()];

  const index = new PvIndex(pvs);
  // Bindings that hold whatever the order claims are handled in.
  const certain = new Holds();
  const outcomes = new Map<string, ClaimOutcome<C, P>>();
  const settledPending: ClaimSpec<C>[] = [];
  const racyVolumeName: ClaimSpec<C>[] = [];
  const free: ClaimSpec<C>[] = [];

  // Claims that name a PV: held for them (certain), unclaimed (bound in the prediction) or impossible.
  for (const claim of ordered.filter((c) => c.volumeName)) {
    const found = choose(claim, index, certain);
    if (found === undefined) settledPending.push(claim);
    else if (found.pv.claimRef === undefined) racyVolumeName.push(claim);
    else bindCertainly(claim, found.pv, 'volumeName');
  }
  // Claims a PV is pre-bound to: nobody else can take that PV, so their outcome does not depend on order.
  for (const claim of ordered.filter((c) => !c.volumeName)) {
    const found = choose(claim, index, certain);
    if (found?.path === 'claimRef') bindCertainly(claim, found.pv, 'claimRef');
    else free.push(claim);
  }

  // What follows depends on the order claims are handled in.
  const participants = [...racyVolumeName, ...free];
  const fitting = new Map(participants.map((claim) => [claimKey(claim), fittingPvs(claim, index, certain)]));
  const contentions: Contention<C, P>[] = [];
  const contentionOf = new Map<string, Contention<C, P>>();
  for (const group of groupBySharedPvs(participants, fitting)) {
    const groupPvs = new Set<PvSpec<P>>();
    for (const claim of group) for (const pv of fitting.get(claimKey(claim))!) groupPvs.add(pv);
    const groupIndex = new PvIndex([...groupPvs].sort((a, b) => index.positionOf(a) - index.positionOf(b)));
    const predicted = runInOrder(group, groupIndex, certain);
    for (const claim of group) {
      const pv = predicted.get(claimKey(claim));
      if (pv) outcomes.set(claimKey(claim), { claim, pv, path: claim.volumeName ? 'volumeName' : 'match' });
      else settledPending.push(claim);
    }
    if (group.length < 2) continue;
    const contention = describeContention(group, groupIndex, certain, predicted, fitting);
    contentions.push(contention);
    for (const claim of group) contentionOf.set(claimKey(claim), contention);
  }

  const pendingKeys = new Set(settledPending.map(claimKey));
  const pendingClaims = ordered.filter((claim) => pendingKeys.has(claimKey(claim)));
  const ranker = new MismatchRanker(index, certain);
  const explainedWith = options.explainWithinStorageClass
    ? explanationScope(ordered, index)
    : () => index.pvs;
  const pending = pendingClaims.map((claim) => {
    outcomes.set(claimKey(claim), { claim });
    const fits = fitting.get(claimKey(claim)) ?? [];
    return describePending(claim, explainedWith(claim), index, ranker, fits, contentionOf.get(claimKey(claim)));
  });
  const bound = new Map<string, string>();
  for (const claim of ordered) {
    const pv = outcomes.get(claimKey(claim))?.pv;
    if (pv) bound.set(claimKey(claim), pv.name);
  }
  const outcomesInOrder = new Map(ordered.map((claim) => [claimKey(claim), outcomes.get(claimKey(claim))!]));
  return { bound, outcomes: outcomesInOrder, pending, nondeterministic: contentions };

  function bindCertainly(claim: ClaimSpec<C>, pv: PvSpec<P>, path: BindPath): void {
    certain.hold(pv.name, claimKey(claim));
    outcomes.set(claimKey(claim), { claim, pv, path });
  }
}
