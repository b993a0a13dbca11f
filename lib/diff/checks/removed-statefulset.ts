/** Removing a StatefulSet keeps its claims (and their data) unless whenDeleted is Delete. */
import { ordinalRange } from '../../k8s/ordinals';
import { readStatefulSet } from '../../k8s/views';
import type { DiffCheck } from '../types';
import { boundVolumesNote, claimsOf, claimsStayBehind, volumesOfClaims } from './claims';

export const removedStatefulSetRetainsClaims: DiffCheck = {
  id: 'removed-sts-retains-claims',
  description: 'a removed StatefulSet leaves its claims behind unless whenDeleted is Delete',
  kinds: ['StatefulSet'],
  check(pair, ctx) {
    if (!pair.old || pair.new) return [];
    const view = readStatefulSet(pair.old.normalized);
    const claims = claimsOf(pair.old.normalized, pair.name, [ordinalRange(view)]);
    if (claims.total === 0 || view.whenDeleted === 'Delete') return [];
    const volumes = volumesOfClaims(ctx.oldManifests, pair.namespace, pair.name, claims);
    return [{
      severity: 'warning',
      side: 'old',
      path: ['metadata', 'name'],
      message: `StatefulSet "${pair.name}" is removed, but its ${claimsStayBehind(claims)}${boundVolumesNote(volumes)} ` +
        `because persistentVolumeClaimRetentionPolicy.whenDeleted is ${view.whenDeleted}; a StatefulSet of the ` +
        'same name created later reattaches the data. Delete the claims once their data is no longer needed',
    }];
  },
};
