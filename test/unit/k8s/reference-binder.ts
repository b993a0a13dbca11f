/**
 * The binder as first written: every claim scans every PV (claims × PVs). Slow but plain, it is the reference the
 * indexed lib/k8s/binder.ts is checked against (binder.reference.test.ts). Only the search is here: the per-PV
 * predicates (reasonsAgainst, reasonsAgainstNamedPv) are imported from the library, so this checks the indexing,
 * grouping and contention search; binder.upstream.test.ts checks the predicates against the controller's semantics.
 */
import {
  canonicalModes,
  claimKey,
  reasonsAgainst,
  reasonsAgainstNamedPv,
  type BindPath,
  type Bindings,
  type ClaimMatch,
  type ClaimSpec,
  type PvSpec,
  type PvVerdict,
} from '../../../lib/k8s/binder';
import { compareQuantity, quantityOf } from '../../../lib/k8s/quantity';
import { validateLabelSelector } from '../../../lib/k8s/selector';

export interface Contention<C = unknown, P = unknown> {
  readonly claims: readonly ClaimSpec<C>[];
  readonly pvs: readonly PvSpec<P>[];
  readonly pendingInInputOrder: readonly ClaimSpec<C>[];
  readonly mayStayPending: readonly ClaimSpec<C>[];
}

/** As the library's, but with every mismatching PV in `mismatches`. */
export interface PendingClaim<C = unknown, P = unknown> {
  readonly claim: ClaimSpec<C>;
  readonly fitting: readonly PvSpec<P>[];
  readonly mismatches: readonly PvVerdict<P>[];
  readonly problem?: string;
  readonly contention?: Contention<C, P>;
}

export interface ClaimOutcome<C = unknown, P = unknown> {
  readonly claim: ClaimSpec<C>;
  readonly pv?: PvSpec<P>;
  readonly path?: BindPath;
}

export interface BindingSimulation<C = unknown, P = unknown> {
  readonly bound: ReadonlyMap<string, string>;
  readonly outcomes: ReadonlyMap<string, ClaimOutcome<C, P>>;
  readonly pending: readonly PendingClaim<C, P>[];
  readonly nondeterministic: readonly Contention<C, P>[];
}

const ZERO = quantityOf(0);

export { claimKey, reasonsAgainst };

/** The PV fits the claim on the ordinary path (the library's per-PV predicate: this file checks only the search). */
function fits(claim: ClaimSpec, pv: PvSpec, bindings: Bindings): boolean {
  return reasonsAgainst(claim, pv, bindings).length === 0;
}

/** Held for this claim: bound to it during the run, or pre-bound to it by a claimRef the run has not given away. */
function heldFor(claim: ClaimSpec, pv: PvSpec, bindings: Bindings): boolean {
  const holder = bindings.get(pv.name);
  if (holder !== undefined) return holder === claimKey(claim);
  const ref = pv.claimRef;
  return ref !== undefined && !ref.uid && ref.namespace === claim.namespace && ref.name === claim.name;
}

function hasAccessModes(claim: ClaimSpec, modes: readonly string[]): boolean {
  return claim.accessModes.every((mode) => modes.includes(mode));
}

/**
 * The PV the controller picks for a claim without volumeName (findByClaim): PVs grouped by access-mode set; the
 * groups that offer every mode the claim asks for are searched with the fewest modes first (groups of equal size
 * come in an unspecified order in the controller; here in order of first appearance). In a group, PVs held for
 * other claims are skipped; a PV pre-bound to this claim with enough capacity and the right volumeMode wins at
 * once; otherwise the smallest PV that matches selector, class, volumeMode and capacity (the first among equals).
 */
function findByClaim<P>(
  claim: ClaimSpec,
  pool: PvPool<P>,
  bindings: Bindings,
  preferAmongEquals?: (pv: PvSpec<P>) => boolean,
) {
  for (const group of pool.groups) {
    if (!hasAccessModes(claim, group.modes)) continue;
    let smallest: PvSpec<P> | undefined;
    for (const pv of group.pvs) {
      if (!fits(claim, pv, bindings)) continue;
      if (heldFor(claim, pv, bindings)) return { pv, path: 'claimRef' as const };
      const order = smallest === undefined ? 1 : compareQuantity(smallest.capacity ?? ZERO, pv.capacity ?? ZERO);
      const preferred = order === 0 && preferAmongEquals?.(pv) === true && !preferAmongEquals(smallest!);
      if (order > 0 || preferred) smallest = pv;
    }
    if (smallest !== undefined) return { pv: smallest, path: 'match' as const };
  }
  return undefined;
}

/** PVs indexed the way the controller searches them: by name, and in access-mode groups, fewest modes first. */
interface PvPool<P> {
  readonly pvs: readonly PvSpec<P>[];
  readonly byName: ReadonlyMap<string, PvSpec<P>>;
  readonly groups: ReadonlyArray<{ readonly modes: readonly string[]; readonly pvs: readonly PvSpec<P>[] }>;
}

function poolOf<P>(pvs: readonly PvSpec<P>[]): PvPool<P> {
  const groups = new Map<string, { modes: string[]; pvs: PvSpec<P>[] }>();
  const byName = new Map<string, PvSpec<P>>();
  for (const pv of pvs) {
    if (!byName.has(pv.name)) byName.set(pv.name, pv);
    const modes = canonicalModes(pv.accessModes);
    const key = modes.join(',');
    const group = groups.get(key) ?? { modes, pvs: [] };
    group.pvs.push(pv);
    groups.set(key, group);
  }
  return { pvs, byName, groups: [...groups.values()].sort((a, b) => a.modes.length - b.modes.length) };
}

function byFitThenDistance<P>(verdicts: PvVerdict<P>[]): PvVerdict<P>[] {
  return verdicts
    .map((verdict, index) => ({ verdict, index }))
    .sort((a, b) => a.verdict.reasons.length - b.verdict.reasons.length || a.index - b.index)
    .map(({ verdict }) => verdict);
}

/**
 * What the controller does with `claim` given `pvs` and the bindings made so far: the PV it binds (if any) and, for
 * every PV considered, why it does not fit.
 */
export function matchClaim<C, P>(
  claim: ClaimSpec<C>,
  pvs: readonly PvSpec<P>[],
  bindings: Bindings = new Map(),
): ClaimMatch<C, P> {
  if (claim.volumeName !== undefined && claim.volumeName !== '') {
    const pv = pvs.find((candidate) => candidate.name === claim.volumeName);
    if (pv === undefined) return { claim, verdicts: [], problem: `volumeName "${claim.volumeName}" names no PersistentVolume` };
    const reasons = reasonsAgainstNamedPv(claim, pv, bindings);
    return reasons.length === 0
      ? { claim, pv, path: 'volumeName', verdicts: [{ pv, reasons }] }
      : { claim, verdicts: [{ pv, reasons }] };
  }
  const verdicts = byFitThenDistance(pvs.map((pv) => ({ pv, reasons: reasonsAgainst(claim, pv, bindings) })));
  if (claim.selector !== undefined) {
    const problems = validateLabelSelector(claim.selector);
    if (problems.length > 0) {
      return { claim, verdicts, problem: `its selector is invalid, so no PV can bind: ${problems.join('; ')}` };
    }
  }
  const found = findByClaim(claim, poolOf(pvs), bindings);
  return found ? { claim, pv: found.pv, path: found.path, verdicts } : { claim, verdicts };
}

/** matchClaim without the verdicts: just the PV the controller binds, and how. */
function choose<P>(
  claim: ClaimSpec,
  pool: PvPool<P>,
  bindings: Bindings,
  preferAmongEquals?: (pv: PvSpec<P>) => boolean,
) {
  if (claim.volumeName) {
    const pv = pool.byName.get(claim.volumeName);
    return pv && reasonsAgainstNamedPv(claim, pv, bindings).length === 0
      ? { pv, path: 'volumeName' as const }
      : undefined;
  }
  if (claim.selector !== undefined && validateLabelSelector(claim.selector).length > 0) return undefined;
  return findByClaim(claim, pool, bindings, preferAmongEquals);
}


/** Groups of up to this many claims are tried in every handling order (6! = 720 runs at most). */
const PERMUTED_GROUP_LIMIT = 6;
/** Larger groups than this are tried only in input and reverse order. */
const TRIED_GROUP_LIMIT = 64;

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
 */
export function simulateBinding<C, P>(
  claims: readonly ClaimSpec<C>[],
  pvs: readonly PvSpec<P>[],
): BindingSimulation<C, P> {
  const unique = new Map<string, ClaimSpec<C>>();
  for (const claim of claims) if (!unique.has(claimKey(claim))) unique.set(claimKey(claim), claim);
  const ordered = [...unique.values()];

  const pool = poolOf(pvs);
  const base = new Map<string, string>();
  const outcomes = new Map<string, ClaimOutcome<C, P>>();
  const settledPending: ClaimSpec<C>[] = [];
  const racyVolumeName: ClaimSpec<C>[] = [];
  const free: ClaimSpec<C>[] = [];

  // Claims that name a PV: held for them (certain), unclaimed (bound in the prediction) or impossible.
  for (const claim of ordered.filter((c) => c.volumeName)) {
    const found = choose(claim, pool, base);
    if (found === undefined) settledPending.push(claim);
    else if (found.pv.claimRef === undefined) racyVolumeName.push(claim);
    else bind(claim, found.pv, 'volumeName');
  }
  // Claims a PV is pre-bound to: nobody else can take that PV, so their outcome does not depend on order.
  for (const claim of ordered.filter((c) => !c.volumeName)) {
    const found = choose(claim, pool, base);
    if (found?.path === 'claimRef') bind(claim, found.pv, 'claimRef');
    else free.push(claim);
  }

  // Everything bound so far is certain; what follows depends on the order claims are handled in.
  const certain: Bindings = new Map(base);
  const participants = [...racyVolumeName, ...free];
  const fitting = new Map(participants.map((claim) => [claimKey(claim), fittingPvs(claim, pool, certain)]));
  const contentions: Contention<C, P>[] = [];
  const contentionOf = new Map<string, Contention<C, P>>();
  for (const group of groupBySharedPvs(participants, fitting)) {
    const groupPvs = new Set<PvSpec<P>>();
    for (const claim of group) for (const pv of fitting.get(claimKey(claim))!) groupPvs.add(pv);
    const groupPool = poolOf(pvs.filter((pv) => groupPvs.has(pv)));
    const predicted = runInOrder(group, groupPool, certain);
    for (const claim of group) {
      const pv = predicted.get(claimKey(claim));
      if (pv) bind(claim, pv, claim.volumeName ? 'volumeName' : 'match');
      else settledPending.push(claim);
    }
    if (group.length < 2) continue;
    const contention = describeContention(group, groupPool, certain, predicted, fitting);
    contentions.push(contention);
    for (const claim of group) contentionOf.set(claimKey(claim), contention);
  }

  const pendingKeys = new Set(settledPending.map(claimKey));
  const pending = ordered
    .filter((claim) => pendingKeys.has(claimKey(claim)))
    .map((claim) => {
      outcomes.set(claimKey(claim), { claim });
      const fits = fitting.get(claimKey(claim)) ?? [];
      return describePending(claim, pvs, certain, fits, contentionOf.get(claimKey(claim)));
    });
  const bound = new Map<string, string>();
  for (const claim of ordered) {
    const pv = outcomes.get(claimKey(claim))?.pv;
    if (pv) bound.set(claimKey(claim), pv.name);
  }
  const outcomesInOrder = new Map(ordered.map((claim) => [claimKey(claim), outcomes.get(claimKey(claim))!]));
  return { bound, outcomes: outcomesInOrder, pending, nondeterministic: contentions };

  function bind(claim: ClaimSpec<C>, pv: PvSpec<P>, path: BindPath): void {
    base.set(pv.name, claimKey(claim));
    outcomes.set(claimKey(claim), { claim, pv, path });
  }
}

/** PVs that would serve `claim` if no other claim took them first. */
function fittingPvs<P>(claim: ClaimSpec, pool: PvPool<P>, bindings: Bindings): PvSpec<P>[] {
  if (claim.volumeName) {
    const found = choose(claim, pool, bindings);
    return found ? [found.pv] : [];
  }
  if (claim.selector !== undefined && validateLabelSelector(claim.selector).length > 0) return [];
  return pool.pvs.filter((pv) => fits(claim, pv, bindings));
}

/** Connected groups of claims, linked when they share a fitting PV; each group in input order. */
function groupBySharedPvs<C>(claims: readonly ClaimSpec<C>[], fits: ReadonlyMap<string, readonly PvSpec[]>) {
  const parent = claims.map((_, index) => index);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const firstClaimOfPv = new Map<string, number>();
  claims.forEach((claim, index) => {
    for (const pv of fits.get(claimKey(claim)) ?? []) {
      const other = firstClaimOfPv.get(pv.name);
      if (other === undefined) firstClaimOfPv.set(pv.name, index);
      else parent[root(index)] = root(other);
    }
  });
  const groups = new Map<number, ClaimSpec<C>[]>();
  claims.forEach((claim, index) => {
    const group = groups.get(root(index)) ?? [];
    group.push(claim);
    groups.set(root(index), group);
  });
  return [...groups.values()];
}

/** Handle claims one after the other; returns claimKey → PV for those that bind. */
function runInOrder<C, P>(
  order: readonly ClaimSpec<C>[],
  pool: PvPool<P>,
  base: Bindings,
  preferAmongEquals?: (pv: PvSpec<P>) => boolean,
) {
  const bindings = new Map(base);
  const result = new Map<string, PvSpec<P>>();
  // A PV bound during the run is held for a claim already handled, so no later claim can have it: drop it from the
  // working copy of the pool instead of skipping it again for every claim.
  const working = { ...pool, groups: pool.groups.map((group) => ({ ...group, pvs: [...group.pvs] })) };
  for (const claim of order) {
    const found = choose(claim, working, bindings, preferAmongEquals);
    if (found) {
      bindings.set(found.pv.name, claimKey(claim));
      result.set(claimKey(claim), found.pv);
      for (const group of working.groups) {
        const index = group.pvs.indexOf(found.pv);
        if (index >= 0) group.pvs.splice(index, 1);
      }
    }
  }
  return result;
}

function describeContention<C, P>(
  group: readonly ClaimSpec<C>[],
  groupPool: PvPool<P>,
  base: Bindings,
  predicted: ReadonlyMap<string, PvSpec<P>>,
  fitting: ReadonlyMap<string, readonly PvSpec<P>[]>,
): Contention<C, P> {
  const pendingInInputOrder = group.filter((claim) => !predicted.has(claimKey(claim)));
  const mayStayPending = new Set(pendingInInputOrder);
  if (group.length <= TRIED_GROUP_LIMIT) {
    for (const claim of group) {
      if (!mayStayPending.has(claim) && canBeLeftOut(claim, group, groupPool, base, fitting)) mayStayPending.add(claim);
    }
  } else {
    const reverse = runInOrder([...group].reverse(), groupPool, base);
    for (const claim of group) if (!reverse.has(claimKey(claim))) mayStayPending.add(claim);
  }
  return {
    claims: group,
    pvs: groupPool.pvs,
    pendingInInputOrder,
    mayStayPending: group.filter((claim) => mayStayPending.has(claim)),
  };
}

/**
 * Can the other claims of its group take every PV `claim` fits before the controller gets to it? Handling a claim
 * later only leaves it fewer PVs, so it is enough to try it last: after the others in every order (groups of up to
 * PERMUTED_GROUP_LIMIT claims), or in input and reverse order (larger groups). Among equally small PVs the others
 * take one this claim needs, as the controller may (it breaks such ties in no fixed order).
 */
function canBeLeftOut<C, P>(
  claim: ClaimSpec<C>,
  group: readonly ClaimSpec<C>[],
  groupPool: PvPool<P>,
  base: Bindings,
  fitting: ReadonlyMap<string, readonly PvSpec<P>[]>,
): boolean {
  const others = group.filter((other) => other !== claim);
  const needed = new Set(fitting.get(claimKey(claim)) ?? []);
  if (needed.size > others.length) return false;
  const wantedByOthers = new Set(others.flatMap((other) => fitting.get(claimKey(other)) ?? []));
  if ([...needed].some((pv) => !wantedByOthers.has(pv))) return false;
  const orders = others.length < PERMUTED_GROUP_LIMIT ? permutations(others) : [others, [...others].reverse()];
  const preferNeeded = (pv: PvSpec<P>) => needed.has(pv);
  return orders.some((order) => !runInOrder([...order, claim], groupPool, base, preferNeeded).has(claimKey(claim)));
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

function describePending<C, P>(
  claim: ClaimSpec<C>,
  pvs: readonly PvSpec<P>[],
  base: Bindings,
  fitting: readonly PvSpec<P>[],
  contention: Contention<C, P> | undefined,
): PendingClaim<C, P> {
  const match = matchClaim(claim, pvs, base);
  const mismatches = match.verdicts.filter((verdict) => verdict.reasons.length > 0);
  return {
    claim,
    fitting,
    mismatches,
    ...(match.problem === undefined ? {} : { problem: match.problem }),
    ...(contention === undefined ? {} : { contention }),
  };
}
