/**
 * apps/v1 workloads cannot change their selector (the rest strategies' ValidateImmutableField). StatefulSet
 * selectors are covered by statefulset-immutable, which is the error a 1.28 API server returns for them.
 */
import { describeChange } from '../changes';
import type { RevisionReport } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { invalid, isObject, namespaceFlag, specChanges, specOf } from './support';

type Json = Record<string, unknown>;

const goString = (value: unknown): string => JSON.stringify(String(value));
const goStrings = (values: unknown): string =>
  Array.isArray(values) && values.length > 0 ? `[]string{${values.map(goString).join(', ')}}` : '[]string(nil)';

/** A label selector as Go's `%#v` prints a metav1.LabelSelector, the way the API server quotes the bad value. */
export function goLabelSelector(selector: unknown): string {
  const sel: Json = isObject(selector) ? selector : {};
  const labels = isObject(sel.matchLabels) ? Object.entries(sel.matchLabels) : [];
  const matchLabels = labels.length === 0
    ? 'map[string]string(nil)'
    : `map[string]string{${labels.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${goString(k)}:${goString(v)}`).join(', ')}}`;
  const expressions = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.filter(isObject) : [];
  const matchExpressions = expressions.length === 0
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${expressions.map((e) =>
      `v1.LabelSelectorRequirement{Key:${goString(e.key)}, Operator:${goString(e.operator)}, Values:${goStrings(e.values)}}`).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:${matchExpressions}}`;
}

export const selectorMessages = {
  workloadSelector:
    '{{changes}}: {{invalid}}. To apply it, delete the {{kind}} (kubectl delete {{resource}} {{name}}' +
    '{{namespaceFlag}}) and re-apply, or create it under a new name',
};

/** The selector of a Deployment, DaemonSet or ReplicaSet cannot change. */
export function selectorImmutable(pair: ObjectPair): RevisionReport<typeof selectorMessages>[] {
  const changes = specChanges(pair).filter((change) => change.display.startsWith('spec.selector'));
  if (changes.length === 0 || !pair.new) return [];
  const selector = specOf(pair.new.normalized).selector;
  const cause = `spec.selector: Invalid value: ${goLabelSelector(selector)}: field is immutable`;
  return [{
    messageId: 'workloadSelector',
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
