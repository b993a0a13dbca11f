import type { LintReport } from '../../../lib/core/types';

/** Two files, three findings, one note; messages with characters every format must escape. */
export const SAMPLE: LintReport = {
  findings: [
    {
      rule: 'sts-service',
      severity: 'error',
      message: 'Service "web" is not headless: set clusterIP: None, or 50% of <pods> & more',
      file: 'manifests/app.yaml',
      line: 6,
      column: 3,
      object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'shop', name: 'web' },
    },
    {
      rule: 'pvc-nondeterministic',
      severity: 'warning',
      message: 'claims contend\nfor pv001, pv002',
      file: 'manifests/app.yaml',
      line: 30,
      column: 7,
    },
    { rule: 'schema', severity: 'error', message: 'spec.replicaz: unknown field "replicaz"', file: 'other dir/b.yaml', line: 2, column: 1 },
  ],
  summary: { files: 3, documents: 4, errors: 2, warnings: 1, skipped: 1, notes: ['example.com/v1 Widget is not a built-in kind'] },
  inputs: ['manifests/app.yaml', 'manifests/clean.yaml', 'other dir/b.yaml'],
};

export const CLEAN: LintReport = {
  findings: [],
  summary: { files: 1, documents: 1, errors: 0, warnings: 0, skipped: 0 },
  inputs: ['ok.yaml'],
};
