/**
 * PVs indexed the way the controller searches them (findByClaim), and the choices one handling of a claim may
 * make. The controller lists the access-mode groups that offer every mode the claim asks for and sorts them by
 * their number of modes, fewest first; groups of equal size come in random order (Go map iteration, unstable sort).
 * In a group it walks the PVs in random order (the informer store's ByIndex): a PV pre-bound to the claim with enough
 * capacity and the right volumeMode is taken at once, else the smallest free PV that passes every predicate (the
 * first found among equally small ones). So one handling may bind any PV of a set: `Options` lists that set.
 */
import {
  capacityOf,
  claimKey,
  FILESYSTEM,
  hasAccessModes,
  isPreBoundTo,
  passes,
  requestOf,
  reservationOf,
  selectorProblem,
  selects,
  canonicalModes,
  type BindPath,
  type ClaimSpec,
  type HolderOf,
  type PvSpec,
} from './binder-predicates';
import { compareQuantity, type Quantity } from './quantity';

/** Free PVs (no claimRef) of one access-mode group, volumeMode and class: smallest first, then by name. */
export interface Bucket<P> {
  readonly id: number;
  readonly pvs: readonly PvSpec<P>[];
  /** The distinct capacities of its PVs, ascending: few, so searching them beats searching every PV. */
  readonly capacities: readonly Quantity[];
  /** Where the PVs of capacities[k] start in `pvs` (and, at k = capacities.length, pvs.length). */
  readonly runStarts: Int32Array;
  /** Per PV: the index just past the last PV as large as it. */
  readonly runEnds: Int32Array;
}

interface AccessGroup<P> {
  readonly modes: readonly string[];
  /** volumeMode (unset: Filesystem) → class → bucket. */
  readonly buckets: Map<string, Map<string, Bucket<P>>>;
}

/** Where a PV is in the index: its access-mode group and, for a free PV, its bucket and index there. */
interface Slot<P> {
  readonly group: number;
  readonly bucket?: Bucket<P>;
  readonly index: number;
}

/** PVs in name order, the order the binder lists them in. */
export function byName(a: PvSpec, b: PvSpec): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A bucket of `pvs` (in name order), sorted by capacity. */
function bucketOf<P>(id: number, pvs: PvSpec<P>[]): Bucket<P> {
  // The list is in name order already and sort is stable: by capacity, then by name.
  pvs.sort((a, b) => compareQuantity(capacityOf(a), capacityOf(b)));
  const capacities: Quantity[] = [];
  const starts: number[] = [];
  const runEnds = new Int32Array(pvs.length);
  for (let i = 0; i < pvs.length; i++) {
    if (i === 0 || compareQuantity(capacityOf(pvs[i]), capacities[capacities.length - 1]) !== 0) {
      capacities.push(capacityOf(pvs[i]));
      starts.push(i);
    }
  }
  starts.push(pvs.length);
  for (let k = 0; k < capacities.length; k++) runEnds.fill(starts[k + 1], starts[k], starts[k + 1]);
  return { id, pvs, capacities, runStarts: Int32Array.from(starts), runEnds };
}

const NONE: readonly never[] = [];

export class PvIndex<P> {
  /** Every PV, by name: the binder's canonical order (document order never decides anything). */
  readonly pvs: readonly PvSpec<P>[];
  readonly byName = new Map<string, PvSpec<P>>();
  readonly groups: readonly AccessGroup<P>[];
  /** Group indices by number of modes, fewest first: the controller's search levels. */
  readonly levels: readonly (readonly number[])[];
  readonly buckets: Bucket<P>[] = [];
  private readonly slots = new Map<PvSpec<P>, Slot<P>>();
  /** Namespace → name → PVs whose claimRef names that claim and pins no uid, by name. */
  private readonly preBound = new Map<string, Map<string, PvSpec<P>[]>>();

  constructor(pvs: readonly PvSpec<P>[]) {
    this.pvs = [...pvs].sort(byName);
    const groups = new Map<string, { modes: string[]; pvs: PvSpec<P>[] }>();
    for (const pv of this.pvs) {
      if (!this.byName.has(pv.name)) this.byName.set(pv.name, pv);
      // Most PVs offer one mode: its name is the group's key.
      const key = pv.accessModes.length === 1 ? pv.accessModes[0] : canonicalModes(pv.accessModes).join(',');
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { modes: canonicalModes(pv.accessModes), pvs: [] }));
      group.pvs.push(pv);
      const ref = pv.claimRef;
      if (ref?.namespace && ref.name && !ref.uid) {
        let byName = this.preBound.get(ref.namespace);
        if (byName === undefined) this.preBound.set(ref.namespace, (byName = new Map()));
        append(byName, ref.name, pv);
      }
    }
    const sorted = [...groups.entries()].sort(([a, ga], [b, gb]) => ga.modes.length - gb.modes.length || (a < b ? -1 : 1));
    this.groups = sorted.map(([, group], groupIndex) => {
      const listsByMode = new Map<string, Map<string, PvSpec<P>[]>>();
      const buckets = new Map<string, Map<string, Bucket<P>>>();
      // In order of their first PV by name: bucket ids follow it.
      const lists: { volumeMode: string; className: string; pvs: PvSpec<P>[] }[] = [];
      for (const pv of group.pvs) {
        if (pv.claimRef !== undefined) {
          this.slots.set(pv, { group: groupIndex, index: -1 });
          continue;
        }
        const volumeMode = pv.volumeMode || FILESYSTEM;
        const className = pv.storageClassName ?? '';
        let byClass = listsByMode.get(volumeMode);
        if (byClass === undefined) listsByMode.set(volumeMode, (byClass = new Map()));
        let list = byClass.get(className);
        if (list === undefined) {
          byClass.set(className, (list = []));
          lists.push({ volumeMode, className, pvs: list });
        }
        list.push(pv);
      }
      for (const { volumeMode, className, pvs: list } of lists) {
        const bucket = bucketOf(this.buckets.length, list);
        this.buckets.push(bucket);
        for (let index = 0; index < list.length; index++) this.slots.set(list[index], { group: groupIndex, bucket, index });
        let bucketsOfMode = buckets.get(volumeMode);
        if (bucketsOfMode === undefined) buckets.set(volumeMode, (bucketsOfMode = new Map()));
        bucketsOfMode.set(className, bucket);
      }
      return { modes: group.modes, buckets };
    });
    const levels = new Map<number, number[]>();
    this.groups.forEach((group, index) => append(levels, group.modes.length, index));
    this.levels = [...levels.keys()].sort((a, b) => a - b).map((size) => levels.get(size)!);
  }

  groupIndexOf(pv: PvSpec<P>): number {
    return this.slots.get(pv)!.group;
  }

  /** A free PV's bucket and index there (undefined for a PV with claimRef). */
  slotOf(pv: PvSpec<P>): { readonly bucket: Bucket<P>; readonly index: number } | undefined {
    const slot = this.slots.get(pv);
    return slot?.bucket === undefined ? undefined : (slot as { bucket: Bucket<P>; index: number });
  }

  /** The buckets a claim's ordinary search looks at, by level. */
  bucketFor(groupIndex: number, claim: ClaimSpec): Bucket<P> | undefined {
    return this.groups[groupIndex].buckets.get(claim.volumeMode || FILESYSTEM)?.get(claim.storageClassName);
  }

  /** PVs pre-bound to the claim (claimRef without uid), by name. */
  preBoundTo(claim: ClaimSpec): readonly PvSpec<P>[] {
    return this.preBound.get(claim.namespace)?.get(claim.name) ?? NONE;
  }
}

/**
 * The PVs held by claims at one point of a run, layered over `base` (bindings that hold in every run). With `skip`,
 * finding the next free PV of a bucket costs amortised constant time however many are held (holds only grow in a
 * run); without, it steps over held PVs one by one (for the small, branching runs of the exhaustive search).
 */
export class Holds implements HolderOf {
  private readonly holderOfPv = new Map<string, string>();
  /** By bucket id: index → the next index that may be free (path-compressed), once a PV of the bucket is held. */
  private readonly next: (Int32Array | undefined)[] = [];

  constructor(
    private readonly index: PvIndex<unknown>,
    private readonly base?: HolderOf,
    private readonly skip = true,
  ) {}

  holder(pvName: string): string | undefined {
    return this.holderOfPv.get(pvName) ?? this.base?.holder(pvName);
  }

  hold(pv: PvSpec, key: string): void {
    this.holderOfPv.set(pv.name, key);
    const slot = this.index.slotOf(pv);
    if (slot === undefined || !this.skip) return;
    let next = this.next[slot.bucket.id];
    if (next === undefined) {
      next = new Int32Array(slot.bucket.pvs.length + 1);
      for (let i = 0; i < next.length; i++) next[i] = i;
      this.next[slot.bucket.id] = next;
    }
    next[slot.index] = slot.index + 1;
  }

  release(pv: PvSpec): void {
    if (this.skip) throw new Error('Holds.release needs holds without skip');
    this.holderOfPv.delete(pv.name);
  }

  /** The first index ≥ i of a PV in `bucket` that no claim holds. */
  nextFree(bucket: Bucket<unknown>, i: number): number {
    const next = this.next[bucket.id];
    if (next !== undefined) {
      let j = i;
      while (next[j] !== j) j = next[j];
      // Path compression: point every index visited straight at the answer.
      for (let k = i; next[k] !== k; ) {
        const up = next[k];
        next[k] = j;
        k = up;
      }
      return j;
    }
    let j = i;
    while (j < bucket.pvs.length && this.holder(bucket.pvs[j].name) !== undefined) j++;
    return j;
  }
}

/** One PV a handling of the claim may bind, and how. */
export interface Choice<P> {
  readonly pv: PvSpec<P>;
  readonly path: BindPath;
}

/** Why one handling may end in more than one PV. */
export type Randomness = 'pre-bound' | 'equal-groups' | 'equally-small';

/**
 * What one handling of a claim may do: bind one of `pvs` (canonical order; the first is the prediction), by the
 * path of the same index in `paths`.
 */
export interface Options<P> {
  readonly pvs: readonly PvSpec<P>[];
  readonly paths: readonly BindPath[];
  /** More PVs are possible than `pvs` lists (it lists at most the limit asked for per group). */
  readonly more: boolean;
  readonly randomness?: Randomness;
}

/** Index of the first PV of the bucket (smallest first) with at least `request` of capacity. */
export function firstLargeEnough(bucket: Bucket<unknown>, request: Quantity): number {
  const { capacities } = bucket;
  let low = 0;
  let high = capacities.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareQuantity(capacities[middle], request) < 0) low = middle + 1;
    else high = middle;
  }
  return bucket.runStarts[low];
}

/** The first PV of a bucket from index `from` that is free and selected by the claim, or the bucket's length. */
function nextSelected(claim: ClaimSpec, bucket: Bucket<unknown>, holds: Holds, from: number): number {
  let i = holds.nextFree(bucket, from);
  while (i < bucket.pvs.length && !selects(claim, bucket.pvs[i])) i = holds.nextFree(bucket, i + 1);
  return i;
}

/** Whether some PV of the bucket would serve the claim if no other claim took it. */
export function bucketServes(claim: ClaimSpec, bucket: Bucket<unknown>, holds: Holds): boolean {
  return nextSelected(claim, bucket, holds, firstLargeEnough(bucket, requestOf(claim))) < bucket.pvs.length;
}

/**
 * What one handling of `claim` may bind, given the PVs `holds` gives to claims: undefined when it stays Pending.
 * `limit` caps the PVs listed per access-mode group.
 */
export function handle<P>(
  claim: ClaimSpec,
  index: PvIndex<P>,
  holds: Holds,
  limit: number,
  key = claimKey(claim),
): Options<P> | undefined {
  if (claim.volumeName) {
    const pv = index.byName.get(claim.volumeName);
    if (pv === undefined) return undefined;
    const reservation = reservationOf(claim, pv, holds);
    if (reservation.kind === 'this' || (reservation.kind === 'free' && passes(claim, pv, 'volumeName'))) {
      return { pvs: [pv], paths: ['volumeName'], more: false };
    }
    return undefined;
  }
  if (selectorProblem(claim) !== undefined) return undefined;
  const own = ownPreBound(claim, key, index, holds);
  const request = requestOf(claim);
  for (const level of index.levels) {
    const pvs: PvSpec<P>[] = [];
    const paths: BindPath[] = [];
    let groupsWithChoices = 0;
    let more = false;
    let randomness: Randomness | undefined;
    for (const groupIndex of level) {
      if (!hasAccessModes(claim, index.groups[groupIndex].modes)) continue;
      const ownHere = own.length === 0 ? own : own.filter((pv) => index.groupIndexOf(pv) === groupIndex);
      if (ownHere.length > 0) {
        groupsWithChoices++;
        if (ownHere.length > 1) randomness = 'pre-bound';
        for (let i = 0; i < ownHere.length && i < limit; i++) {
          pvs.push(ownHere[i]);
          paths.push('claimRef');
        }
        more ||= ownHere.length > limit;
        continue;
      }
      const bucket = index.bucketFor(groupIndex, claim);
      if (bucket === undefined) continue;
      let i = nextSelected(claim, bucket, holds, firstLargeEnough(bucket, request));
      if (i >= bucket.pvs.length) continue;
      groupsWithChoices++;
      // The PVs as small as the first one found.
      const end = bucket.runEnds[i];
      let taken = 0;
      while (i < end) {
        if (taken === limit) {
          more = true;
          break;
        }
        if (taken === 1) randomness ??= 'equally-small';
        pvs.push(bucket.pvs[i]);
        paths.push('match');
        taken++;
        i = nextSelected(claim, bucket, holds, i + 1);
      }
    }
    if (pvs.length > 0) {
      if (groupsWithChoices > 1) randomness = 'equal-groups';
      return randomness === undefined ? { pvs, paths, more } : { pvs, paths, more, randomness };
    }
  }
  return undefined;
}

/** The PVs pre-bound to the claim that no other claim holds and that pass the claimRef path's predicates. */
function ownPreBound<P>(claim: ClaimSpec, key: string, index: PvIndex<P>, holds: Holds): readonly PvSpec<P>[] {
  const preBound = index.preBoundTo(claim);
  if (preBound.length === 0) return NONE;
  const own: PvSpec<P>[] = [];
  for (const pv of preBound) {
    const holder = holds.holder(pv.name);
    if (isPreBoundTo(pv, claim) && (holder === undefined || holder === key) && passes(claim, pv, 'claimRef')) own.push(pv);
  }
  return own;
}

export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
