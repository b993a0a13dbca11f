import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPORT_FORMATS, formatReport, isReportFormat } from '../../../lib/report';
import { formatText } from '../../../lib/report/text';
import { catalogueOf } from '../../../lib/core/rule';
import { registry } from '../../../lib/rules';
import { SAMPLE } from './sample';

describe('formatReport', () => {
  it('knows the five formats of the CLI contract and nothing else', () => {
    assert.deepEqual([...REPORT_FORMATS], ['text', 'json', 'sarif', 'junit', 'github']);
    assert.equal(isReportFormat('xml'), false);
  });

  it('dispatches to the formatter and describes the catalogue it is given in SARIF', () => {
    assert.equal(formatReport(SAMPLE, 'text'), formatText(SAMPLE));
    const driverIds = (options = {}) =>
      JSON.parse(formatReport(SAMPLE, 'sarif', options)).runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    assert.deepEqual(driverIds({ rules: catalogueOf(registry, 'lint') }).slice(0, 3), ['yaml-syntax', 'schema', 'sts-service']);
    // Without a catalogue, the rules of the findings, in order of first appearance.
    assert.deepEqual(driverIds(), ['sts-service', 'pvc-nondeterministic', 'schema']);
  });
});
