/**
 * apps/v1 workloads cannot change their selector (the rest strategies' ValidateImmutableField). StatefulSet
 * selectors are covered by statefulset-immutable, which is the error a 1.28 API server returns for them.
 */
import { describeChange } from '../changes';
import type { DiffCheck } from '../types';
import { goLabelSelector } from '../../k8s/go-values';
import { invalid, namespaceFlag, specChanges, specOf } from './support';

export { goLabelSelector };

export const selectorImmutable: DiffCheck = {
  id: 'immutable-field',
  description: 'the selector of a Deployment, DaemonSet or ReplicaSet cannot change',
  kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'],
  check(pair) {
    const changes = specChanges(pair).filter((change) => change.display.startsWith('spec.selector'));
    if (changes.length === 0 || !pair.new) return [];
    const selector = specOf(pair.new.normalized).selector;
    const cause = `spec.selector: Invalid value: ${goLabelSelector(selector)}: field is immutable`;
    return [{
      severity: 'error',
      side: 'new',
      path: ['spec', 'selector'],
      message: `${changes.map(describeChange).join(', ')}: ${invalid(pair, cause)}. ` +
        `To apply it, delete the ${pair.kind} (kubectl delete ${pair.kind.toLowerCase()} ${pair.name}` +
        `${namespaceFlag(pair)}) and re-apply, or create it under a new name`,
    }];
  },
};
