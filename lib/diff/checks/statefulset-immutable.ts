/**
 * A 1.28 API server refuses any StatefulSet update that touches spec fields other than the few it lets change
 * (apps/validation ValidateStatefulSetUpdate). Each changed field gets its own finding on its NEW line.
 */
import { describeChange, type FieldChange } from '../changes';
import { compareQuantities } from '../quantity-equal';
import type { RevisionReport } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { PVC_SHRINK_FORBIDDEN } from './pvc-spec';
import { invalid, namespaceFlag, SELECTOR_UNSET_IN_OLD, selectorUnsetInOld, specChanges } from './support';

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
  shrink: `; existing claims keep their old size: a claim cannot shrink (${PVC_SHRINK_FORBIDDEN}), so only pods of new ` +
    'ordinals get the smaller size',
  none: '',
} as const;
type Resize = keyof typeof RESIZE_NOTES;

export const statefulSetMessages = {
  statefulSetSpec: (d: { change: string; invalid: string; name: string; namespaceFlag: string; resize: Resize }) =>
    `${d.change}: ${d.invalid}. To apply it, delete the StatefulSet but not its pods (kubectl delete statefulset ` +
    `${d.name}${d.namespaceFlag} --cascade=orphan), then re-apply${RESIZE_NOTES[d.resize]}`,
  selectorUnsetInOld: SELECTOR_UNSET_IN_OLD,
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
      kind: 'StatefulSet',
      resource: 'statefulset',
    };
    if (change.display === 'spec.selector' && selectorUnsetInOld(pair)) {
      return { messageId: 'selectorUnsetInOld', severity: 'warning', side: 'new', path: change.newPath, data };
    }
    return { messageId: 'statefulSetSpec', side: 'new', path: change.newPath, data };
  });
}

/** Whether a change grows or shrinks a claim template's storage request (compared by value: `1Gi` = `1024Mi`). */
function resizeOf(change: FieldChange): Resize {
  if (!/^spec\.volumeClaimTemplates\[[^\]]+\]\.spec\.resources\.requests/.test(change.display)) return 'none';
  const order = compareQuantities(change.newValue, change.oldValue);
  return order === 1 ? 'grow' : order === -1 ? 'shrink' : 'none';
}
