/**
 * The per-PV predicates of the persistent-volume controller (Kubernetes 1.28, component-helpers
 * storage/volume FindMatchingVolume and pkg/controller/volume/persistentvolume checkVolumeSatisfyClaim), written
 * once as a table: each predicate says on which lookup paths the controller checks it, whether a PV passes, and why
 * not. Reasons, reason counts and the volumeName check order all derive from this table; the index in
 * binder-index.ts is an optimisation of the same predicates (test/unit/k8s/reference-binder.ts checks it).
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

/** When the StatefulSet controller creates a claim: which orders of claims are possible. */
export interface ClaimCreation {
  /** Identifies the StatefulSet (claims of one StatefulSet share it). */
  readonly statefulSet: string;
  readonly ordinal: number;
  /** The lowest ordinal of the StatefulSet (spec.ordinals.start). */
  readonly firstOrdinal: number;
  /**
   * OrderedReady: the claims of ordinal i+1 are created only once pod i is Ready, so once the claims of every lower
   * ordinal are bound. Parallel: the claims of the first ordinal are created first (the controller's slow-start
   * batch of one), then the others in any order.
   */
  readonly podManagement: 'OrderedReady' | 'Parallel';
}

/** A claim as the binder sees it. `ref` is the caller's handle back to its manifest. */
export interface ClaimSpec<R = unknown> {
  readonly namespace: string;
  readonly name: string;
  /** `resources.requests.storage`; absent counts as zero. */
  readonly request?: Quantity;
  readonly accessModes: readonly string[];
  /**
   * The effective class, decided by the caller: '' means "no class" and matches only PVs without one (the caller
   * resolves an unset class to the cluster's default StorageClass, if any, and the beta annotation).
   */
  readonly storageClassName: string;
  /** Unset means Filesystem. */
  readonly volumeMode?: string;
  /** Absent: no restriction. Not consulted for a claim with `volumeName`. */
  readonly selector?: LabelSelector;
  readonly volumeName?: string;
  /** Set for claims a StatefulSet creates; absent for standalone claims (created in any order). */
  readonly creation?: ClaimCreation;
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

/**
 * How the controller looks at a PV for a claim: the claim names it (`volumeName`), the PV names the claim in its
 * claimRef (`claimRef`, found by the ordinary search), or the PV is free and the ordinary search considers it
 * (`match`).
 */
export type BindPath = 'volumeName' | 'claimRef' | 'match';

/** Why one PV cannot serve one claim: short phrases for messages; empty when the PV fits. */
export interface PvVerdict<P = unknown> {
  readonly pv: PvSpec<P>;
  readonly reasons: readonly string[];
}

export const FILESYSTEM = 'Filesystem';
export const ZERO = quantityOf(0);
export const ACCESS_MODE_ORDER = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;

/** The key a claim is known by: `namespace/name` (the binder builds it once per claim: see bindClaims). */
export function claimKey(claim: { readonly namespace: string; readonly name: string }): string {
  return `${claim.namespace}/${claim.name}`;
}

/** Sort access modes the way the API lists them (RWO, ROX, RWX, RWOP), without duplicates. */
export function canonicalModes(modes: readonly string[]): string[] {
  // Most PVs and claims list one mode: nothing to sort.
  if (modes.length <= 1) return [...modes];
  const rank = (mode: string) => {
    const index = (ACCESS_MODE_ORDER as readonly string[]).indexOf(mode);
    return index < 0 ? ACCESS_MODE_ORDER.length : index;
  };
  return [...new Set(modes)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function capacityOf(pv: PvSpec): Quantity {
  return pv.capacity ?? ZERO;
}

export function requestOf(claim: ClaimSpec): Quantity {
  return claim.request ?? ZERO;
}

export function hasAccessModes(claim: ClaimSpec, modes: readonly string[]): boolean {
  const wanted = claim.accessModes;
  for (let i = 0; i < wanted.length; i++) if (!modes.includes(wanted[i])) return false;
  return true;
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

/** The API server's complaint about a claim's selector, or undefined when it is valid or absent. */
export function selectorProblem(claim: ClaimSpec): string | undefined {
  if (claim.selector === undefined) return undefined;
  const problems = validateLabelSelector(claim.selector);
  return problems.length === 0 ? undefined : `its selector is invalid, so no PV can bind: ${problems.join('; ')}`;
}

/** One per-PV predicate of the controller. */
export interface PvPredicate {
  readonly id: 'capacity' | 'storageClassName' | 'volumeMode' | 'accessModes' | 'selector';
  /** The lookup paths on which the controller checks it. */
  readonly paths: readonly BindPath[];
  readonly fits: (claim: ClaimSpec, pv: PvSpec, path: BindPath) => boolean;
  /** Why the PV does not pass (called only when `fits` is false). */
  readonly reason: (claim: ClaimSpec, pv: PvSpec, path: BindPath) => string;
}

/**
 * The predicates, in the order checkVolumeSatisfyClaim checks a PV named by volumeName (capacity, class,
 * volumeMode, access modes); the ordinary search (FindMatchingVolume) checks capacity and volumeMode of every PV,
 * access modes through the access-mode groups, and selector and class only of PVs without claimRef.
 */
export const PV_PREDICATES: readonly PvPredicate[] = [
  {
    id: 'capacity',
    paths: ['volumeName', 'claimRef', 'match'],
    // The volumeName path compares integers rounded up (Quantity.Value); the search compares exactly.
    fits: (claim, pv, path) =>
      path === 'volumeName'
        ? quantityValue(capacityOf(pv)) >= quantityValue(requestOf(claim))
        : compareQuantity(capacityOf(pv), requestOf(claim)) >= 0,
    reason: (claim, pv) =>
      pv.capacity === undefined
        ? 'has no capacity.storage'
        : `too small: ${formatQuantity(pv.capacity)} < ${formatQuantity(requestOf(claim))}`,
  },
  {
    id: 'storageClassName',
    paths: ['volumeName', 'match'],
    fits: (claim, pv) => (pv.storageClassName ?? '') === claim.storageClassName,
    reason: (claim, pv) => `storageClassName "${pv.storageClassName ?? ''}" != "${claim.storageClassName}"`,
  },
  {
    id: 'volumeMode',
    paths: ['volumeName', 'claimRef', 'match'],
    fits: (claim, pv) => (pv.volumeMode || FILESYSTEM) === (claim.volumeMode || FILESYSTEM),
    reason: (claim, pv) => `volumeMode ${pv.volumeMode || FILESYSTEM} != ${claim.volumeMode || FILESYSTEM}`,
  },
  {
    id: 'accessModes',
    paths: ['volumeName', 'claimRef', 'match'],
    fits: (claim, pv) => hasAccessModes(claim, pv.accessModes),
    reason: (_claim, pv) => {
      const offered = canonicalModes(pv.accessModes);
      return offered.length === 0 ? 'offers no access modes' : `offers only ${offered.join(', ')}`;
    },
  },
  {
    id: 'selector',
    paths: ['match'],
    fits: (claim, pv) => selects(claim, pv),
    reason: () => 'selector does not match its labels',
  },
];

/** The predicates checked on each lookup path, in PV_PREDICATES order. */
const PREDICATES_ON: Readonly<Record<BindPath, readonly PvPredicate[]>> = {
  volumeName: PV_PREDICATES.filter((predicate) => predicate.paths.includes('volumeName')),
  claimRef: PV_PREDICATES.filter((predicate) => predicate.paths.includes('claimRef')),
  match: PV_PREDICATES.filter((predicate) => predicate.paths.includes('match')),
};

/** Which claim holds which PV at some point of a run (as if the controller had set the PV's claimRef). */
export interface HolderOf {
  holder(pvName: string): string | undefined;
}

export const NO_HOLDS: HolderOf = { holder: () => undefined };

/** Whether a PV is free, reserved for this claim, or reserved for another (with the reason). */
export type Reservation =
  | { readonly kind: 'free' }
  | { readonly kind: 'this' }
  | { readonly kind: 'other'; readonly reason: string };

const FREE: Reservation = { kind: 'free' };
const THIS: Reservation = { kind: 'this' };

/** A PV whose claimRef names this claim and pins no uid: the controller treats it as the claim's own. */
export function isPreBoundTo(pv: PvSpec, claim: { readonly namespace: string; readonly name: string }): boolean {
  const ref = pv.claimRef;
  return ref !== undefined && !ref.uid && ref.namespace === claim.namespace && ref.name === claim.name;
}

export function reservationOf(claim: ClaimSpec, pv: PvSpec, holds: HolderOf): Reservation {
  const boundTo = holds.holder(pv.name);
  const ref = pv.claimRef;
  if (boundTo !== undefined) {
    if (boundTo === claimKey(claim)) return THIS;
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

/** The path on which the controller would look at `pv` for `claim`, or undefined when it is reserved for another. */
function pathOf(claim: ClaimSpec, reservation: Reservation): BindPath {
  if (claim.volumeName) return 'volumeName';
  return reservation.kind === 'this' ? 'claimRef' : 'match';
}

/**
 * Why `pv` cannot serve `claim`; [] when it fits. For a claim with volumeName this judges the PV it names (a PV
 * held for the claim is bound without any check); otherwise the ordinary search. A PV reserved for another claim
 * gets that reason first, then the reasons it would not fit anyway.
 */
export function reasonsAgainst(claim: ClaimSpec, pv: PvSpec, holds: HolderOf = NO_HOLDS): string[] {
  const reservation = reservationOf(claim, pv, holds);
  if (claim.volumeName && reservation.kind === 'this') return [];
  if (claim.volumeName && reservation.kind === 'other') return [reservation.reason];
  const path = pathOf(claim, reservation);
  const reasons = reservation.kind === 'other' ? [reservation.reason] : [];
  for (const predicate of PREDICATES_ON[path]) {
    if (!predicate.fits(claim, pv, path)) reasons.push(predicate.reason(claim, pv, path));
  }
  return reasons;
}

/** reasonsAgainst(...).length without building the messages; `anyone`: count any claimRef as reserved for another. */
export function reasonCount(claim: ClaimSpec, pv: PvSpec, holds: HolderOf, anyone = false): number {
  const reserved = pv.claimRef !== undefined || holds.holder(pv.name) !== undefined;
  const reservation: Reservation = anyone ? (reserved ? { kind: 'other', reason: '' } : FREE) : reservationOf(claim, pv, holds);
  const path = pathOf(claim, reservation);
  let count = reservation.kind === 'other' ? 1 : 0;
  for (const predicate of PREDICATES_ON[path]) if (!predicate.fits(claim, pv, path)) count++;
  return count;
}

/** Whether `pv` passes every predicate of `path` (reservation aside). */
export function passes(claim: ClaimSpec, pv: PvSpec, path: BindPath): boolean {
  for (const predicate of PREDICATES_ON[path]) if (!predicate.fits(claim, pv, path)) return false;
  return true;
}

/** What a claim asks for, for messages: `ReadWriteOnce 2Gi`, `ReadWriteOnce 1Gi of class "fast", Block`. */
export function describeNeeds(claim: ClaimSpec): string {
  const modes = canonicalModes(claim.accessModes).join('+') || 'no access mode';
  const parts = [`${modes} ${formatQuantity(requestOf(claim), { binaryHint: false })}`];
  if (claim.storageClassName !== '') parts[0] += ` of class "${claim.storageClassName}"`;
  if (claim.volumeMode && claim.volumeMode !== FILESYSTEM) parts.push(claim.volumeMode);
  if (claim.selector !== undefined) parts.push(`selector {${formatLabelSelector(claim.selector)}}`);
  return parts.join(', ');
}
