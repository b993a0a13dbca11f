/**
 * A 1.28 API server refuses any StatefulSet update that touches spec fields other than the few it lets change
 * (apps/validation ValidateStatefulSetUpdate). Each changed field gets its own finding on its NEW line.
 */
import { describeChange } from '../changes';
import type { DiffCheck, DiffFinding } from '../types';
import { invalid, namespaceFlag, specChanges } from './support';

/** Spec fields a StatefulSet update may change. */
export const MUTABLE_STATEFULSET_FIELDS = [
  'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds',
];

export const STATEFULSET_FORBIDDEN =
  "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', " +
  "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

export const statefulSetImmutable: DiffCheck = {
  id: 'immutable-field',
  description: 'StatefulSet spec fields other than replicas, ordinals, template, updateStrategy, ' +
    'persistentVolumeClaimRetentionPolicy and minReadySeconds cannot change',
  kinds: ['StatefulSet'],
  check(pair) {
    const changes = specChanges(pair, MUTABLE_STATEFULSET_FIELDS);
    return changes.map((change): DiffFinding => {
      const resize = /^spec\.volumeClaimTemplates\[[^\]]+\]\.spec\.resources\.requests/.test(change.display)
        ? '; existing claims keep their old size and must be resized on their own (kubectl patch pvc), ' +
          'if their StorageClass allows volume expansion'
        : '';
      return {
        severity: 'error',
        side: 'new',
        path: change.newPath,
        message: `${describeChange(change)}: ${invalid(pair, STATEFULSET_FORBIDDEN)}. ` +
          `To apply it, delete the StatefulSet but not its pods (kubectl delete statefulset ${pair.name}` +
          `${namespaceFlag(pair)} --cascade=orphan), then re-apply${resize}`,
      };
    });
  },
};
