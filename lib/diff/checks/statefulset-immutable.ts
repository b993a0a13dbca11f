/**
 * A 1.28 API server refuses any StatefulSet update that touches spec fields other than the few it lets change
 * (apps/validation ValidateStatefulSetUpdate). Each changed field gets its own finding on its NEW line.
 */
import { describeChange } from '../changes';
import type { RevisionReport } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { invalid, namespaceFlag, specChanges } from './support';

/** Spec fields a StatefulSet update may change. */
export const MUTABLE_STATEFULSET_FIELDS = [
  'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds',
];

export const STATEFULSET_FORBIDDEN =
  "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', " +
  "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

export const statefulSetMessages = {
  statefulSetSpec: (d: { change: string; invalid: string; name: string; namespaceFlag: string; resize: boolean }) =>
    `${d.change}: ${d.invalid}. To apply it, delete the StatefulSet but not its pods (kubectl delete statefulset ` +
    `${d.name}${d.namespaceFlag} --cascade=orphan), then re-apply` +
    (d.resize
      ? '; existing claims keep their old size and must be resized on their own (kubectl patch pvc), ' +
        'if their StorageClass allows volume expansion'
      : ''),
};

/**
 * StatefulSet spec fields other than replicas, ordinals, template, updateStrategy,
 * persistentVolumeClaimRetentionPolicy and minReadySeconds cannot change.
 */
export function statefulSetImmutable(pair: ObjectPair): RevisionReport<typeof statefulSetMessages>[] {
  return specChanges(pair, MUTABLE_STATEFULSET_FIELDS).map((change) => ({
    messageId: 'statefulSetSpec',
    side: 'new',
    path: change.newPath,
    data: {
      change: describeChange(change),
      invalid: invalid(pair, STATEFULSET_FORBIDDEN),
      name: pair.name,
      namespaceFlag: namespaceFlag(pair),
      resize: /^spec\.volumeClaimTemplates\[[^\]]+\]\.spec\.resources\.requests/.test(change.display),
    },
  }));
}
