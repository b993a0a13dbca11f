import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSarif } from '../../../lib/report/sarif';
import { SAMPLE } from './sample';

const rules = [
  { id: 'schema', severity: 'error' as const, description: 'Objects match the schema.', remediation: 'Fix the field.' },
  { id: 'sts-service', severity: 'error' as const, description: 'serviceName names a headless Service.', remediation: 'Add the Service.' },
];

describe('formatSarif', () => {
  const sarif = JSON.parse(formatSarif({ ...SAMPLE, findings: [...SAMPLE.findings, { ...SAMPLE.findings[2], file: '/repo/abs/c.yaml' }] }, { rules, root: '/repo', toolVersion: '1.2.3' }));

  it('has the required SARIF 2.1.0 fields', () => {
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(sarif.runs.length, 1);
    assert.deepEqual(sarif.runs[0].tool.driver.name, 'cdk8s-stateful');
    assert.deepEqual(sarif.runs[0].tool.driver.version, '1.2.3');
  });

  it('describes the catalogue rules, and adds a bare entry for a rule it does not know', () => {
    const driverRules = sarif.runs[0].tool.driver.rules;
    assert.deepEqual(driverRules.map((r: { id: string }) => r.id), ['schema', 'sts-service', 'pvc-nondeterministic']);
    assert.deepEqual(driverRules[1], {
      id: 'sts-service',
      shortDescription: { text: 'serviceName names a headless Service.' },
      help: { text: 'Add the Service.' },
      defaultConfiguration: { level: 'error' },
    });
  });

  it('has one result per finding with rule, level, message and a relative, encoded location', () => {
    const results = sarif.runs[0].results;
    assert.equal(results.length, 4);
    assert.deepEqual(results[0], {
      ruleId: 'sts-service',
      ruleIndex: 1,
      level: 'error',
      message: { text: SAMPLE.findings[0].message },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'manifests/app.yaml' }, region: { startLine: 6, startColumn: 3 } } }],
    });
    assert.equal(results[1].level, 'warning');
    assert.equal(results[2].locations[0].physicalLocation.artifactLocation.uri, 'other%20dir/b.yaml');
    assert.equal(results[3].locations[0].physicalLocation.artifactLocation.uri, 'abs/c.yaml');
    for (const result of results) assert.equal(sarif.runs[0].tool.driver.rules[result.ruleIndex].id, result.ruleId);
  });
});
