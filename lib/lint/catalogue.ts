/** The rule catalogue: the engine's own rules (`yaml-syntax`, `schema`) and every rule of lib/rules. */
import { allRules } from '../rules/index';
import type { RuleInfo } from '../core/types';

export const ENGINE_RULES: readonly RuleInfo[] = [
  {
    id: 'yaml-syntax',
    severity: 'error',
    description: 'Each file is readable YAML text without duplicate keys, as Kubernetes parses it (YAML 1.1).',
    remediation: 'Fix the YAML at the reported line; for a duplicate key, keep only the value you mean.',
  },
  {
    id: 'schema',
    severity: 'error',
    description: 'Each object is a Kubernetes 1.28 object of a served apiVersion/kind with only known fields and valid values.',
    remediation: 'Correct or remove the reported field, or move to the served apiVersion the message names.',
  },
];

function info(rule: RuleInfo): RuleInfo {
  return { id: rule.id, severity: rule.severity, description: rule.description, remediation: rule.remediation };
}

/** Every rule `lint` can report, engine rules first, then lib/rules in their order. */
export function ruleCatalogue(): RuleInfo[] {
  return [...ENGINE_RULES, ...allRules].map(info);
}
