/** Scaling a StatefulSet down strands the claims of the pods that go away, unless whenScaled is Delete. */
import { describePods, ordinalRange, ordinalsMissingFrom, plannedOrdinals, totalOrdinals } from '../../k8s/ordinals';
import { statefulSetNumberErrors } from '../../k8s/validation';
import { readStatefulSet } from '../../k8s/views';
import type { DiffCheck } from '../types';
import { boundVolumesNote, claimsOf, claimsStayBehind, volumesOfClaims } from './claims';
import { specOf } from './support';

export const scaleDownRetainsClaims: DiffCheck = {
  id: 'scale-down-retains-claims',
  description: 'a StatefulSet scale-down leaves the claims of removed pods behind unless whenScaled is Delete',
  kinds: ['StatefulSet'],
  check(pair, ctx) {
    if (!pair.old || !pair.new) return [];
    const before = ordinalRange(readStatefulSet(pair.old.normalized));
    const afterView = readStatefulSet(pair.new.normalized);
    if (!afterView.countsValid) {
      // Not silently skipped: the API server refuses the new revision, and its scale cannot be judged.
      const [refusal] = statefulSetNumberErrors(specOf(pair.new.normalized));
      if (refusal === undefined) return [];
      return [{
        severity: 'warning',
        side: 'new',
        path: refusal.path,
        message: `${refusal.message}: the API server refuses this revision of StatefulSet "${pair.name}", so which ` +
          'claims a scale change leaves behind is not checked; fix the value (lint reports it as an error)',
      }];
    }
    const after = ordinalRange(afterView);
    const gone = ordinalsMissingFrom(before, after);
    const goneCount = totalOrdinals(gone);
    const whenScaled = afterView.whenScaled;
    const claims = claimsOf(pair.old.normalized, pair.name, gone);
    if (goneCount === 0 || claims.total === 0 || whenScaled === 'Delete') return [];
    const volumes = volumesOfClaims([...ctx.newManifests, ...ctx.oldManifests], pair.namespace, pair.name, claims);
    const pods = describePods(pair.name, plannedOrdinals(gone));
    return [{
      severity: 'warning',
      side: 'new',
      path: ['spec', 'replicas'],
      message: `StatefulSet "${pair.name}" scales down from ${before.count} to ${after.count} ` +
        `replica${after.count === 1 ? '' : 's'}: ${goneCount === 1 ? `pod ${pods} goes` : `pods ${pods} go`} away, ` +
        `but ${goneCount === 1 ? 'its' : 'their'} ${claimsStayBehind(claims)}${boundVolumesNote(volumes)} ` +
        `because persistentVolumeClaimRetentionPolicy.whenScaled is ${whenScaled}; a later scale-up ` +
        'reattaches the old data. Set whenScaled: Delete to remove them, or delete the claims once their data ' +
        'is no longer needed',
    }];
  },
};
