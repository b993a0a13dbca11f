/** Why a claim stays Pending: the nearest PVs that do not fit it, ranked without a scan per claim, and the message. */
import { append, type Holds, type PvIndex } from './binder-index';
import { isPreBoundTo, reasonCount, reasonsAgainst, selectorProblem, describeNeeds, type ClaimSpec, type PvSpec, type PvVerdict } from './binder-predicates';
import type { Contention } from './binder';

/** How many PVs that do not fit a pending claim are described, nearest first. */
export const MISMATCHES_SHOWN = 3;

/** A claim that stays Pending in the input-order prediction, with everything a message needs. */
export interface PendingClaim<C = unknown, P = unknown> {
  readonly claim: ClaimSpec<C>;
  /** PVs that fit this claim on their own but go to other claims. */
  readonly fitting: readonly PvSpec<P>[];
  /**
   * The nearest PVs that do not fit, with reasons: fewest reasons first, then input order; at most
   * MISMATCHES_SHOWN of them (for a claim with volumeName: the PV it names, when that does not fit). Taken from
   * every PV, or see SimulationOptions.explainWithinStorageClass.
   */
  readonly mismatches: readonly PvVerdict<P>[];
  /**
   * How many of those PVs do not fit this claim in all, not counting PVs pre-bound by claimRef to other claims
   * (mismatches holds the nearest: the claim's own PVs first, PVs pre-bound to others only to fill it up).
   */
  readonly mismatchCount: number;
  /** How many PVs of the scope are pre-bound by claimRef to other claims. */
  readonly reservedCount?: number;
  /** A reason not tied to one PV (volumeName names no PV, invalid selector). */
  readonly problem?: string;
  /** Set when the claim lost a contention that another handling order could decide differently. */
  readonly contention?: Contention<C, P>;
}

/**
 * The PVs a pending claim is explained with: those of its storage class, and of the classes linked to it by a
 * claimRef or volumeName between their claims and PVs (PVs of other classes do not fit, and counting them in
 * "N more PVs do not fit" is noise); every PV when those are fewer than MISMATCHES_SHOWN (the PV meant for the
 * claim may carry a misspelt class).
 */
export function explanationScope<P>(claims: readonly ClaimSpec[], index: PvIndex<P>): (claim: ClaimSpec) => readonly PvSpec<P>[] {
  const classes = new ClassSets();
  const classOf = (pv: PvSpec) => pv.storageClassName ?? '';
  // Namespace → name → claim.
  const claimsByName = new Map<string, Map<string, ClaimSpec>>();
  for (const claim of claims) {
    let byName = claimsByName.get(claim.namespace);
    if (byName === undefined) claimsByName.set(claim.namespace, (byName = new Map()));
    byName.set(claim.name, claim);
  }
  for (const pv of index.pvs) {
    const ref = pv.claimRef;
    const named = ref?.namespace && ref.name ? claimsByName.get(ref.namespace)?.get(ref.name) : undefined;
    if (named !== undefined) classes.join(classOf(pv), named.storageClassName);
  }
  for (const claim of claims) {
    const named = claim.volumeName ? index.byName.get(claim.volumeName) : undefined;
    if (named !== undefined) classes.join(claim.storageClassName, classOf(named));
  }
  const pvsOfSet = new Map<string, PvSpec<P>[]>();
  for (const pv of index.pvs) append(pvsOfSet, classes.root(classOf(pv)), pv);
  return (claim) => {
    const own = pvsOfSet.get(classes.root(claim.storageClassName)) ?? [];
    return own.length >= MISMATCHES_SHOWN ? own : index.pvs;
  };
}

/** Union-find over storage class names. */
class ClassSets {
  private readonly parent = new Map<string, string>();

  root(name: string): string {
    const up = this.parent.get(name);
    if (up === undefined || up === name) return name;
    const top = this.root(up);
    this.parent.set(name, top);
    return top;
  }

  join(a: string, b: string): void {
    const [ra, rb] = [this.root(a), this.root(b)];
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

export function describePending<C, P>(
  claim: ClaimSpec<C>,
  explainedWith: readonly PvSpec<P>[],
  index: PvIndex<P>,
  ranker: MismatchRanker<P>,
  fitting: readonly PvSpec<P>[],
  contention: Contention<C, P> | undefined,
): PendingClaim<C, P> {
  const { mismatches, mismatchCount, reservedCount = 0, problem } = mismatchesOf(claim, explainedWith, index, ranker);
  return {
    claim,
    fitting,
    mismatches,
    mismatchCount,
    reservedCount,
    ...(problem === undefined ? {} : { problem }),
    ...(contention === undefined ? {} : { contention }),
  };
}

/**
 * The PVs of `scope` that do not fit a pending claim, the nearest first, as matchClaim's verdicts would list them,
 * but with reasons spelt out only for the MISMATCHES_SHOWN nearest (ranked by a count of reasons, then input order).
 */
function mismatchesOf<P>(claim: ClaimSpec, scope: readonly PvSpec<P>[], index: PvIndex<P>, ranker: MismatchRanker<P>) {
  const holds = ranker.holds;
  if (claim.volumeName) {
    const pv = index.byName.get(claim.volumeName);
    if (pv === undefined) {
      return { mismatches: [], mismatchCount: 0, problem: `volumeName "${claim.volumeName}" names no PersistentVolume` };
    }
    const reasons = reasonsAgainst(claim, pv, holds);
    return reasons.length === 0 ? { mismatches: [], mismatchCount: 0 } : { mismatches: [{ pv, reasons }], mismatchCount: 1 };
  }
  const { nearest, mismatchCount, reservedCount } = ranker.rank(claim, scope);
  const mismatches = nearest.map((pv) => ({ pv, reasons: reasonsAgainst(claim, pv, holds) }));
  const problem = selectorProblem(claim);
  return problem === undefined
    ? { mismatches, mismatchCount, reservedCount }
    : { mismatches, mismatchCount, reservedCount, problem };
}

/** How one shape of claim sees the PVs of a scope: reasons counted as if no PV were reserved for it. */
interface ShapeRanking {
  /** Scope positions of the PVs with 1, 2, ... reasons (index = count), each list in input order. */
  readonly byCount: readonly number[][];
  readonly counts: Uint8Array;
  readonly mismatchCount: number;
  /** Scope positions of PVs pre-bound by claimRef to some claim, in input order (not counted above). */
  readonly reserved: readonly number[];
}

/**
 * Ranks the PVs that do not fit pending claims without going over every PV for every claim: claims alike in all
 * but their name (access modes, request, volumeMode, class, selector) see every PV alike, except the PVs reserved
 * for one of them, so the ranking is computed once per shape and scope and then adjusted for each claim's own PVs.
 */
export class MismatchRanker<P> {
  private readonly rankings = new Map<readonly PvSpec<P>[], Map<string, ShapeRanking>>();
  private readonly positions = new Map<readonly PvSpec<P>[], Map<PvSpec<P>, number>>();

  constructor(
    private readonly index: PvIndex<P>,
    readonly holds: Holds,
  ) {}

  rank(
    claim: ClaimSpec,
    scope: readonly PvSpec<P>[],
  ): { nearest: PvSpec<P>[]; mismatchCount: number; reservedCount: number } {
    const shape = this.rankingOf(claim, scope);
    const positionOf = this.positionsIn(scope);
    // The claim's own PVs: their reservation (and so their count) differs from the shape's.
    const own = new Map<number, number>();
    for (const pv of this.index.preBoundTo(claim)) {
      const position = positionOf.get(pv);
      if (position !== undefined) own.set(position, reasonCount(claim, pv, this.holds));
    }
    let mismatchCount = shape.mismatchCount;
    let reservedCount = shape.reserved.length;
    const ranked: { position: number; count: number }[] = [];
    for (const [position, count] of own) {
      if (shape.counts[position] > 0) mismatchCount--;
      if (isPreBoundToAClaim(scope[position])) reservedCount--;
      if (count > 0) {
        mismatchCount++;
        ranked.push({ position, count });
      }
    }
    let taken = 0;
    for (let count = 1; count < shape.byCount.length && taken < MISMATCHES_SHOWN; count++) {
      for (const position of shape.byCount[count]) {
        if (own.has(position)) continue;
        ranked.push({ position, count });
        if (++taken === MISMATCHES_SHOWN) break;
      }
    }
    // The claim's own PVs (pre-bound to it) first: they are the ones the user meant for it.
    ranked.sort((a, b) => Number(own.has(b.position)) - Number(own.has(a.position)) || a.count - b.count || a.position - b.position);
    const nearest = ranked.slice(0, MISMATCHES_SHOWN).map(({ position }) => scope[position]);
    // PVs pre-bound to other claims only fill what is left: in a large set they would hide the claim's own PV.
    for (const position of shape.reserved) {
      if (nearest.length >= MISMATCHES_SHOWN) break;
      if (!own.has(position)) nearest.push(scope[position]);
    }
    return { nearest, mismatchCount, reservedCount };
  }

  private rankingOf(claim: ClaimSpec, scope: readonly PvSpec<P>[]): ShapeRanking {
    const byShape = this.rankings.get(scope) ?? new Map<string, ShapeRanking>();
    this.rankings.set(scope, byShape);
    const key = JSON.stringify([
      claim.accessModes,
      claim.request === undefined ? '0' : `${claim.request.num}/${claim.request.den}`,
      claim.volumeMode || 'Filesystem',
      claim.storageClassName,
      claim.selector ?? null,
    ]);
    let ranking = byShape.get(key);
    if (ranking === undefined) {
      const counts = new Uint8Array(scope.length);
      const byCount: number[][] = [[]];
      let mismatchCount = 0;
      const reserved: number[] = [];
      scope.forEach((pv, position) => {
        // A PV pre-bound by its claimRef is its claim's: counted apart, listed only when there is room.
        if (isPreBoundToAClaim(pv)) {
          reserved.push(position);
          return;
        }
        const count = reasonCount(claim, pv, this.holds, true);
        counts[position] = count;
        if (count === 0) return;
        mismatchCount++;
        while (byCount.length <= count) byCount.push([]);
        byCount[count].push(position);
      });
      ranking = { byCount, counts, mismatchCount, reserved };
      byShape.set(key, ranking);
    }
    return ranking;
  }

  private positionsIn(scope: readonly PvSpec<P>[]): Map<PvSpec<P>, number> {
    let positions = this.positions.get(scope);
    if (positions === undefined) {
      positions = new Map();
      for (let i = scope.length - 1; i >= 0; i--) positions.set(scope[i], i);
      this.positions.set(scope, positions);
    }
    return positions;
  }
}

/**
 * The reason part of a message for a pending claim, one template whether or not claims compete:
 * `too few PVs (3 claims need ReadWriteOnce 2Gi; only pv001, pv003 fit; pv002 offers only ReadWriteMany)`,
 * `no PV can bind (1 claim needs ReadWriteOnce 2Gi; pv001 offers only ReadWriteMany)`.
 */
export function explainPending(pending: PendingClaim): string {
  const parts: string[] = [];
  if (pending.problem !== undefined) parts.push(pending.problem);
  const claims = pending.contention?.claims ?? [pending.claim];
  const needs = new Set(claims.map(describeNeeds));
  parts.push(
    needs.size === 1
      ? `${claims.length} ${claims.length === 1 ? 'claim needs' : 'claims need'} ${[...needs][0]}`
      : `${claims.length} claims compete for ${names(pending.contention!.pvs)}`,
  );
  // Claims contending for the PVs that fit them: some PVs fit, too few for every claim.
  const tooFew = pending.contention !== undefined && pending.fitting.length > 0;
  if (pending.fitting.length > 0) {
    parts.push(`${tooFew ? 'only ' : ''}${names(pending.fitting)} ${pending.fitting.length === 1 ? 'fits' : 'fit'}`);
  }
  const shown = pending.mismatches.slice(0, MISMATCHES_SHOWN);
  for (const verdict of shown) parts.push(`${verdict.pv.name} ${verdict.reasons.join(', ')}`);
  const shownReserved = shown.filter((v) => isPreBoundToAClaim(v.pv) && !isPreBoundTo(v.pv, pending.claim)).length;
  const hidden = pending.mismatchCount - (shown.length - shownReserved);
  if (hidden > 0) parts.push(`${hidden} more PV${hidden === 1 ? ' does' : 's do'} not fit`);
  const reservedCount = pending.reservedCount ?? 0;
  const hiddenReserved = reservedCount - shownReserved;
  if (hiddenReserved > 0) {
    const more = shownReserved > 0 ? 'more ' : '';
    parts.push(`${hiddenReserved} ${more}PV${hiddenReserved === 1 ? ' is' : 's are'} pre-bound to other claims`);
  }
  if (pending.fitting.length === 0 && pending.mismatchCount === 0 && reservedCount === 0 && pending.problem === undefined) {
    parts.push('there are no PersistentVolumes');
  }
  return `${tooFew ? 'too few PVs' : 'no PV can bind'} (${parts.join('; ')})`;
}

/** A PV whose claimRef names a claim (namespace and name): reserved for that claim. */
function isPreBoundToAClaim(pv: PvSpec): boolean {
  return Boolean(pv.claimRef?.namespace && pv.claimRef.name);
}

const NAMES_SHOWN = 6;

/** `pv1, pv2` or `pv1, ..., pv6 and 14 more`. */
function names(pvs: readonly PvSpec[]): string {
  const shown = pvs.slice(0, NAMES_SHOWN).map((pv) => pv.name).join(', ');
  return pvs.length > NAMES_SHOWN ? `${shown} and ${pvs.length - NAMES_SHOWN} more` : shown;
}
