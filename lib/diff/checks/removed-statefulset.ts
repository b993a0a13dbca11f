/** Removing a StatefulSet keeps its claims (and their data) unless whenDeleted is Delete. */
import type { DiffCheck } from '../types';
import { boundVolumesNote, claimsFor, claimsStayBehind, ordinalsOf, volumesOfClaims } from './claims';
import { isObject, specOf } from './support';

export const removedStatefulSetRetainsClaims: DiffCheck = {
  id: 'removed-sts-retains-claims',
  description: 'a removed StatefulSet leaves its claims behind unless whenDeleted is Delete',
  kinds: ['StatefulSet'],
  check(pair, ctx) {
    if (!pair.old || pair.new) return [];
    const policy = specOf(pair.old.normalized).persistentVolumeClaimRetentionPolicy;
    const whenDeleted = isObject(policy) ? policy.whenDeleted : undefined;
    const claims = claimsFor(pair.old.normalized, pair.name, ordinalsOf(pair.old.normalized));
    if (claims.length === 0 || whenDeleted === 'Delete') return [];
    const volumes = volumesOfClaims(ctx.oldManifests, pair.namespace, claims);
    return [{
      severity: 'warning',
      side: 'old',
      path: ['metadata', 'name'],
      message: `StatefulSet "${pair.name}" is removed, but its ${claimsStayBehind(claims)}${boundVolumesNote(volumes)} ` +
        `because persistentVolumeClaimRetentionPolicy.whenDeleted is ${String(whenDeleted)}; a StatefulSet of the ` +
        'same name created later reattaches the data. Delete the claims once their data is no longer needed',
    }];
  },
};
