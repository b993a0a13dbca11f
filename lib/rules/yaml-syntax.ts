import { defineRule } from '../core/rule';

/** Reported by the loader, worded by the YAML parser: a document that does not parse is not checked at all. */
export const yamlSyntax = defineRule({
  id: 'yaml-syntax',
  phase: 'document',
  engine: true,
  severity: 'error',
  alwaysOn: 'a file that does not parse is not checked at all, so it would pass; fix the YAML or leave the file out',
  docs: {
    description: 'Each file is readable YAML text without duplicate keys, as Kubernetes parses it (YAML 1.1).',
    remediation: 'Fix the YAML at the reported line; for a duplicate key, keep only the value you mean.',
  },
});
