/**
 * The persistent-volume controller's binding algorithm for claims without a dynamic provisioner (Kubernetes 1.28,
 * pkg/controller/volume/persistentvolume: syncUnboundClaim, findByClaim, FindMatchingVolume), on plain data, with
 * the reasons why each PV does not fit a claim, and a simulation over many claims that reports contention.
 */
import { compareQuantity, formatQuantity, Quantity, quantityOf, quantityValue } from './quantity';
import { compileLabelSelector, formatLabelSelector, LabelSelector, Labels, validateLabelSelector } from './selector';

/** A PersistentVolume's `spec.claimRef` (only the fields binding looks at). */
export interface ClaimRef {
  readonly namespace?: string;
  readonly name?: string;
  /** A claimRef carrying a uid names one particular (earlier) claim object: a newly created claim never matches it. */
  readonly uid?: string;
}

/** A claim as the binder sees it. `ref` is the caller's handle back to its manifest. */
export interface ClaimSpec<R = unknown> {
  readonly namespace: string;
  readonly name: string;
  /** `resources.requests.storage`; absent counts as zero. */
  readonly request?: Quantity;
  readonly accessModes: readonly string[];
  /**
   * The effective class: '' means "no class" and matches only PVs without one. The caller resolves an unset class
   * (the cluster's default StorageClass, if any, else '') and the beta annotation.
   */
  readonly storageClassName: string;
  /** Unset means Filesystem. */
  readonly volumeMode?: string;
  /** Absent: no restriction. Not consulted for a claim with `volumeName`. */
  readonly selector?: LabelSelector;
  readonly volumeName?: string;
  readonly ref: R;
}

/** A PersistentVolume as the binder sees it. */
export interface PvSpec<R = unknown> {
  readonly name: string;
  /** `capacity.storage`; absent counts as zero. */
  readonly capacity?: Quantity;
  readonly accessModes: readonly string[];
  /** Unset or '' means no class. */
  readonly storageClassName?: string;
  /** Unset means Filesystem. */
  readonly volumeMode?: string;
  readonly labels: Labels;
  readonly claimRef?: ClaimRef;
  readonly ref: R;
}

/** How a claim gets its PV: it names it, the PV names the claim, or the controller picked a matching one. */
export type BindPath = 'volumeName' | 'claimRef' | 'match';

/** Why one PV cannot serve one claim: short phrases for messages; empty when the PV fits. */
export interface PvVerdict<P = unknown> {
  readonly pv: PvSpec<P>;
  readonly reasons: readonly string[];
}

/** What the controller does with one claim against a set of PVs. */
export interface ClaimMatch<C = unknown, P = unknown> {
  readonly claim: ClaimSpec<C>;
  /** The PV the controller binds, if any. */
  readonly pv?: PvSpec<P>;
  readonly path?: BindPath;
  /** Every PV considered with its reasons (none for those that fit); fitting PVs first, then fewest reasons. */
  readonly verdicts: readonly PvVerdict<P>[];
  /** A reason not tied to one PV, e.g. `volumeName "pv9" names no PersistentVolume`. */
  readonly problem?: string;
}

/** PV name → key of the claim it is bound to during a simulation (as if the controller had set its claimRef). */
export type Bindings = ReadonlyMap<string, string>;

const FILESYSTEM = 'Filesystem';
const ZERO = quantityOf(0);
const ACCESS_MODE_ORDER = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** The key a claim is known by: `namespace/name`. */
export function claimKey(claim: { readonly namespace: string; readonly name: string }): string {
  return `${claim.namespace}/${claim.name}`;
}

/**
 * Which claim holds which PV during a simulation (as if the controller had set the PV's claimRef): PV name → claim
 * key, with the reverse, optionally layered over an earlier state so a trial run does not copy every binding.
 */
class Holds {
  private readonly holderOfPv = new Map<string, string>();
  private readonly pvsOfClaim = new Map<string, string[]>();

  constructor(private readonly under?: Holds) {}

  static of(bindings: Bindings): Holds {
    const holds = new Holds();
    for (const [pvName, key] of bindings) holds.hold(pvName, key);
    return holds;
  }

  holder(pvName: string): string | undefined {
    return this.holderOfPv.get(pvName) ?? this.under?.holder(pvName);
  }

  /** Names of the PVs held for the claim with this key. */
  heldFor(key: string): string[] {
    const names = [...(this.under?.heldFor(key) ?? []), ...(this.pvsOfClaim.get(key) ?? [])];
    return names.filter((name) => this.holder(name) === key);
  }

  hold(pvName: string, key: string): void {
    this.holderOfPv.set(pvName, key);
    const names = this.pvsOfClaim.get(key);
    if (names === undefined) this.pvsOfClaim.set(key, [pvName]);
    else names.push(pvName);
  }
}

type Reservation = { readonly kind: 'free' } | { readonly kind: 'this' } | { readonly kind: 'other'; readonly reason: string };

const FREE: Reservation = { kind: 'free' };
const THIS: Reservation = { kind: 'this' };

function reservationOf(claim: ClaimSpec, pv: PvSpec, holds: Holds): Reservation {
  const boundTo = holds.holder(pv.name);
  const ref = pv.claimRef;
  if (boundTo !== undefined) {
    if (boundTo === claimKey(claim)) return THIS;
    // Say "pre-bound" for a PV whose own claimRef names its holder, as for one no claim has taken yet.
    const preBound = ref?.namespace !== undefined && `${ref.namespace}/${ref.name}` === boundTo;
    return { kind: 'other', reason: `${preBound ? 'pre-bound' : 'bound'} to ${boundTo}` };
  }
  if (ref === undefined) return FREE;
  if (!ref.namespace) return { kind: 'other', reason: 'claimRef has no namespace' };
  if (!ref.name) return { kind: 'other', reason: 'claimRef has no name' };
  if (ref.namespace !== claim.namespace || ref.name !== claim.name) {
    return { kind: 'other', reason: `pre-bound to ${ref.namespace}/${ref.name}` };
  }
  if (ref.uid) return { kind: 'other', reason: `claimRef pins uid ${ref.uid} of an earlier claim` };
  return THIS;
}

function accessReason(claim: ClaimSpec, pv: PvSpec): string | undefined {
  if (hasAccessModes(claim, pv.accessModes)) return undefined;
  const offered = canonicalModes(pv.accessModes);
  return offered.length === 0 ? 'offers no access modes' : `offers only ${offered.join(', ')}`;
}

/** Exact comparison (FindMatchingVolume) or, on the volumeName path, integers rounded up (checkVolumeSatisfyClaim). */
function capacityReason(claim: ClaimSpec, pv: PvSpec, roundedToIntegers: boolean): string | undefined {
  const request = claim.request ?? ZERO;
  if (pv.capacity === undefined) return compareQuantity(ZERO, request) < 0 ? 'has no capacity.storage' : undefined;
  const tooSmall = roundedToIntegers
    ? quantityValue(pv.capacity) < quantityValue(request)
    : compareQuantity(pv.capacity, request) < 0;
  return tooSmall ? `too small: ${formatQuantity(pv.capacity)} < ${formatQuantity(request)}` : undefined;
}

function volumeModeReason(claim: ClaimSpec, pv: PvSpec): string | undefined {
  const pvMode = pv.volumeMode || FILESYSTEM;
  const claimMode = claim.volumeMode || FILESYSTEM;
  return pvMode === claimMode ? undefined : `volumeMode ${pvMode} != ${claimMode}`;
}

function classReason(claim: ClaimSpec, pv: PvSpec): string | undefined {
  const pvClass = pv.storageClassName ?? '';
  return pvClass === claim.storageClassName
    ? undefined
    : `storageClassName "${pvClass}" != "${claim.storageClassName}"`;
}

const compiledSelectors = new WeakMap<LabelSelector, (labels: Labels) => boolean>();

function selects(claim: ClaimSpec, pv: PvSpec): boolean {
  if (claim.selector === undefined) return true;
  let matcher = compiledSelectors.get(claim.selector);
  if (matcher === undefined) {
    matcher = compileLabelSelector(claim.selector);
    compiledSelectors.set(claim.selector, matcher);
  }
  return matcher(pv.labels);
}

function hasInvalidSelector(claim: ClaimSpec): boolean {
  return claim.selector !== undefined && validateLabelSelector(claim.selector).length > 0;
}

function selectorReason(claim: ClaimSpec, pv: PvSpec): string | undefined {
  return selects(claim, pv) ? undefined : 'selector does not match its labels';
}

function hasAccessModes(claim: ClaimSpec, modes: readonly string[]): boolean {
  return claim.accessModes.every((mode) => modes.includes(mode));
}

function capacityOf(pv: PvSpec): Quantity {
  return pv.capacity ?? ZERO;
}

function largeEnough(claim: ClaimSpec, pv: PvSpec): boolean {
  return compareQuantity(capacityOf(pv), claim.request ?? ZERO) >= 0;
}

function sameVolumeMode(claim: ClaimSpec, pv: PvSpec): boolean {
  return (pv.volumeMode || FILESYSTEM) === (claim.volumeMode || FILESYSTEM);
}

function sameClass(claim: ClaimSpec, pv: PvSpec): boolean {
  return (pv.storageClassName ?? '') === claim.storageClassName;
}

function defined(reasons: ReadonlyArray<string | undefined>): string[] {
  return reasons.filter((reason): reason is string => reason !== undefined);
}

/**
 * Why `pv` cannot serve `claim` on the ordinary (no volumeName) path; [] when it fits. A PV pre-bound to this
 * claim is held only to access modes, capacity and volumeMode (the controller skips selector and class for it).
 */
export function reasonsAgainst(claim: ClaimSpec, pv: PvSpec, bindings: Bindings = new Map()): string[] {
  return reasonsOf(claim, pv, Holds.of(bindings));
}

function reasonsOf(claim: ClaimSpec, pv: PvSpec, holds: Holds): string[] {
  const reservation = reservationOf(claim, pv, holds);
  const own = reservation.kind === 'this';
  return defined([
    reservation.kind === 'other' ? reservation.reason : undefined,
    accessReason(claim, pv),
    capacityReason(claim, pv, false),
    volumeModeReason(claim, pv),
    own ? undefined : selectorReason(claim, pv),
    own ? undefined : classReason(claim, pv),
  ]);
}

/** reasonsOf(...).length, without building the messages. */
function reasonCount(claim: ClaimSpec, pv: PvSpec, holds: Holds): number {
  const reservation = reservationOf(claim, pv, holds);
  let count = reservation.kind === 'other' ? 1 : 0;
  if (!hasAccessModes(claim, pv.accessModes)) count++;
  if (!largeEnough(claim, pv)) count++;
  if (!sameVolumeMode(claim, pv)) count++;
  if (reservation.kind !== 'this') {
    if (!selects(claim, pv)) count++;
    if (!sameClass(claim, pv)) count++;
  }
  return count;
}

/** reasonCount for a claim no PV is reserved for: any held or pre-bound PV counts as reserved for another. */
function reasonCountForAnyone(claim: ClaimSpec, pv: PvSpec, holds: Holds): number {
  let count = pv.claimRef !== undefined || holds.holder(pv.name) !== undefined ? 1 : 0;
  if (!hasAccessModes(claim, pv.accessModes)) count++;
  if (!largeEnough(claim, pv)) count++;
  if (!sameVolumeMode(claim, pv)) count++;
  if (!selects(claim, pv)) count++;
  if (!sameClass(claim, pv)) count++;
  return count;
}

/**
 * Why `pv` cannot serve a claim that names it in `volumeName` (checkVolumeSatisfyClaim: capacity rounded up to
 * integers, class, volumeMode, access modes; nothing for a PV already held for the claim); [] when it fits.
 */
export function reasonsAgainstNamedPv(claim: ClaimSpec, pv: PvSpec, bindings: Bindings = new Map()): string[] {
  return reasonsAgainstRequestedPv(claim, pv, Holds.of(bindings));
}

/** Why `pv` cannot serve a claim that names it in `volumeName`, in the controller's order of checks; [] when it fits. */
function reasonsAgainstRequestedPv(claim: ClaimSpec, pv: PvSpec, holds: Holds): string[] {
  const reservation = reservationOf(claim, pv, holds);
  if (reservation.kind === 'this') return []; // the controller finishes such a binding without checking anything
  if (reservation.kind === 'other') return [reservation.reason];
  return defined([
    capacityReason(claim, pv, true),
    classReason(claim, pv),
    volumeModeReason(claim, pv),
    accessReason(claim, pv),
  ]);
}

/** Sort access modes the way the API lists them (RWO, ROX, RWX, RWOP), without duplicates. */
export function canonicalModes(modes: readonly string[]): string[] {
  const rank = (mode: string) => {
    const index = ACCESS_MODE_ORDER.indexOf(mode);
    return index < 0 ? ACCESS_MODE_ORDER.length : index;
  };
  return [...new Set(modes)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

interface AccessGroup<P> {
  /** The group's access-mode set, canonical. */
  readonly modes: readonly string[];
  readonly pvs: readonly PvSpec<P>[];
}

/**
 * PVs indexed the way the controller searches them, so that finding a claim's PV costs a few lookups instead of a
 * scan of every PV: access-mode groups, fewest modes first (groups of equal size in order of first appearance);
 * within a group, PVs without claimRef by volumeMode and class, smallest capacity first (input order among equals);
 * PVs pre-bound by claimRef by the claim they name.
 */
class PvIndex<P> {
  readonly groups: readonly AccessGroup<P>[];
  /** The first PV of each name. */
  readonly byName = new Map<string, PvSpec<P>>();
  private readonly allByName = new Map<string, PvSpec<P>[]>();
  private readonly position = new Map<PvSpec<P>, number>();
  private readonly groupOf = new Map<PvSpec<P>, number>();
  /** `namespace/name` → PVs whose claimRef names that claim and pins no uid. */
  private readonly preBound = new Map<string, PvSpec<P>[]>();
  /** unreservedKey → PVs without claimRef, smallest first. */
  private readonly unreserved = new Map<string, PvSpec<P>[]>();
  /** unreservedKey → label key → label value → those of the PVs carrying it, smallest first (built on demand). */
  private readonly byLabel = new Map<string, Map<string, Map<string, PvSpec<P>[]>>>();

  constructor(readonly pvs: readonly PvSpec<P>[]) {
    const groups = new Map<string, { modes: string[]; pvs: PvSpec<P>[] }>();
    const canonical = new Map<string, string[]>();
    pvs.forEach((pv, index) => {
      if (!this.position.has(pv)) this.position.set(pv, index);
      if (!this.byName.has(pv.name)) this.byName.set(pv.name, pv);
      append(this.allByName, pv.name, pv);
      const written = pv.accessModes.join('\n');
      let modes = canonical.get(written);
      if (modes === undefined) canonical.set(written, (modes = canonicalModes(pv.accessModes)));
      const key = modes.join(',');
      const group = groups.get(key) ?? { modes, pvs: [] };
      group.pvs.push(pv);
      groups.set(key, group);
      const ref = pv.claimRef;
      if (ref?.namespace && ref.name && !ref.uid) append(this.preBound, `${ref.namespace}/${ref.name}`, pv);
    });
    this.groups = [...groups.values()].sort((a, b) => a.modes.length - b.modes.length);
    this.groups.forEach((group, groupIndex) => {
      for (const pv of group.pvs) {
        this.groupOf.set(pv, groupIndex);
        if (pv.claimRef === undefined) {
          append(this.unreserved, unreservedKey(groupIndex, pv.volumeMode, pv.storageClassName ?? ''), pv);
        }
      }
    });
    for (const list of this.unreserved.values()) list.sort((a, b) => compareQuantity(capacityOf(a), capacityOf(b)));
  }

  positionOf(pv: PvSpec<P>): number {
    return this.position.get(pv)!;
  }

  /** The PVs held for `claim`: by the simulation, or by a claimRef naming it (unless the simulation gave them away). */
  ownPvs(claim: ClaimSpec, holds: Holds): PvSpec<P>[] {
    const key = claimKey(claim);
    const own = new Set<PvSpec<P>>();
    for (const pv of this.preBound.get(key) ?? []) {
      const holder = holds.holder(pv.name);
      const named = pv.claimRef?.namespace === claim.namespace && pv.claimRef?.name === claim.name;
      if (named && (holder === undefined || holder === key)) own.add(pv);
    }
    for (const name of holds.heldFor(key)) for (const pv of this.allByName.get(name) ?? []) own.add(pv);
    return [...own];
  }

  /**
   * PVs in access-mode group `groupIndex` without claimRef, of the claim's class and volumeMode, smallest first;
   * for a claim whose selector has matchLabels, only those carrying its first label (static PVs are often told
   * apart by labels alone: this keeps a search from going over all of them for every claim).
   */
  unreservedFor(groupIndex: number, claim: ClaimSpec): readonly PvSpec<P>[] {
    const key = unreservedKey(groupIndex, claim.volumeMode, claim.storageClassName);
    const sorted = this.unreserved.get(key) ?? [];
    const label = Object.entries(claim.selector?.matchLabels ?? {})[0];
    if (label === undefined || sorted.length < LABEL_INDEX_FROM) return sorted;
    const [labelKey, value] = label;
    const byLabel = this.byLabel.get(key) ?? new Map<string, Map<string, PvSpec<P>[]>>();
    this.byLabel.set(key, byLabel);
    let byValue = byLabel.get(labelKey);
    if (byValue === undefined) {
      byValue = new Map();
      for (const pv of sorted) if (Object.hasOwn(pv.labels, labelKey)) append(byValue, pv.labels[labelKey], pv);
      byLabel.set(labelKey, byValue);
    }
    return byValue.get(value) ?? [];
  }

  inGroup(pv: PvSpec<P>, groupIndex: number): boolean {
    return this.groupOf.get(pv) === groupIndex;
  }
}

/** Lists of unreserved PVs shorter than this are searched without a label index. */
const LABEL_INDEX_FROM = 16;

function unreservedKey(groupIndex: number, volumeMode: string | undefined, className: string): string {
  return JSON.stringify([groupIndex, volumeMode || FILESYSTEM, className]);
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Index of the first PV in `sorted` (smallest first) with at least `request` of capacity. */
function firstLargeEnough(sorted: readonly PvSpec[], request: Quantity): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareQuantity(capacityOf(sorted[middle]), request) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
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
  index: PvIndex<P>,
  holds: Holds,
  preferAmongEquals?: (pv: PvSpec<P>) => boolean,
) {
  const own = index.ownPvs(claim, holds).filter((pv) => largeEnough(claim, pv) && sameVolumeMode(claim, pv));
  for (let groupIndex = 0; groupIndex < index.groups.length; groupIndex++) {
    if (!hasAccessModes(claim, index.groups[groupIndex].modes)) continue;
    let first: PvSpec<P> | undefined;
    for (const pv of own) {
      if (index.inGroup(pv, groupIndex) && (first === undefined || index.positionOf(pv) < index.positionOf(first))) {
        first = pv;
      }
    }
    if (first !== undefined) return { pv: first, path: 'claimRef' as const };
    const smallest = smallestUnreserved(claim, index.unreservedFor(groupIndex, claim), holds, preferAmongEquals);
    if (smallest !== undefined) return { pv: smallest, path: 'match' as const };
  }
  return undefined;
}

/** The first PV of `sorted` (smallest first) that is large enough, free and selected; among equals a preferred one. */
function smallestUnreserved<P>(
  claim: ClaimSpec,
  sorted: readonly PvSpec<P>[],
  holds: Holds,
  preferAmongEquals?: (pv: PvSpec<P>) => boolean,
): PvSpec<P> | undefined {
  let smallest: PvSpec<P> | undefined;
  for (let i = firstLargeEnough(sorted, claim.request ?? ZERO); i < sorted.length; i++) {
    const pv = sorted[i];
    if (smallest !== undefined && compareQuantity(capacityOf(pv), capacityOf(smallest)) !== 0) break;
    if (holds.holder(pv.name) !== undefined || !selects(claim, pv)) continue;
    if (preferAmongEquals === undefined || preferAmongEquals(pv)) return pv;
    smallest ??= pv;
  }
  return smallest;
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
  const holds = Holds.of(bindings);
  if (claim.volumeName !== undefined && claim.volumeName !== '') {
    const pv = pvs.find((candidate) => candidate.name === claim.volumeName);
    if (pv === undefined) return { claim, verdicts: [], problem: `volumeName "${claim.volumeName}" names no PersistentVolume` };
    const reasons = reasonsAgainstRequestedPv(claim, pv, holds);
    return reasons.length === 0
      ? { claim, pv, path: 'volumeName', verdicts: [{ pv, reasons }] }
      : { claim, verdicts: [{ pv, reasons }] };
  }
  const verdicts = pvs
    .map((pv, index) => ({ verdict: { pv, reasons: reasonsOf(claim, pv, holds) }, index }))
    .sort((a, b) => a.verdict.reasons.length - b.verdict.reasons.length || a.index - b.index)
    .map(({ verdict }) => verdict);
  if (claim.selector !== undefined) {
    const problems = validateLabelSelector(claim.selector);
    if (problems.length > 0) {
      return { claim, verdicts, problem: `its selector is invalid, so no PV can bind: ${problems.join('; ')}` };
    }
  }
  const found = findByClaim(claim, new PvIndex(pvs), holds);
  return found ? { claim, pv: found.pv, path: found.path, verdicts } : { claim, verdicts };
}

/** matchClaim without the verdicts: just the PV the controller binds, and how. */
function choose<P>(
  claim: ClaimSpec,
  index: PvIndex<P>,
  holds: Holds,
  preferAmongEquals?: (pv: PvSpec<P>) => boolean,
) {
  if (claim.volumeName) {
    const pv = index.byName.get(claim.volumeName);
    return pv && reasonsAgainstRequestedPv(claim, pv, holds).length === 0
      ? { pv, path: 'volumeName' as const }
      : undefined;
  }
  if (hasInvalidSelector(claim)) return undefined;
  return findByClaim(claim, index, holds, preferAmongEquals);
}

/** Claims competing for PVs that can serve only some of them. */
export interface Contention<C = unknown, P = unknown> {
  /** The competing claims: those naming an unclaimed PV in volumeName first, then the others, in input order. */
  readonly claims: readonly ClaimSpec<C>[];
  /** The PVs that fit at least one of them and are held for no other claim. */
  readonly pvs: readonly PvSpec<P>[];
  /** Claims left Pending when handled in input order (for StatefulSet claims listed by ordinal: see simulateBinding). */
  readonly pendingInInputOrder: readonly ClaimSpec<C>[];
  /**
   * Claims the controller may leave Pending: exact over handling orders for groups of up to 6 claims (with ties
   * between equally small PVs broken against the claim), tried in a few orders for up to 64, in input and reverse
   * order beyond.
   */
  readonly mayStayPending: readonly ClaimSpec<C>[];
}

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
  /** How many of those PVs do not fit this claim in all (mismatches holds the nearest). */
  readonly mismatchCount: number;
  /** A reason not tied to one PV (volumeName names no PV, invalid selector). */
  readonly problem?: string;
  /** Set when the claim lost a contention that another handling order could decide differently. */
  readonly contention?: Contention<C, P>;
}

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

/** PVs that would serve `claim` if no other claim took them first, in input order. */
function fittingPvs<P>(claim: ClaimSpec, index: PvIndex<P>, holds: Holds): PvSpec<P>[] {
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

function describeContention<C, P>(
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

/**
 * The PVs a pending claim is explained with: those of its storage class, and of the classes linked to it by a
 * claimRef or volumeName between their claims and PVs (PVs of other classes do not fit, and counting them in
 * "N more PVs do not fit" is noise); every PV when those are fewer than MISMATCHES_SHOWN (the PV meant for the
 * claim may carry a misspelt class).
 */
function explanationScope<P>(claims: readonly ClaimSpec[], index: PvIndex<P>): (claim: ClaimSpec) => readonly PvSpec<P>[] {
  const classes = new ClassSets();
  const classOf = (pv: PvSpec) => pv.storageClassName ?? '';
  const claimsByKey = new Map(claims.map((claim) => [claimKey(claim), claim]));
  for (const pv of index.pvs) {
    const ref = pv.claimRef;
    const named = ref?.namespace && ref.name ? claimsByKey.get(`${ref.namespace}/${ref.name}`) : undefined;
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

function describePending<C, P>(
  claim: ClaimSpec<C>,
  explainedWith: readonly PvSpec<P>[],
  index: PvIndex<P>,
  ranker: MismatchRanker<P>,
  fitting: readonly PvSpec<P>[],
  contention: Contention<C, P> | undefined,
): PendingClaim<C, P> {
  const { mismatches, mismatchCount, problem } = mismatchesOf(claim, explainedWith, index, ranker);
  return {
    claim,
    fitting,
    mismatches,
    mismatchCount,
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
    const reasons = reasonsAgainstRequestedPv(claim, pv, holds);
    return reasons.length === 0 ? { mismatches: [], mismatchCount: 0 } : { mismatches: [{ pv, reasons }], mismatchCount: 1 };
  }
  const { nearest, mismatchCount } = ranker.rank(claim, scope);
  const mismatches = nearest.map((pv) => ({ pv, reasons: reasonsOf(claim, pv, holds) }));
  const problems = claim.selector === undefined ? [] : validateLabelSelector(claim.selector);
  return problems.length === 0
    ? { mismatches, mismatchCount }
    : { mismatches, mismatchCount, problem: `its selector is invalid, so no PV can bind: ${problems.join('; ')}` };
}

/** How one shape of claim sees the PVs of a scope: reasons counted as if no PV were reserved for it. */
interface ShapeRanking {
  /** Scope positions of the PVs with 1, 2, ... reasons (index = count), each list in input order. */
  readonly byCount: readonly number[][];
  readonly counts: Uint8Array;
  readonly mismatchCount: number;
}

/**
 * Ranks the PVs that do not fit pending claims without going over every PV for every claim: claims alike in all
 * but their name (access modes, request, volumeMode, class, selector) see every PV alike, except the PVs reserved
 * for one of them, so the ranking is computed once per shape and scope and then adjusted for each claim's own PVs.
 */
class MismatchRanker<P> {
  private readonly rankings = new Map<readonly PvSpec<P>[], Map<string, ShapeRanking>>();
  private readonly positions = new Map<readonly PvSpec<P>[], Map<PvSpec<P>, number>>();

  constructor(
    private readonly index: PvIndex<P>,
    readonly holds: Holds,
  ) {}

  rank(claim: ClaimSpec, scope: readonly PvSpec<P>[]): { nearest: PvSpec<P>[]; mismatchCount: number } {
    const shape = this.rankingOf(claim, scope);
    const positionOf = this.positionsIn(scope);
    // The claim's own PVs: their reservation (and so their count) differs from the shape's.
    const own = new Map<number, number>();
    for (const pv of this.index.ownPvs(claim, this.holds)) {
      const position = positionOf.get(pv);
      if (position !== undefined) own.set(position, reasonCount(claim, pv, this.holds));
    }
    let mismatchCount = shape.mismatchCount;
    const ranked: { position: number; count: number }[] = [];
    for (const [position, count] of own) {
      if (shape.counts[position] > 0) mismatchCount--;
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
    ranked.sort((a, b) => a.count - b.count || a.position - b.position);
    return { nearest: ranked.slice(0, MISMATCHES_SHOWN).map(({ position }) => scope[position]), mismatchCount };
  }

  private rankingOf(claim: ClaimSpec, scope: readonly PvSpec<P>[]): ShapeRanking {
    const byShape = this.rankings.get(scope) ?? new Map<string, ShapeRanking>();
    this.rankings.set(scope, byShape);
    const key = JSON.stringify([
      claim.accessModes,
      claim.request === undefined ? '0' : `${claim.request.num}/${claim.request.den}`,
      claim.volumeMode || FILESYSTEM,
      claim.storageClassName,
      claim.selector ?? null,
    ]);
    let ranking = byShape.get(key);
    if (ranking === undefined) {
      const counts = new Uint8Array(scope.length);
      const byCount: number[][] = [[]];
      let mismatchCount = 0;
      scope.forEach((pv, position) => {
        const count = reasonCountForAnyone(claim, pv, this.holds);
        counts[position] = count;
        if (count === 0) return;
        mismatchCount++;
        while (byCount.length <= count) byCount.push([]);
        byCount[count].push(position);
      });
      ranking = { byCount, counts, mismatchCount };
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

/** What a claim asks for, for messages: `ReadWriteOnce 2Gi`, `ReadWriteOnce 1Gi of class "fast", Block`. */
export function describeNeeds(claim: ClaimSpec): string {
  const modes = canonicalModes(claim.accessModes).join('+') || 'no access mode';
  const parts = [`${modes} ${formatQuantity(claim.request ?? ZERO, { binaryHint: false })}`];
  if (claim.storageClassName !== '') parts[0] += ` of class "${claim.storageClassName}"`;
  if (claim.volumeMode && claim.volumeMode !== FILESYSTEM) parts.push(claim.volumeMode);
  if (claim.selector !== undefined) parts.push(`selector {${formatLabelSelector(claim.selector)}}`);
  return parts.join(', ');
}

/**
 * The reason part of a message for a pending claim, one template whether or not claims compete:
 * `no PV can bind (3 claims need ReadWriteOnce 2Gi; pv001, pv003 fit; pv002 offers only ReadWriteMany)`,
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
      : `${claims.length} claims compete for ${pending.contention!.pvs.map((pv) => pv.name).join(', ')}`,
  );
  if (pending.fitting.length > 0) {
    parts.push(`${pending.fitting.map((pv) => pv.name).join(', ')} ${pending.fitting.length === 1 ? 'fits' : 'fit'}`);
  }
  const shown = pending.mismatches.slice(0, MISMATCHES_SHOWN);
  for (const verdict of shown) parts.push(`${verdict.pv.name} ${verdict.reasons.join(', ')}`);
  const hidden = pending.mismatchCount - shown.length;
  if (hidden > 0) parts.push(`${hidden} more PV${hidden === 1 ? '' : 's'} do not fit`);
  if (pending.fitting.length === 0 && pending.mismatchCount === 0 && pending.problem === undefined) {
    parts.push('there are no PersistentVolumes');
  }
  return `no PV can bind (${parts.join('; ')})`;
}
