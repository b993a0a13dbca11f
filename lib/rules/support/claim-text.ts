/** Wording shared by the storage rules: where a claim's request is, lists of names, the default-class caveat. */
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

export const UNSET_CLASS_CAVEAT =
  ' (the claim sets no storageClassName: if the cluster has a default StorageClass, the claim gets that class ' +
  'and a provisioned volume instead of these PVs)';

