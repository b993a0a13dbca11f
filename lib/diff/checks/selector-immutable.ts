/**
 * apps/v1 workloads cannot change their selector (the rest strategies' ValidateImmutableField). StatefulSet
 * selectors are covered by statefulset-immutable, which is the error a 1.28 API server returns for them.
 */
import { describeChange } from '../changes';
import type { RevisionReport } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { goLabelSelector } from '../../k8s/go-values';
import { invalid, namespaceFlag, specChanges, specOf } from './support';

export { goLabelSelector };

export const selectorMessages = {
  workloadSelector:
    '{{changes}}: {{invalid}}. To apply it, delete the {{kind}} (kubectl delete {{resource}} {{name}}' +
    '{{namespaceFlag}}) and re-apply, or create it under a new name',
  workloadSelectorUnsetInOld:
    '{{changes}}: OLD sets no spec.selector, which the API server requires (spec.selector: Required value), so the ' +
    'live {{kind}} was not created from OLD as written; the update is refused unless its selector already equals ' +
    'this one ({{invalid}}). Compare with kubectl get {{resource}} {{name}}{{namespaceFlag}} -o yaml',
};

/** The selector of a Deployment, DaemonSet or ReplicaSet cannot change. */
export function selectorImmutable(pair: ObjectPair): RevisionReport<typeof selectorMessages>[] {
  const changes = specChanges(pair).filter((change) => change.display.startsWith('spec.selector'));
  if (changes.length === 0 || !pair.new) return [];
  const selector = specOf(pair.new.normalized).selector;
  const cause = `spec.selector: Invalid value: ${goLabelSelector(selector)}: field is immutable`;
  // apps/v1 requires a selector (apps/v1beta1's default is filled in by normalize): OLD without one never existed.
  const unsetInOld = specOf(pair.old!.normalized).selector === undefined;
  return [{
    messageId: unsetInOld ? 'workloadSelectorUnsetInOld' : 'workloadSelector',
    ...(unsetInOld ? { severity: 'warning' as const } : {}),
    side: 'new',
    path: ['spec', 'selector'],
    data: {
      changes: changes.map(describeChange).join(', '),
      invalid: invalid(pair, cause),
      kind: pair.kind,
      resource: pair.kind.toLowerCase(),
      name: pair.name,
      namespaceFlag: namespaceFlag(pair),
    },
  }];
}
