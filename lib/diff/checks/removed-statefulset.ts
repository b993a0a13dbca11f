/** Removing a StatefulSet keeps its claims (and their data) unless whenDeleted is Delete. */
import { defineRule } from '../../core/rule';
import { ordinalRange } from '../../k8s/ordinals';
import { readStatefulSet } from '../../k8s/views';
import { boundVolumesNote, claimsOf, claimsStayBehind, volumesOfClaims } from './claims';

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
    const view = readStatefulSet(pair.old.normalized);
    const claims = claimsOf(pair.old.normalized, pair.name, [ordinalRange(view)]);
    if (claims.total === 0 || view.whenDeleted === 'Delete') return [];
    const volumes = volumesOfClaims(ctx.oldManifests, pair.namespace, pair.name, claims);
    return [{
      messageId: 'claimsRetained',
      side: 'old',
      path: ['metadata', 'name'],
      data: {
        name: pair.name,
        claims: claimsStayBehind(claims),
        volumes: boundVolumesNote(volumes),
        whenDeleted: view.whenDeleted,
      },
    }];
  },
});
