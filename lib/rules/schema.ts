import { defineRule } from '../core/rule';

/** Reported by the engine's schema pass (lib/schema), worded as the API server words its validation errors. */
export const schema = defineRule({
  id: 'schema',
  phase: 'object',
  engine: true,
  severity: 'error',
  docs: {
    description:
      'Each object is a Kubernetes 1.28 object of a served apiVersion/kind with only known fields and valid values.',
    remediation: 'Correct or remove the reported field, or move to the served apiVersion the message names.',
  },
});
