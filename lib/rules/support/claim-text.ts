/** Wording shared by the storage rules: where a claim's request is, lists of names, the default-class caveat. */
import type { Contention } from '../../k8s/binder';
import type { Path } from '../../core/types';
import type { PlannedClaim } from './claims';

/** The `storage:` request of a claim (in its PVC or its StatefulSet's claim template). */
export function storagePath(claim: PlannedClaim): Path {
  return [...claim.path, 'spec', 'resources', 'requests', 'storage'];
}

const NAMES_SHOWN = 6;

/** `a, b, c` or `a, b, c, d, e, f and 8 more`. */
export function nameList(names: readonly string[]): string {
  if (names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN).join(', ')} and ${names.length - NAMES_SHOWN} more`;
}

/**
 * Whether the controller's order over these claims is fixed: only when they all come from one OrderedReady
 * StatefulSet, one claim per ordinal (pods, and their claims, are then created one at a time in ordinal order).
 */
export function orderIsDetermined(contention: Contention<PlannedClaim>): boolean {
  const owners = contention.claims.map((claim) => claim.ref.owner);
  const first = owners[0];
  if (first === undefined || first.statefulSet.parallel) return false;
  const ordinals = new Set<number>();
  for (const owner of owners) {
    if (owner === undefined || owner.manifest !== first.manifest || ordinals.has(owner.ordinal)) return false;
    ordinals.add(owner.ordinal);
  }
  return true;
}
