import { explainMismatch, matchesLabelSelector, validateLabelSelector } from '../k8s/selector';
import { labelSelectorOf } from '../k8s/storage';
import type { Path, Rule, RuleFinding } from '../core/types';
import { labelMapText } from './support/selectors';
import { asRecord, asStringMap, dig } from './support/values';

const TEMPLATE_LABELS: Path = ['spec', 'template', 'metadata', 'labels'];

/**
 * The API server rejects a StatefulSet whose selector is empty, invalid, or does not select its own pod template.
 * A missing selector is left to the `schema` rule (apps/v1 requires it).
 */
export const stsSelector: Rule = {
  id: 'sts-selector',
  severity: 'error',
  kinds: ['StatefulSet'],
  description: 'spec.selector (matchLabels and matchExpressions) is valid and selects spec.template.metadata.labels.',
  remediation:
    'Make spec.selector select the pod template labels, e.g. copy the template labels into selector.matchLabels.',
  check(manifest) {
    const selector = labelSelectorOf(dig(manifest.object, 'spec', 'selector'));
    if (selector === undefined) return [];
    const labelsNode = asRecord(dig(manifest.object, 'spec', 'template', 'metadata', 'labels'));
    const labels = asStringMap(labelsNode);

    const problems = validateLabelSelector(selector);
    if (problems.length > 0) return problems.map(invalidSelectorFinding);
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      return [
        {
          message: 'spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
          path: ['spec', 'selector'],
        },
      ];
    }
    if (matchesLabelSelector(selector, labels)) return [];
    return [
      {
        message:
          `spec.template.metadata.labels (${labelMapText(labelsNode && labels)}): ` +
          `\`selector\` does not match template \`labels\` ` +
          `(${explainMismatch(selector, labels, 'template labels')}); the API server rejects this StatefulSet`,
        path: TEMPLATE_LABELS,
      },
    ];
  },
};

/**
 * `matchExpressions[1].operator: ...` → a finding at that field, worded as the API server's field error. Missing
 * values are reported at the operator that requires them.
 */
function invalidSelectorFinding(problem: string): RuleFinding {
  const requirement = /^matchExpressions\[(\d+)\]\.(key|operator|values)(: Required)?/.exec(problem);
  const path: Path = requirement
    ? ['spec', 'selector', 'matchExpressions', Number(requirement[1]), requirement[3] ? 'operator' : requirement[2]]
    : ['spec', 'selector', 'matchLabels'];
  return { message: `spec.selector.${problem}`, path };
}
