/**
 * apps/v1 workloads cannot change their selector (the rest strategies' ValidateImmutableField). StatefulSet
 * selectors are covered by statefulset-immutable, which is the error a 1.28 API server returns for them.
 */
import { describeChange } from '../changes';
import type { RevisionReport } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { goLabelSelector } from '../../k8s/go-values';
import { invalid, namespaceFlag, SELECTOR_UNSET_IN_OLD, selectorUnsetInOld, specChanges, specOf } from './support';

export { goLabelSelector };

export const selectorMessages = {
  workloadSelector:
    '{{change}}: {{invalid}}. To apply it, delete the {{kind}} (kubectl delete {{resource}} {{name}}' +
    '{{namespaceFlag}}) and re-apply, or create it under a new name',
  workloadSelectorUnsetInOld: SELECTOR_UNSET_IN_OLD,
};

/** The selector of a Deployment, DaemonSet or ReplicaSet cannot change. */
export function selectorImmutable(pair: ObjectPair): RevisionReport<typeof selectorMessages>[] {
  const changes = specChanges(pair).filter((change) => change.display.startsWith('spec.selector'));
  if (changes.length === 0 || !pair.new) return [];
  const selector = specOf(pair.new.normalized).selector;
  const cause = `spec.selector: Invalid value: ${goLabelSelector(selector)}: field is immutable`;
  const unsetInOld = selectorUnsetInOld(pair);
  return [{
    messageId: unsetInOld ? 'workloadSelectorUnsetInOld' : 'workloadSelector',
    ...(unsetInOld ? { severity: 'warning' as const } : {}),
    side: 'new',
    path: ['spec', 'selector'],
    data: {
      change: changes.map(describeChange).join(', '),
      invalid: invalid(pair, cause),
      kind: pair.kind,
      resource: pair.kind.toLowerCase(),
      name: pair.name,
      namespaceFlag: namespaceFlag(pair),
    },
  }];
}
