/**
 * The test oracle for lib/k8s/binder.ts: the 1.28 PV controller written out plainly and run exhaustively on small
 * cases (a few claims and PVs). Nothing is indexed and nothing is shared with the library but the data types and
 * the quantity/selector arithmetic: every PV is scanned for every handling, every order of handling claims the
 * StatefulSet and PV controllers allow is tried, and every random choice the controller makes:
 * - findByClaim lists the access-mode index keys (Go map iteration: any order) and sorts them by number of modes
 *   with an unstable sort: groups of equal size in any order;
 * - FindMatchingVolume walks a group's PVs in the informer store's order (any order): it returns the first PV
 *   pre-bound to the claim with enough capacity and the right volumeMode, else the first of the smallest free PVs
 *   that pass. Starting the walk at each PV of the group in turn yields every result any order yields.
 * Claims are created (and handled) in these orders: standalone claims at any time; a Parallel StatefulSet's claims
 * of its first ordinal first (the slow-start batch of one), then the others in any order; an OrderedReady
 * StatefulSet's claims of ordinal i+1 only once every claim of the lower ordinals is bound (never, if one of them
 * stays Pending). PVs exist before the claims are handled.
 */
import type { ClaimSpec, PvSpec } from '../../../lib/k8s/binder';
import { compareQuantity, quantityOf, quantityValue, type Quantity } from '../../../lib/k8s/quantity';
import { compileLabelSelector, validateLabelSelector } from '../../../lib/k8s/selector';

export type ReferenceClass = 'bound' | 'one-of-several' | 'sometimes-pending' | 'pending';

export interface ReferenceOutcome {
  readonly class: ReferenceClass;
  /** Every PV the claim binds in some run. */
  readonly pvs: ReadonlySet<string>;
}

const ZERO = quantityOf(0);
const key = (claim: { namespace: string; name: string }) => `${claim.namespace}/${claim.name}`;
const request = (claim: ClaimSpec): Quantity => claim.request ?? ZERO;
const capacity = (pv: PvSpec): Quantity => pv.capacity ?? ZERO;
const modeOf = (mode: string | undefined) => mode || 'Filesystem';

/** isVolumeBoundToClaim: the claimRef (or the binding made in this run) names the claim. */
function boundToClaim(pv: PvSpec, claim: ClaimSpec, holder: ReadonlyMap<string, string>): boolean {
  const taken = holder.get(pv.name);
  if (taken !== undefined) return taken === key(claim);
  const ref = pv.claimRef;
  return ref !== undefined && ref.namespace === claim.namespace && ref.name === claim.name && !ref.uid;
}

function reserved(pv: PvSpec, holder: ReadonlyMap<string, string>): boolean {
  return pv.claimRef !== undefined || holder.has(pv.name);
}

/** FindMatchingVolume over the PVs of one group in one walk order. */
function findMatchingVolume(claim: ClaimSpec, walk: readonly PvSpec[], holder: ReadonlyMap<string, string>): PvSpec | undefined {
  const selector = claim.selector === undefined ? undefined : compileLabelSelector(claim.selector);
  let smallest: PvSpec | undefined;
  for (const pv of walk) {
    if (reserved(pv, holder) && !boundToClaim(pv, claim, holder)) continue;
    if (compareQuantity(capacity(pv), request(claim)) < 0) continue;
    if (modeOf(pv.volumeMode) !== modeOf(claim.volumeMode)) continue;
    if (boundToClaim(pv, claim, holder)) return pv;
    if (selector !== undefined && !selector(pv.labels)) continue;
    if ((pv.storageClassName ?? '') !== claim.storageClassName) continue;
    if (smallest === undefined || compareQuantity(capacity(smallest), capacity(pv)) > 0) smallest = pv;
  }
  return smallest;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Every PV one handling of `claim` may bind (empty: it stays Pending). */
export function handlings(claim: ClaimSpec, pvs: readonly PvSpec[], holder: ReadonlyMap<string, string>): Set<string> {
  if (claim.volumeName) {
    const pv = pvs.find((candidate) => candidate.name === claim.volumeName);
    if (pv === undefined) return new Set();
    if (boundToClaim(pv, claim, holder)) return new Set([pv.name]);
    if (reserved(pv, holder)) return new Set();
    // checkVolumeSatisfyClaim: capacity (integers rounded up), class, volumeMode, access modes.
    const fits =
      quantityValue(capacity(pv)) >= quantityValue(request(claim)) &&
      (pv.storageClassName ?? '') === claim.storageClassName &&
      modeOf(pv.volumeMode) === modeOf(claim.volumeMode) &&
      claim.accessModes.every((mode) => pv.accessModes.includes(mode));
    return new Set(fits ? [pv.name] : []);
  }
  if (claim.selector !== undefined && validateLabelSelector(claim.selector).length > 0) return new Set();
  const groups = new Map<string, PvSpec[]>();
  for (const pv of pvs) {
    const id = [...new Set(pv.accessModes)].sort().join(',');
    groups.set(id, [...(groups.get(id) ?? []), pv]);
  }
  const matching = [...groups.keys()].filter((id) => claim.accessModes.every((mode) => id.split(',').includes(mode)));
  const sizes = [...new Set(matching.map((id) => id.split(',').length))].sort((a, b) => a - b);
  // Every order of the groups the sort allows: by size, any order among equal sizes.
  let orders: string[][] = [[]];
  for (const size of sizes) {
    const same = matching.filter((id) => id.split(',').length === size);
    orders = orders.flatMap((prefix) => permutations(same).map((perm) => [...prefix, ...perm]));
  }
  const results = new Set<string>();
  for (const order of orders) {
    for (const id of order) {
      const group = groups.get(id)!;
      const found = group
        .map((_, start) => findMatchingVolume(claim, [...group.slice(start), ...group.slice(0, start)], holder))
        .filter((pv): pv is PvSpec => pv !== undefined);
      if (found.length > 0) {
        for (const pv of found) results.add(pv.name);
        break;
      }
    }
  }
  return results;
}

/** Every claim's class over every run (PVs created before the claims). */
export function referenceOutcomes(claims: readonly ClaimSpec[], pvs: readonly PvSpec[]): Map<string, ReferenceOutcome> {
  const seen = new Map<string, Set<string>>(claims.map((claim) => [key(claim), new Set<string>()]));
  const visited = new Set<string>();
  const done = new Map<string, string>(); // claim key → PV name, '' for Pending
  const holder = new Map<string, string>(); // PV name → claim key

  const creatable = (claim: ClaimSpec): 'yes' | 'not-yet' | 'never' => {
    const c = claim.creation;
    if (c === undefined) return 'yes';
    let answer: 'yes' | 'not-yet' | 'never' = 'yes';
    for (const other of claims) {
      const o = other.creation;
      if (other === claim || o === undefined || o.statefulSet !== c.statefulSet) continue;
      const state = done.get(key(other));
      if (c.podManagement === 'OrderedReady' && o.ordinal < c.ordinal) {
        if (state === '') return 'never';
        if (state === undefined) answer = 'not-yet';
      }
      if (c.podManagement === 'Parallel' && c.ordinal !== c.firstOrdinal && o.ordinal === o.firstOrdinal && state === undefined) {
        answer = 'not-yet';
      }
    }
    return answer;
  };

  const explore = (): void => {
    const state = claims.map((claim) => done.get(key(claim)) ?? '?').join('|');
    if (visited.has(state)) return;
    visited.add(state);
    let moved = false;
    for (const claim of claims) {
      if (done.has(key(claim)) || creatable(claim) !== 'yes') continue;
      moved = true;
      const options = handlings(claim, pvs, holder);
      if (options.size === 0) {
        done.set(key(claim), '');
        explore();
        done.delete(key(claim));
      }
      for (const name of options) {
        done.set(key(claim), name);
        holder.set(name, key(claim));
        explore();
        holder.delete(name);
        done.delete(key(claim));
      }
    }
    if (!moved) for (const claim of claims) seen.get(key(claim))!.add(done.get(key(claim)) ?? '');
  };
  explore();

  const result = new Map<string, ReferenceOutcome>();
  for (const claim of claims) {
    const names = seen.get(key(claim))!;
    const bound = new Set([...names].filter((name) => name !== ''));
    const cls: ReferenceClass =
      bound.size === 0 ? 'pending' : names.has('') ? 'sometimes-pending' : bound.size > 1 ? 'one-of-several' : 'bound';
    result.set(key(claim), { class: cls, pvs: bound });
  }
  return result;
}
