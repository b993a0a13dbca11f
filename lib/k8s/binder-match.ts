/**
 * The persistent-volume controller's choice of a PV for one claim (Kubernetes 1.28,
 * pkg/controller/volume/persistentvolume: syncUnboundClaim, findByClaim, FindMatchingVolume), on plain data, with
 * the reasons why each PV does not fit a claim. The index and the predicates exported here without a mention in
 * binder.ts are internal to lib/k8s/binder*.ts, contention.ts and explain.ts.
 */
import { compareQuantity, formatQuantity, Quantity, quantityOf, quantityValue } from './quantity';
import { compileLabelSelector, LabelSelector, Labels, validateLabelSelector } from './selector';

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

export const FILESYSTEM = 'Filesystem';
export const ZERO = quantityOf(0);
const ACCESS_MODE_ORDER = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** The key a claim is known by: `namespace/name`. */
export function claimKey(claim: { readonly namespace: string; readonly name: string }): string {
  return `${claim.namespace}/${claim.name}`;
}

/**
 * Which claim holds which PV during a simulation (as if the controller had set the PV's claimRef): PV name → claim
 * key, with the reverse, optionally layered over an earlier state so a trial run does not copy every binding.
 */
export class Holds {
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

export function selects(claim: ClaimSpec, pv: PvSpec): boolean {
  if (claim.selector === undefined) return true;
  let matcher = compiledSelectors.get(claim.selector);
  if (matcher === undefined) {
    matcher = compileLabelSelector(claim.selector);
    compiledSelectors.set(claim.selector, matcher);
  }
  return matcher(pv.labels);
}

export function hasInvalidSelector(claim: ClaimSpec): boolean {
  return claim.selector !== undefined && validateLabelSelector(claim.selector).length > 0;
}

function selectorReason(claim: ClaimSpec, pv: PvSpec): string | undefined {
  return selects(claim, pv) ? undefined : 'selector does not match its labels';
}

export function hasAccessModes(claim: ClaimSpec, modes: readonly string[]): boolean {
  return claim.accessModes.every((mode) => modes.includes(mode));
}

function capacityOf(pv: PvSpec): Quantity {
  return pv.capacity ?? ZERO;
}

export function largeEnough(claim: ClaimSpec, pv: PvSpec): boolean {
  return compareQuantity(capacityOf(pv), claim.request ?? ZERO) >= 0;
}

export function sameVolumeMode(claim: ClaimSpec, pv: PvSpec): boolean {
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

export function reasonsOf(claim: ClaimSpec, pv: PvSpec, holds: Holds): string[] {
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
export function reasonCount(claim: ClaimSpec, pv: PvSpec, holds: Holds): number {
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
export function reasonCountForAnyone(claim: ClaimSpec, pv: PvSpec, holds: Holds): number {
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
export function reasonsAgainstRequestedPv(claim: ClaimSpec, pv: PvSpec, holds: Holds): string[] {
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
export class PvIndex<P> {
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

export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Index of the first PV in `sorted` (smallest first) with at least `request` of capacity. */
export function firstLargeEnough(sorted: readonly PvSpec[], request: Quantity): number {
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
export function choose<P>(
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
