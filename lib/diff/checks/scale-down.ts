/** Scaling a StatefulSet down strands the claims of the pods that go away, unless whenScaled is Delete. */
import { podName } from '../../k8s/names';
import { defineRule } from '../../core/rule';
import { boundVolumesNote, claimsFor, claimsStayBehind, ordinalsOf, volumesOfClaims } from './claims';
import { isObject, specOf } from './support';

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
  },
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
      messageId: 'claimsRetained',
      side: 'new',
      path: ['spec', 'replicas'],
      data: {
        name: pair.name,
        before: before.length,
        after: after.size,
        pods,
        gone: gone.length,
        claims: claimsStayBehind(claims),
        volumes: boundVolumesNote(volumes),
        whenScaled: String(whenScaled),
      },
    }];
  },
});
