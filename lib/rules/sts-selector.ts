import { explainMismatch, matchesLabelSelector, validateLabelSelector } from '../k8s/selector';
import { labelSelectorOf } from '../k8s/storage';
import { defineRule, type Report } from '../core/rule';
import type { Path } from '../core/types';
import { STATEFULSET_PATHS } from '../k8s/views';
import { statefulSetView } from './support/statefulset';
import { labelMapText } from './support/selectors';

const TEMPLATE_LABELS: Path = STATEFULSET_PATHS.templateLabels;

/**
 * The API server rejects a StatefulSet whose selector is empty, invalid, or does not select its own pod template.
 * A missing selector is left to the `schema` rule (apps/v1 requires it).
 */
const messages = {
  invalidSelector: 'spec.selector.{{problem}}',
  emptySelector: 'spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
  selectsNotTemplate:
    'spec.template.metadata.labels ({{labels}}): `selector` does not match template `labels` ' +
    '({{mismatch}}); the API server rejects this StatefulSet',
};

export const stsSelector = defineRule({
  id: 'sts-selector',
  phase: 'object',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
      'spec.selector (matchLabels and matchExpressions) is valid and selects spec.template.metadata.labels.',
    remediation:
      'Make spec.selector select the pod template labels, e.g. copy the template labels into selector.matchLabels.',
  },
  messages,
  check(manifest, ctx) {
    const sts = statefulSetView(manifest, ctx);
    const selector = labelSelectorOf(sts.selector);
    if (selector === undefined) return [];
    const labels = sts.podTemplate.labels;

    const problems = validateLabelSelector(selector);
    if (problems.length > 0) return problems.map(invalidSelectorFinding);
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      return [{ messageId: 'emptySelector', path: STATEFULSET_PATHS.selector }];
    }
    if (matchesLabelSelector(selector, labels)) return [];
    return [
      {
        messageId: 'selectsNotTemplate',
        data: {
          labels: labelMapText(sts.podTemplate.hasLabels ? labels : undefined),
          mismatch: explainMismatch(selector, labels, 'template labels'),
        },
        path: TEMPLATE_LABELS,
      },
    ];
  },
});

/**
 * `matchExpressions[1].operator: ...` → a finding at that field, worded as the API server's field error. Missing
 * values are reported at the operator that requires them.
 */
function invalidSelectorFinding(problem: string): Report<typeof messages> {
  const requirement = /^matchExpressions\[(\d+)\]\.(key|operator|values)(: Required)?/.exec(problem);
  const path: Path = requirement
    ? ['spec', 'selector', 'matchExpressions', Number(requirement[1]), requirement[3] ? 'operator' : requirement[2]]
    : ['spec', 'selector', 'matchLabels'];
  return { messageId: 'invalidSelector', data: { problem }, path };
}
