/** Scaling a StatefulSet down strands the claims of the pods that go away, unless whenScaled is Delete. */
import { defineRule } from '../../core/rule';
import { describePods, ordinalRange, ordinalsMissingFrom, plannedOrdinals, totalOrdinals } from '../../k8s/ordinals';
import { statefulSetNumberErrors } from '../../k8s/validation';
import { readStatefulSet } from '../../k8s/views';
import { boundVolumesNote, claimsOf, claimsStayBehind, volumesOfClaims } from './claims';
import { specOf } from './support';

export const scaleDownRetainsClaims = defineRule({
  id: 'scale-down-retains-claims',
  phase: 'revision',
  severity: 'warning',
  kinds: ['StatefulSet'],
  docs: {
    description:
      'A StatefulSet scale-down leaves the claims of the removed pods behind unless whenScaled is Delete.',
    remediation:
      'Set persistentVolumeClaimRetentionPolicy.whenScaled: Delete, or delete the claims once their data is no longer needed.',
  },
  messages: {
    claimsRetained: (d: {
      name: string; before: number; after: number; pods: string; gone: number; claims: string; volumes: string;
      whenScaled: string;
    }) =>
      `StatefulSet "${d.name}" scales down from ${d.before} to ${d.after} replica${d.after === 1 ? '' : 's'}: ` +
      `${d.gone === 1 ? `pod ${d.pods} goes` : `pods ${d.pods} go`} away, but ${d.gone === 1 ? 'its' : 'their'} ` +
      `${d.claims}${d.volumes} because persistentVolumeClaimRetentionPolicy.whenScaled is ${d.whenScaled}; a ` +
      'later scale-up reattaches the old data. Set whenScaled: Delete to remove them, or delete the claims once ' +
      'their data is no longer needed',
    countRefused:
      '{{refusal}}: the API server refuses this revision of StatefulSet "{{name}}", so which claims a scale ' +
      'change leaves behind is not checked; fix the value (lint reports it as an error)',
  },
  check(pair, ctx) {
    if (!pair.old || !pair.new) return [];
    const before = ordinalRange(readStatefulSet(pair.old.normalized));
    const afterView = readStatefulSet(pair.new.normalized);
    if (!afterView.countsValid) {
      // Not silently skipped: the API server refuses the new revision, and its scale cannot be judged.
      const [refusal] = statefulSetNumberErrors(specOf(pair.new.normalized));
      if (refusal === undefined) return [];
      return [{ messageId: 'countRefused', side: 'new', path: refusal.path, data: { refusal: refusal.message, name: pair.name } }];
    }
    const after = ordinalRange(afterView);
    const gone = ordinalsMissingFrom(before, after);
    const goneCount = totalOrdinals(gone);
    const claims = claimsOf(pair.old.normalized, pair.name, gone);
    if (goneCount === 0 || claims.total === 0 || afterView.whenScaled === 'Delete') return [];
    const volumes = volumesOfClaims([...ctx.newManifests, ...ctx.oldManifests], pair.namespace, pair.name, claims);
    return [{
      messageId: 'claimsRetained',
      side: 'new',
      path: ['spec', 'replicas'],
      data: {
        name: pair.name,
        before: before.count,
        after: after.count,
        pods: describePods(pair.name, plannedOrdinals(gone)),
        gone: goneCount,
        claims: claimsStayBehind(claims),
        volumes: boundVolumesNote(volumes),
        whenScaled: afterView.whenScaled,
      },
    }];
  },
});
