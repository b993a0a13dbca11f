/**
 * A 1.28 API server refuses any StatefulSet update that touches spec fields other than the few it lets change
 * (apps/validation ValidateStatefulSetUpdate). Each changed field gets its own finding on its NEW line.
 */
import { describeChange, type FieldChange } from '../changes';
import { compareQuantities } from '../quantity-equal';
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

/** What a claim template's new storage request means for the claims already made from it. */
const RESIZE_NOTES = {
  grow: '; existing claims keep their old size and must be resized on their own (kubectl patch pvc), if their ' +
    'StorageClass allows volume expansion',
  shrink: '; existing claims keep their old size: a claim cannot shrink (spec.resources.requests.storage: ' +
    'Forbidden: field can not be less than previous value), so only pods of new ordinals get the smaller size',
  none: '',
} as const;

export const statefulSetMessages = {
  statefulSetSpec: (d: { change: string; invalid: string; name: string; namespaceFlag: string; resize: keyof typeof RESIZE_NOTES }) =>
    `${d.change}: ${d.invalid}. To apply it, delete the StatefulSet but not its pods (kubectl delete statefulset ` +
    `${d.name}${d.namespaceFlag} --cascade=orphan), then re-apply${RESIZE_NOTES[d.resize]}`,
  selectorUnsetInOld:
    '{{change}}: OLD sets no spec.selector, which the API server requires (spec.selector: Required value), so the ' +
    'live StatefulSet was not created from OLD as written; the update is refused unless its selector already equals ' +
    'this one ({{invalid}}). Compare with kubectl get statefulset {{name}}{{namespaceFlag}} -o yaml',
};

/**
 * StatefulSet spec fields other than replicas, ordinals, template, updateStrategy,
 * persistentVolumeClaimRetentionPolicy and minReadySeconds cannot change.
 */
export function statefulSetImmutable(pair: ObjectPair): RevisionReport<typeof statefulSetMessages>[] {
  return specChanges(pair, MUTABLE_STATEFULSET_FIELDS).map((change) => {
    const data = {
      change: describeChange(change),
      invalid: invalid(pair, STATEFULSET_FORBIDDEN),
      name: pair.name,
      namespaceFlag: namespaceFlag(pair),
      resize: resizeOf(change),
    };
    // apps/v1 requires a selector (apps/v1beta1's default is filled in by normalize): OLD without one never existed.
    if (change.display === 'spec.selector' && change.oldValue === undefined) {
      return { messageId: 'selectorUnsetInOld', severity: 'warning', side: 'new', path: change.newPath, data };
    }
    return { messageId: 'statefulSetSpec', side: 'new', path: change.newPath, data };
  });
}

/** Whether a change grows or shrinks a claim template's storage request (compared by value: `1Gi` = `1024Mi`). */
function resizeOf(change: FieldChange): keyof typeof RESIZE_NOTES {
  if (!/^spec\.volumeClaimTemplates\[[^\]]+\]\.spec\.resources\.requests/.test(change.display)) return 'none';
  return compareQuantities(change.newValue, change.oldValue) === -1 ? 'shrink' : 'grow';
}
