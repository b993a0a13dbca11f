/**
 * The persistent-volume controller's binding of claims without a dynamic provisioner (Kubernetes 1.28,
 * pkg/controller/volume/persistentvolume syncUnboundClaim / findByClaim, component-helpers FindMatchingVolume), on
 * plain data. One entry point, `bindClaims`: for every claim, in which of four classes the controller's randomness
 * leaves it, over every order the StatefulSet and PV controllers may handle claims in and every tie-break, with the
 * PVs present before the claims are handled (as GitOps tools and Helm apply them):
 * - `bound`: always bound to the same PV;
 * - `one-of-several`: always bound, to one of several PVs;
 * - `sometimes-pending`: bound in some runs, Pending in others;
 * - `pending`: Pending in every run (or never created: under OrderedReady, after a lower ordinal that stays Pending).
 *
 * How: claims whose outcome depends on no other claim (named PV held for them, PVs pre-bound by claimRef found
 * first) are settled first. The others are grouped into contentions by the buckets of free PVs they may take
 * (access-mode group, volumeMode, class: a bucket sorted by capacity), never by per-claim lists of PVs. A
 * contention of up to EXACT_CLAIMS claims is searched exhaustively; a larger one is run once in a canonical order,
 * wave by wave (see classifyByWaves), which is exact when its claims are interchangeable. Every step costs amortised
 * constant time per claim and PV, so the whole is linear in claims + PVs. Document order never changes a result:
 * claims and PVs are taken in a canonical order (StatefulSet and ordinal, then names).
 */
import { describePending, explanationScope, MismatchRanker, type PendingClaim } from './binder-explain';
import { append, bucketServes, byName, firstLargeEnough, handle, Holds, PvIndex, type Bucket, type Choice, type Options, type Randomness } from './binder-index';
import { canonicalModes, capacityOf, claimKey, FILESYSTEM, hasAccessModes, isPreBoundTo, passes, requestOf, type BindPath, type ClaimSpec, type PvSpec } from './binder-predicates';
import { compareQuantity } from './quantity';

export {
  canonicalModes,
  claimKey,
  describeNeeds,
  isPreBoundTo,
  PV_PREDICATES,
  reasonsAgainst,
  type BindPath,
  type ClaimCreation,
  type ClaimRef,
  type ClaimSpec,
  type PvPredicate,
  type PvSpec,
  type PvVerdict,
} from './binder-predicates';
export type { Randomness } from './binder-index';
export { explainPending, MISMATCHES_SHOWN, type PendingClaim } from './binder-explain';

export type BindingClass = 'bound' | 'one-of-several' | 'sometimes-pending' | 'pending';

export interface ClaimOutcome<C = unknown, P = unknown> {
  readonly claim: ClaimSpec<C>;
  readonly class: BindingClass;
  /** The PV it binds in the canonical run (absent when it stays Pending there). */
  readonly pv?: PvSpec<P>;
  readonly path?: BindPath;
  /** PVs it may bind, by name, at most ALTERNATIVES_LISTED (for `bound`: just `pv`). */
  readonly alternatives: readonly PvSpec<P>[];
  /** Why a claim alone (no contention) may bind one of several PVs. */
  readonly randomness?: Randomness;
  /** A PV pre-bound to the claim that fits it, when the claim binds another (one with fewer access modes). */
  readonly displacedFrom?: PvSpec<P>;
  /** Under OrderedReady: a lower ordinal's claim can never bind, so this claim is never created. */
  readonly neverCreated?: boolean;
  /** The claims it competes with, when other claims may take PVs it could bind. */
  readonly contention?: Contention<C, P>;
}

/** Claims that may take the same PVs, so that which claim binds which PV (or stays Pending) depends on the order. */
export interface Contention<C = unknown, P = unknown> {
  /** In canonical order (StatefulSet, ordinal, name). */
  readonly claims: readonly ClaimSpec<C>[];
  /** The free PVs any of them may take, by name. */
  readonly pvs: readonly PvSpec<P>[];
  /** How many of the claims stay Pending (or are never created), fewest and most over the runs. */
  readonly pending: { readonly min: number; readonly max: number };
  /** Searched over every order and tie-break (else classified wave by wave: see classifyByWaves). */
  readonly exact: boolean;
  /** The outcome of each claim, in the order of `claims` (as Binding.outcomes has it). */
  readonly outcomes: readonly ClaimOutcome<C, P>[];
}

export interface Binding<C = unknown, P = unknown> {
  /** claimKey → outcome, for every claim (the first of duplicate keys), in canonical order. */
  readonly outcomes: ReadonlyMap<string, ClaimOutcome<C, P>>;
  /** The claims of class `pending`, explained, in canonical order. */
  readonly pending: readonly PendingClaim<C, P>[];
  /** Contentions of two or more claims. */
  readonly contentions: readonly Contention<C, P>[];
}

export interface BindOptions {
  /**
   * Explain a pending claim with the PVs of its own storage class (and of the classes linked to it by a claimRef or
   * volumeName between their claims and PVs) instead of every PV, unless those are fewer than MISMATCHES_SHOWN.
   */
  readonly explainWithinStorageClass?: boolean;
}

/** Contentions of up to this many claims are searched over every order and tie-break. */
export const EXACT_CLAIMS = 6;
/** PVs listed per access-mode group in one handling's choices (equally small PVs beyond are interchangeable). */
const CHOICES_LISTED = 8;
export const ALTERNATIVES_LISTED = 8;

/** A claim of the input, the first of its key, with what the canonical order compares. */
interface Entry<C> {
  readonly claim: ClaimSpec<C>;
  readonly key: string;
  readonly set: string;
  readonly ordinal: number;
}

/** Canonical order: StatefulSet claims by StatefulSet and ordinal, standalone claims after them, then by key. */
function canonical(a: Entry<unknown>, b: Entry<unknown>): number {
  if (a.set !== b.set) return a.set < b.set ? -1 : 1;
  if (a.ordinal !== b.ordinal) return a.ordinal - b.ordinal;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The claims, the first of each key, in canonical order, with their keys (position i of both is claim i). */
function canonicalOrder<C>(claims: readonly ClaimSpec<C>[]): { ordered: ClaimSpec<C>[]; keys: string[] } {
  const seen = new Set<string>();
  const entries: Entry<C>[] = [];
  for (const claim of claims) {
    const key = claimKey(claim);
    const size = seen.size;
    if (seen.add(key).size === size) continue;
    entries.push({ claim, key, set: claim.creation?.statefulSet ?? '\uffff', ordinal: claim.creation?.ordinal ?? 0 });
  }
  entries.sort(canonical);
  return { ordered: entries.map((entry) => entry.claim), keys: entries.map((entry) => entry.key) };
}

export function bindClaims<C, P>(
  claims: readonly ClaimSpec<C>[],
  pvs: readonly PvSpec<P>[],
  options: BindOptions = {},
): Binding<C, P> {
  // Claims are known by their position in `ordered`: every per-claim array below is indexed by it.
  const { ordered, keys } = canonicalOrder(claims);
  const count = ordered.length;
  const index = new PvIndex(pvs);
  const certain = new Holds(index);
  const outcomes: (ClaimOutcome<C, P> | undefined)[] = new Array(count).fill(undefined);
  // What each claim's handling may bind before any claim binds. Listing one PV per access-mode group tells whether
  // the claim binds and by which paths; the full list (see full) is needed only for an outcome settled here.
  const start: (Options<P> | undefined)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    // Claims come in runs of one shape (one template's claims, similar PVCs): with no holds taken yet, a claim
    // searched alike the previous one may bind what that one may.
    const likePrevious = i > 0 && searchedAlike(ordered[i - 1], ordered[i], index);
    start[i] = likePrevious ? start[i - 1] : handle(ordered[i], index, certain, 1, keys[i]);
  }

  // Under OrderedReady, the claims above an ordinal whose claim can never bind are never created.
  const blockedFrom = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const creation = ordered[i].creation;
    if (creation?.podManagement === 'OrderedReady' && start[i] === undefined) lower(blockedFrom, creation.statefulSet, creation.ordinal);
  }
  for (let i = 0; i < count; i++) {
    const creation = ordered[i].creation;
    if (creation !== undefined && creation.ordinal > (blockedFrom.get(creation.statefulSet) ?? Infinity)) {
      outcomes[i] = { claim: ordered[i], class: 'pending', alternatives: [], neverCreated: true };
    }
  }

  // Settled whatever the order: a named PV held for the claim, or PVs pre-bound to it found before any free PV.
  for (let i = 0; i < count; i++) {
    const found = start[i];
    if (found === undefined || outcomes[i] !== undefined || !heldForClaim(found, ordered[i])) continue;
    certain.hold(found.pvs[0], keys[i]);
    outcomes[i] = outcome(i, found);
  }

  // The others: Pending from the start, or grouped by the buckets of free PVs they may take (and, under
  // OrderedReady, with the other claims of their StatefulSet, whose outcome decides whether they are created).
  const participants: number[] = [];
  for (let i = 0; i < count; i++) {
    if (outcomes[i] !== undefined) continue;
    if (start[i] === undefined) outcomes[i] = { claim: ordered[i], class: 'pending', alternatives: [] };
    else participants.push(i);
  }
  // Nodes: the j-th participant is j, bucket b is participants + b, the OrderedReady StatefulSets come after them.
  const bucketsOfShape = new Map<string, Bucket<P>[]>();
  // The last claim servingBuckets searched (claims come in runs of one shape).
  let previousServed: { readonly claim: ClaimSpec<C>; readonly buckets: Bucket<P>[] } | undefined;
  const firstSetNode = participants.length + index.buckets.length;
  const setNodes = new Map<string, number>();
  for (const i of participants) {
    const creation = ordered[i].creation;
    if (creation?.podManagement === 'OrderedReady' && !setNodes.has(creation.statefulSet)) {
      setNodes.set(creation.statefulSet, firstSetNode + setNodes.size);
    }
  }
  const groups = new UnionFind(firstSetNode + setNodes.size);
  for (let j = 0; j < participants.length; j++) {
    const claim = ordered[participants[j]];
    for (const bucket of bucketsOf(claim)) groups.join(j, participants.length + bucket.id);
    if (claim.creation?.podManagement === 'OrderedReady') groups.join(j, setNodes.get(claim.creation.statefulSet)!);
  }
  // Root → the positions of its claims, in canonical order (the components in the order of their first claim).
  const components = new Map<number, number[]>();
  for (let j = 0; j < participants.length; j++) append(components, groups.root(j), participants[j]);

  const bucketsOfRoot = new Map<number, Bucket<P>[]>();
  for (const bucket of index.buckets) {
    const root = groups.root(participants.length + bucket.id);
    if (components.has(root)) append(bucketsOfRoot, root, bucket);
  }
  const contentions: Contention<C, P>[] = [];
  // Per contention: the positions of its claims (their outcomes are final only at the end).
  const contentionClaims: number[][] = [];
  // Under OrderedReady: per StatefulSet, the lowest ordinal above which no claim is created in any run of its contention.
  const blockedAbove = new Map<string, number>();
  for (const [root, positions] of components) {
    if (positions.length === 1) {
      const [i] = positions;
      outcomes[i] = outcome(i, start[i]!);
      continue;
    }
    const group = positions.map((i) => ordered[i]);
    const groupKeys = positions.map((i) => keys[i]);
    const exact = group.length <= EXACT_CLAIMS;
    const result = exact ? searchEveryRun(group, groupKeys, index, certain) : classifyByWaves(group, groupKeys, index, certain);
    const contention: Contention<C, P> = { claims: group, pvs: componentPvs(root, group), pending: result.pending, exact, outcomes: [] };
    contentions.push(contention);
    contentionClaims.push(positions);
    for (const [set, ordinal] of result.blockedAbove) blockedAbove.set(set, ordinal);
    for (let j = 0; j < positions.length; j++) {
      const i = positions[j];
      const { class: cls, pv, path, alternatives } = result.claims[j];
      outcomes[i] = {
        claim: group[j],
        class: cls,
        ...(pv === undefined ? {} : { pv, path }),
        alternatives: alternatives.length > ALTERNATIVES_LISTED ? alternatives.slice(0, ALTERNATIVES_LISTED) : alternatives,
        ...displacement(i, pv),
        contention,
      };
    }
  }

  // Under OrderedReady, a claim above an ordinal that stays Pending is never created, above one that may stay
  // Pending only in some runs. An ordinal whose claims each bind in some run may still leave one of them Pending in
  // every run (two claims, one PV): the contention's blockedAbove says so, for the claims settled outside it.
  const never = lowestOrderedReady(outcomes as ClaimOutcome<C, P>[], 'pending');
  for (const [set, ordinal] of blockedAbove) lower(never, set, ordinal);
  const sometimes = lowestOrderedReady(outcomes as ClaimOutcome<C, P>[], 'sometimes-pending');
  for (let i = 0; i < count; i++) {
    const o = outcomes[i]!;
    const creation = o.claim.creation;
    if (creation === undefined) continue;
    if (creation.ordinal > (never.get(creation.statefulSet) ?? Infinity)) {
      if (o.class !== 'pending') outcomes[i] = { claim: o.claim, class: 'pending', alternatives: [], neverCreated: true };
    } else if (creation.ordinal > (sometimes.get(creation.statefulSet) ?? Infinity)) {
      if (o.class === 'bound' || o.class === 'one-of-several') outcomes[i] = { ...o, class: 'sometimes-pending' };
    }
  }

  const pending: PendingClaim<C, P>[] = [];
  let explain: { ranker: MismatchRanker<P>; scope: (claim: ClaimSpec) => readonly PvSpec<P>[] } | undefined;
  const fittingOfShape = new Map<Contention<C, P>, Map<string, PvSpec<P>[]>>();
  const byKey = new Map<string, ClaimOutcome<C, P>>();
  for (let i = 0; i < count; i++) {
    const o = outcomes[i]!;
    byKey.set(keys[i], o);
    if (o.class !== 'pending') continue;
    explain ??= {
      ranker: new MismatchRanker(index, certain),
      scope: options.explainWithinStorageClass ? explanationScope(ordered, index) : () => index.pvs,
    };
    const claim = ordered[i];
    const fitting = o.contention === undefined ? [] : fittingIn(claim, o.contention);
    pending.push(describePending(claim, explain.scope(claim), index, explain.ranker, fitting, o.contention));
  }
  contentions.forEach((contention, c) => {
    (contention.outcomes as ClaimOutcome<C, P>[]).push(...contentionClaims[c].map((i) => outcomes[i]!));
  });
  return { outcomes: byKey, pending, contentions };

  /** The outcome of a claim whatever the others do: what its handling may bind. */
  function outcome(i: number, listed: Options<P>): ClaimOutcome<C, P> {
    // With nothing more than one PV per group, listing more finds the same (see handle).
    const found = listed.more ? handle(ordered[i], index, new Holds(index), CHOICES_LISTED, keys[i])! : listed;
    const cls: BindingClass = found.pvs.length > 1 || found.more ? 'one-of-several' : 'bound';
    const pv = found.pvs[0];
    return {
      claim: ordered[i],
      class: cls,
      pv,
      path: found.paths[0],
      alternatives: found.pvs.length === 1 ? [pv] : [...found.pvs].sort(byName).slice(0, ALTERNATIVES_LISTED),
      ...(cls === 'one-of-several' && found.randomness !== undefined ? { randomness: found.randomness } : {}),
      ...displacement(i, pv),
    };
  }

  function displacement(i: number, pv: PvSpec<P> | undefined): { displacedFrom?: PvSpec<P> } {
    const claim = ordered[i];
    if (pv === undefined || isPreBoundTo(pv, claim)) return {};
    const own = index.preBoundTo(claim).find((candidate) => passes(claim, candidate, 'claimRef'));
    return own === undefined ? {} : { displacedFrom: own };
  }

  /** The buckets of free PVs a claim may take (a volumeName claim: its named PV's bucket). */
  function bucketsOf(claim: ClaimSpec<C>): Bucket<P>[] {
    if (claim.volumeName) {
      const slot = index.slotOf(index.byName.get(claim.volumeName)!);
      return slot === undefined ? [] : [slot.bucket];
    }
    // Without a selector, whether a bucket serves the claim takes a search of its few capacities and a step to the
    // next free PV; a selector may make it scan the bucket: claims alike in their shape share that scan.
    if (claim.selector === undefined) return servingBuckets(claim);
    const shape = shapeKey(claim);
    let buckets = bucketsOfShape.get(shape);
    if (buckets === undefined) bucketsOfShape.set(shape, (buckets = servingBuckets(claim)));
    return buckets;
  }

  function servingBuckets(claim: ClaimSpec<C>): Bucket<P>[] {
    if (previousServed !== undefined && searchedAlike(previousServed.claim, claim, index)) return previousServed.buckets;
    const buckets: Bucket<P>[] = [];
    for (let groupIndex = 0; groupIndex < index.groups.length; groupIndex++) {
      if (!hasAccessModes(claim, index.groups[groupIndex].modes)) continue;
      const bucket = index.bucketFor(groupIndex, claim);
      if (bucket !== undefined && bucketServes(claim, bucket, certain)) buckets.push(bucket);
    }
    previousServed = { claim, buckets };
    return buckets;
  }

  function componentPvs(root: number, group: readonly ClaimSpec<C>[]): PvSpec<P>[] {
    const result: PvSpec<P>[] = [];
    for (const bucket of bucketsOfRoot.get(root) ?? []) result.push(...bucket.pvs);
    for (const claim of group) {
      const named = claim.volumeName ? index.byName.get(claim.volumeName) : undefined;
      if (named !== undefined && index.slotOf(named) === undefined) result.push(named);
    }
    return [...new Set(result)].sort(byName);
  }

  /** The PVs of a contention that would serve the claim if the others did not take them (per shape: one scan). */
  function fittingIn(claim: ClaimSpec<C>, contention: Contention<C, P>): PvSpec<P>[] {
    if (claim.volumeName) return contention.pvs.filter((pv) => pv.name === claim.volumeName);
    const byShape = fittingOfShape.get(contention) ?? new Map<string, PvSpec<P>[]>();
    fittingOfShape.set(contention, byShape);
    let fitting = byShape.get(shapeKey(claim));
    if (fitting === undefined) {
      fitting = contention.pvs.filter((pv) => pv.claimRef === undefined && passes(claim, pv, 'match'));
      byShape.set(shapeKey(claim), fitting);
    }
    return fitting;
  }
}

/** Whether every PV a handling may bind is held for the claim (named by its volumeName and pre-bound to it, or pre-bound to it). */
function heldForClaim(found: Options<unknown>, claim: ClaimSpec): boolean {
  for (let k = 0; k < found.pvs.length; k++) {
    const path = found.paths[k];
    if (path !== 'claimRef' && !(path === 'volumeName' && isPreBoundTo(found.pvs[k], claim))) return false;
  }
  return true;
}

/**
 * Whether the ordinary search treats two claims alike: the same access modes, request, volumeMode and class, and
 * neither names a PV, has a selector or has PVs pre-bound to it (so the search goes by those fields alone).
 */
function searchedAlike(a: ClaimSpec, b: ClaimSpec, index: PvIndex<unknown>): boolean {
  if (a.volumeName || b.volumeName || a.selector !== undefined || b.selector !== undefined) return false;
  if (a.storageClassName !== b.storageClassName || (a.volumeMode || FILESYSTEM) !== (b.volumeMode || FILESYSTEM)) return false;
  if (compareQuantity(requestOf(a), requestOf(b)) !== 0 || a.accessModes.length !== b.accessModes.length) return false;
  for (let i = 0; i < a.accessModes.length; i++) if (a.accessModes[i] !== b.accessModes[i]) return false;
  return index.preBoundTo(a).length === 0 && index.preBoundTo(b).length === 0;
}

/** Lowers the number kept for `key` to `value`. */
function lower<K>(map: Map<K, number>, key: K, value: number): void {
  const kept = map.get(key);
  if (kept === undefined || value < kept) map.set(key, value);
}

/** Per OrderedReady StatefulSet: the lowest ordinal whose claim has class `cls`. */
function lowestOrderedReady(outcomes: readonly ClaimOutcome[], cls: BindingClass): Map<string, number> {
  const lowest = new Map<string, number>();
  for (const { claim, class: c } of outcomes) {
    const creation = claim.creation;
    if (creation?.podManagement === 'OrderedReady' && c === cls) lower(lowest, creation.statefulSet, creation.ordinal);
  }
  return lowest;
}

/** Claims alike in everything the search looks at, except their name, see the same free PVs. */
function shapeKey(claim: ClaimSpec): string {
  const request = requestOf(claim);
  return JSON.stringify([
    [...claim.accessModes].sort(),
    `${request.num}/${request.den}`,
    claim.volumeMode ?? '',
    claim.storageClassName,
    claim.selector ?? null,
  ]);
}

/** What one claim of a contention does over the runs. */
interface RunClaim<P> {
  readonly class: BindingClass;
  readonly pv?: PvSpec<P>;
  readonly path?: BindPath;
  readonly alternatives: readonly PvSpec<P>[];
}

interface RunResult<P> {
  /** Per claim of the contention, in its order. */
  readonly claims: readonly RunClaim<P>[];
  readonly pending: { min: number; max: number };
  /**
   * OrderedReady StatefulSet → the lowest ordinal such that every run leaves a claim of it or below Pending (so no
   * higher ordinal is ever created); absent when some run leaves none Pending.
   */
  readonly blockedAbove: Map<string, number>;
}

/**
 * Whether the j-th claim of a contention can be handled now, given what the claims handled so far bound (`done`: a
 * PV name, '' for Pending, undefined when not handled yet; see ClaimCreation).
 */
function creatable(j: number, group: readonly ClaimSpec[], done: readonly (string | undefined)[]): 'yes' | 'not-yet' | 'never' {
  const creation = group[j].creation;
  if (creation === undefined) return 'yes';
  let result: 'yes' | 'not-yet' | 'never' = 'yes';
  for (let k = 0; k < group.length; k++) {
    const c = group[k].creation;
    if (k === j || c === undefined || c.statefulSet !== creation.statefulSet) continue;
    const state = done[k];
    if (creation.podManagement === 'OrderedReady' && c.ordinal < creation.ordinal) {
      if (state === '') return 'never';
      if (state === undefined) result = 'not-yet';
    }
    if (creation.podManagement === 'Parallel' && creation.ordinal !== creation.firstOrdinal && c.ordinal === c.firstOrdinal) {
      if (state === undefined) result = 'not-yet';
    }
  }
  return result;
}

/**
 * Every run of a small contention: every order its claims may be handled in and every PV a handling may pick.
 * Equally small PVs that differ in nothing a claim looks at are interchangeable: one of them is tried.
 */
function searchEveryRun<C, P>(group: readonly ClaimSpec<C>[], keys: readonly string[], index: PvIndex<P>, certain: Holds): RunResult<P> {
  const holds = new Holds(index as PvIndex<unknown>, certain, false);
  const named = new Set(group.flatMap((claim) => (claim.volumeName ? [claim.volumeName] : [])));
  const seen = new Set<string>();
  // Per claim: PV name ('' for Pending) → PV, over every run.
  const results = group.map(() => new Map<string, PvSpec<P> | undefined>());
  let firstRun: (Choice<P> | undefined)[] | undefined;
  const done: (string | undefined)[] = group.map(() => undefined);
  let min = Infinity;
  let max = 0;
  // Per OrderedReady StatefulSet: the highest, over the runs, of the lowest ordinal with a Pending claim.
  const ordered = new Set(group.flatMap((claim) => (claim.creation?.podManagement === 'OrderedReady' ? [claim.creation.statefulSet] : [])));
  const lowestPending = new Map<string, number>([...ordered].map((set) => [set, -Infinity]));
  explore();
  const claims = group.map((claim, j): RunClaim<P> => {
    const seenOutcomes = results[j];
    const bound = [
      ...new Set(
        [...seenOutcomes.values()]
          .filter((pv): pv is PvSpec<P> => pv !== undefined)
          .flatMap((pv) => twinsOf(pv, index, named, ALTERNATIVES_LISTED + 1)),
      ),
    ];
    const pendingSometimes = seenOutcomes.has('');
    const cls: BindingClass =
      bound.length === 0 ? 'pending' : pendingSometimes ? 'sometimes-pending' : bound.length > 1 ? 'one-of-several' : 'bound';
    const predicted = firstRun![j];
    return { class: cls, ...(predicted === undefined ? {} : { pv: predicted.pv, path: predicted.path }), alternatives: bound.sort(byName) };
  });
  const blockedAbove = new Map([...lowestPending].filter(([, ordinal]) => ordinal !== Infinity));
  return { claims, pending: { min, max }, blockedAbove };

  function record(): void {
    let pendingCount = 0;
    const first = firstRun === undefined;
    if (first) firstRun = [];
    const lowest = new Map<string, number>();
    group.forEach((claim, j) => {
      const name = done[j] ?? '';
      if (name === '') pendingCount++;
      const creation = claim.creation;
      if (name === '' && creation?.podManagement === 'OrderedReady') lower(lowest, creation.statefulSet, creation.ordinal);
      results[j].set(name, name === '' ? undefined : index.byName.get(name));
      if (first) {
        const pv = name === '' ? undefined : index.byName.get(name)!;
        firstRun![j] = pv && { pv, path: claim.volumeName ? 'volumeName' : isPreBoundTo(pv, claim) ? 'claimRef' : 'match' };
      }
    });
    min = Math.min(min, pendingCount);
    max = Math.max(max, pendingCount);
    for (const set of ordered) lowestPending.set(set, Math.max(lowestPending.get(set)!, lowest.get(set) ?? Infinity));
  }

  function explore(): void {
    const state = done.map((name) => name ?? '?').join('\n');
    if (seen.has(state)) return;
    seen.add(state);
    let progressed = false;
    for (let j = 0; j < group.length; j++) {
      if (done[j] !== undefined || creatable(j, group, done) !== 'yes') continue;
      progressed = true;
      const found = handle(group[j], index, holds, CHOICES_LISTED, keys[j]);
      if (found === undefined) {
        done[j] = '';
        explore();
        done[j] = undefined;
        continue;
      }
      for (const pv of distinct(found.pvs, named)) {
        holds.hold(pv, keys[j]);
        done[j] = pv.name;
        explore();
        done[j] = undefined;
        holds.release(pv);
      }
      // The interchangeable PVs not tried are outcomes too.
      for (const pv of found.pvs) results[j].set(pv.name, pv);
    }
    if (!progressed) record();
  }
}

/**
 * Twins: free PVs alike in everything the search looks at (name aside) and named by no claim's volumeName. Every
 * claim treats twins alike, so swapping two twins in a run gives another run: the search tries one PV of a set of
 * twins, and a claim that may bind one twin may bind any.
 */
function twinKey(pv: PvSpec, named: ReadonlySet<string>): string | undefined {
  if (pv.claimRef !== undefined || named.has(pv.name)) return undefined;
  const capacity = pv.capacity === undefined ? '' : `${pv.capacity.num}/${pv.capacity.den}`;
  return JSON.stringify([canonicalModes(pv.accessModes), capacity, pv.volumeMode ?? '', pv.storageClassName ?? '', pv.labels]);
}

function distinct<P>(pvs: readonly PvSpec<P>[], named: ReadonlySet<string>): PvSpec<P>[] {
  const seen = new Set<string>();
  return pvs.filter((pv) => {
    const key = twinKey(pv, named);
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The twins of `pv` (itself included), at most `limit`. */
function twinsOf<P>(pv: PvSpec<P>, index: PvIndex<P>, named: ReadonlySet<string>, limit: number): PvSpec<P>[] {
  const key = twinKey(pv, named);
  const slot = index.slotOf(pv);
  if (key === undefined || slot === undefined) return [pv];
  const twins: PvSpec<P>[] = [];
  const { pvs, runEnds } = slot.bucket;
  // The PVs as large as `pv`: its run of the bucket.
  for (let i = firstLargeEnough(slot.bucket, capacityOf(pv)); i < runEnds[slot.index] && twins.length < limit; i++) {
    if (twinKey(pvs[i], named) === key) twins.push(pvs[i] as PvSpec<P>);
  }
  return twins;
}

/**
 * A large contention, in one canonical run, wave by wave: the claims of one OrderedReady StatefulSet come ordinal
 * by ordinal (the claims of one ordinal in any order), those of one Parallel StatefulSet first ordinal first, any
 * other mix all at once. Within a wave, if the run leaves some claims Pending, any claim of the wave may be among
 * them (`sometimes-pending`; `pending` when none of the wave binds), and later waves of an OrderedReady StatefulSet
 * are never created; if it leaves none, a wave of several claims may bind them to one another's PVs
 * (`one-of-several`). Exact for interchangeable claims, the common case (one template, many replicas).
 */
function classifyByWaves<C, P>(group: readonly ClaimSpec<C>[], keys: readonly string[], index: PvIndex<P>, certain: Holds): RunResult<P> {
  const sets = new Set(group.map((claim) => claim.creation?.statefulSet));
  const only = sets.size === 1 ? group[0].creation : undefined;
  const waveOf = (claim: ClaimSpec<C>): number =>
    only === undefined
      ? 0
      : only.podManagement === 'OrderedReady'
        ? claim.creation!.ordinal
        : claim.creation!.ordinal === only.firstOrdinal
          ? 0
          : 1;
  // Wave → the positions of its claims in the group.
  const waves = new Map<number, number[]>();
  for (let j = 0; j < group.length; j++) append(waves, waveOf(group[j]), j);
  const holds = new Holds(index as PvIndex<unknown>, certain);
  const named = new Set(group.flatMap((claim) => (claim.volumeName ? [claim.volumeName] : [])));
  const claims: RunClaim<P>[] = new Array(group.length);
  let pendingCount = 0;
  let stopped = false;
  const blockedAbove = new Map<string, number>();
  for (const wave of [...waves.keys()].sort((a, b) => a - b).map((w) => waves.get(w)!)) {
    if (stopped) {
      for (const j of wave) claims[j] = { class: 'pending', alternatives: [] };
      pendingCount += wave.length;
      continue;
    }
    const found = wave.map((j) => {
      const options = handle(group[j], index, holds, CHOICES_LISTED, keys[j]);
      if (options !== undefined) holds.hold(options.pvs[0], keys[j]);
      return options;
    });
    const losers = found.filter((options) => options === undefined).length;
    pendingCount += losers;
    if (losers > 0 && only?.podManagement === 'OrderedReady') {
      stopped = true;
      blockedAbove.set(only.statefulSet, waveOf(group[wave[0]]));
    }
    wave.forEach((j, w) => {
      const options = found[w];
      const alternatives =
        options === undefined ? [] : options.pvs.length > 1 ? options.pvs : twinsOf(options.pvs[0], index, named, ALTERNATIVES_LISTED + 1);
      const cls: BindingClass =
        losers === wave.length
          ? 'pending'
          : losers > 0
            ? 'sometimes-pending'
            : wave.length > 1 || alternatives.length > 1 || options?.more
              ? 'one-of-several'
              : 'bound';
      claims[j] = {
        class: cls,
        ...(options === undefined ? {} : { pv: options.pvs[0], path: options.paths[0] }),
        alternatives,
      };
    });
  }
  return { claims, pending: { min: pendingCount, max: pendingCount }, blockedAbove };
}

/** Disjoint sets over the nodes 0..size-1. */
class UnionFind {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  root(node: number): number {
    let top = node;
    while (this.parent[top] !== top) top = this.parent[top];
    for (let at = node; at !== top; ) {
      const up = this.parent[at];
      this.parent[at] = top;
      at = up;
    }
    return top;
  }

  join(a: number, b: number): void {
    const ra = this.root(a);
    const rb = this.root(b);
    if (ra !== rb) this.parent[rb] = ra;
  }
}
