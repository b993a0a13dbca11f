/**
 * Which claims of a group sharing fitting PVs the controller may leave Pending, over the orders it may handle them in.
 *
 * Exact vs heuristic: a claim is tried last, after the others of its group (handling it later only leaves it fewer
 * PVs), with ties between equally small PVs broken against it.
 * - Groups of up to PERMUTED_GROUP_LIMIT claims: the others are tried in every order, so mayStayPending is exact
 *   (every claim some order leaves Pending, and no other).
 * - Groups of PERMUTED_GROUP_LIMIT + 1 up to TRIED_GROUP_LIMIT claims: the others are tried in input and reverse
 *   order only: a heuristic that can miss a claim some other order leaves Pending (it never reports one no order
 *   does).
 * - Larger groups: one run of the whole group in reverse order: a heuristic with the same one-sided error.
 * In groups up to TRIED_GROUP_LIMIT the quick checks in canBeLeftOut are exact: a claim that fits more PVs than
 * there are other claims, or a PV no other claim wants, binds in every order.
 */
import {
  choose,
  claimKey,
  firstLargeEnough,
  hasAccessModes,
  hasInvalidSelector,
  Holds,
  largeEnough,
  PvIndex,
  sameVolumeMode,
  selects,
  ZERO,
  type ClaimSpec,
  type PvSpec,
} from './binder-match';

/** Claims competing for PVs that can serve only some of them. */
export interface Contention<C = unknown, P = unknown> {
  /** The competing claims: those naming an unclaimed PV in volumeName first, then the others, in input order. */
  readonly claims: readonly ClaimSpec<C>[];
  /** The PVs that fit at least one of them and are held for no other claim. */
  readonly pvs: readonly PvSpec<P>[];
  /** Claims left Pending when handled in input order (for StatefulSet claims listed by ordinal: see simulateBinding). */
  readonly pendingInInputOrder: readonly ClaimSpec<C>[];
  /**
   * Claims the controller may leave Pending: exact over handling orders for groups of up to PERMUTED_GROUP_LIMIT
   * claims (with ties between equally small PVs broken against the claim), a heuristic that may miss some for
   * larger groups (see the comment at the top of this file).
   */
  readonly mayStayPending: readonly ClaimSpec<C>[];
}

/** Groups of up to this many claims are tried in every handling order (6! = 720 runs at most). */
export const PERMUTED_GROUP_LIMIT = 6;
/** Larger groups than this are tried only in input and reverse order. */
export const TRIED_GROUP_LIMIT = 64;

/** PVs that would serve `claim` if no other claim took them first, in input order. */
export function fittingPvs<P>(claim: ClaimSpec, index: PvIndex<P>, holds: Holds): PvSpec<P>[] {
  if (claim.volumeName) {
    const found = choose(claim, index, holds);
    return found ? [found.pv] : [];
  }
  if (hasInvalidSelector(claim)) return [];
  const request = claim.request ?? ZERO;
  const result = index
    .ownPvs(claim, holds)
    .filter((pv) => hasAccessModes(claim, pv.accessModes) && largeEnough(claim, pv) && sameVolumeMode(claim, pv));
  index.groups.forEach((group, groupIndex) => {
    if (!hasAccessModes(claim, group.modes)) return;
    const sorted = index.unreservedFor(groupIndex, claim);
    for (let i = firstLargeEnough(sorted, request); i < sorted.length; i++) {
      const pv = sorted[i];
      if (holds.holder(pv.name) === undefined && selects(claim, pv)) result.push(pv);
    }
  });
  return result.sort((a, b) => index.positionOf(a) - index.positionOf(b));
}

/** Connected groups of claims, linked when they share a fitting PV; each group in input order. */
export function groupBySharedPvs<C>(claims: readonly ClaimSpec<C>[], fits: ReadonlyMap<string, readonly PvSpec[]>) {
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
export function runInOrder<C, P>(
  order: readonly ClaimSpec<C>[],
  index: PvIndex<P>,
  base: Holds,
  preferAmongEquals?: (pv: PvSpec<P>) => boolean,
) {
  const holds = new Holds(base);
  const result = new Map<string, PvSpec<P>>();
  for (const claim of order) {
    const found = choose(claim, index, holds, preferAmongEquals);
    if (found) {
      holds.hold(found.pv.name, claimKey(claim));
      result.set(claimKey(claim), found.pv);
    }
  }
  return result;
}

export function describeContention<C, P>(
  group: readonly ClaimSpec<C>[],
  groupIndex: PvIndex<P>,
  base: Holds,
  predicted: ReadonlyMap<string, PvSpec<P>>,
  fitting: ReadonlyMap<string, readonly PvSpec<P>[]>,
): Contention<C, P> {
  const pendingInInputOrder = group.filter((claim) => !predicted.has(claimKey(claim)));
  const mayStayPending = new Set(pendingInInputOrder);
  if (group.length <= TRIED_GROUP_LIMIT) {
    for (const claim of group) {
      if (!mayStayPending.has(claim) && canBeLeftOut(claim, group, groupIndex, base, fitting)) mayStayPending.add(claim);
    }
  } else {
    const reverse = runInOrder([...group].reverse(), groupIndex, base);
    for (const claim of group) if (!reverse.has(claimKey(claim))) mayStayPending.add(claim);
  }
  return {
    claims: group,
    pvs: groupIndex.pvs,
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
  groupIndex: PvIndex<P>,
  base: Holds,
  fitting: ReadonlyMap<string, readonly PvSpec<P>[]>,
): boolean {
  const others = group.filter((other) => other !== claim);
  const needed = new Set(fitting.get(claimKey(claim)) ?? []);
  if (needed.size > others.length) return false;
  const wantedByOthers = new Set(others.flatMap((other) => fitting.get(claimKey(other)) ?? []));
  if ([...needed].some((pv) => !wantedByOthers.has(pv))) return false;
  const orders = others.length < PERMUTED_GROUP_LIMIT ? permutations(others) : [others, [...others].reverse()];
  const preferNeeded = (pv: PvSpec<P>) => needed.has(pv);
  return orders.some((order) => !runInOrder([...order, claim], groupIndex, base, preferNeeded).has(claimKey(claim)));
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}
