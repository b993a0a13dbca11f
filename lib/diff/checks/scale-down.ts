/** Scaling a StatefulSet down strands the claims of the pods that go away, unless whenScaled is Delete. */
import { podName } from '../../k8s/names';
import type { DiffCheck } from '../types';
import { boundVolumesNote, claimsFor, claimsStayBehind, ordinalsOf, volumesOfClaims } from './claims';
import { isObject, specOf } from './support';

export const scaleDownRetainsClaims: DiffCheck = {
  id: 'scale-down-retains-claims',
  description: 'a StatefulSet scale-down leaves the claims of removed pods behind unless whenScaled is Delete',
  kinds: ['StatefulSet'],
  check(pair, ctx) {
    if (!pair.old || !pair.new) return [];
    const before = ordinalsOf(pair.old.normalized);
    const after = new Set(ordinalsOf(pair.new.normalized));
    const gone = before.filter((ordinal) => !after.has(ordinal));
    const policy = specOf(pair.new.normalized).persistentVolumeClaimRetentionPolicy;
    const whenScaled = isObject(policy) ? policy.whenScaled : undefined;
    const claims = claimsFor(pair.old.normalized, pair.name, gone);
    if (gone.length === 0 || claims.length === 0 || whenScaled === 'Delete') return [];
    const volumes = volumesOfClaims([...ctx.newManifests, ...ctx.oldManifests], pair.namespace, claims);
    const pods = gone.map((ordinal) => podName(pair.name, ordinal)).join(', ');
    return [{
      severity: 'warning',
      side: 'new',
      path: ['spec', 'replicas'],
      message: `StatefulSet "${pair.name}" scales down from ${before.length} to ${after.size} ` +
        `replica${after.size === 1 ? '' : 's'}: ${gone.length === 1 ? `pod ${pods} goes` : `pods ${pods} go`} away, ` +
        `but ${gone.length === 1 ? 'its' : 'their'} ${claimsStayBehind(claims)}${boundVolumesNote(volumes)} ` +
        `because persistentVolumeClaimRetentionPolicy.whenScaled is ${String(whenScaled)}; a later scale-up ` +
        'reattaches the old data. Set whenScaled: Delete to remove them, or delete the claims once their data ' +
        'is no longer needed',
    }];
  },
};
