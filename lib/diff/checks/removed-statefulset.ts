/** Removing a StatefulSet keeps its claims (and their data) unless whenDeleted is Delete. */
import { defineRule } from '../../core/rule';
import { boundVolumesNote, claimsFor, claimsStayBehind, ordinalsOf, volumesOfClaims } from './claims';
import { isObject, specOf } from './support';

export const removedStatefulSetRetainsClaims = defineRule({
  id: 'removed-sts-retains-claims',
  phase: 'revision',
  severity: 'warning',
  kinds: ['StatefulSet'],
  docs: {
    description: 'A removed StatefulSet leaves its claims behind unless whenDeleted is Delete.',
    remediation: 'Delete the claims once their data is no longer needed, or keep the StatefulSet.',
  },
  messages: {
    claimsRetained:
      'StatefulSet "{{name}}" is removed, but its {{claims}}{{volumes}} because ' +
      'persistentVolumeClaimRetentionPolicy.whenDeleted is {{whenDeleted}}; a StatefulSet of the same name created ' +
      'later reattaches the data. Delete the claims once their data is no longer needed',
  },
  check(pair, ctx) {
    if (!pair.old || pair.new) return [];
    const policy = specOf(pair.old.normalized).persistentVolumeClaimRetentionPolicy;
    const whenDeleted = isObject(policy) ? policy.whenDeleted : undefined;
    const claims = claimsFor(pair.old.normalized, pair.name, ordinalsOf(pair.old.normalized));
    if (claims.length === 0 || whenDeleted === 'Delete') return [];
    const volumes = volumesOfClaims(ctx.oldManifests, pair.namespace, claims);
    return [{
      messageId: 'claimsRetained',
      side: 'old',
      path: ['metadata', 'name'],
      data: {
        name: pair.name,
        claims: claimsStayBehind(claims),
        volumes: boundVolumesNote(volumes),
        whenDeleted: String(whenDeleted),
      },
    }];
  },
});
