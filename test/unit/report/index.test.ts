import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPORT_FORMATS, formatReport, isReportFormat } from '../../../lib/report';
import { formatText } from '../../../lib/report/text';
import { SAMPLE } from './sample';

describe('formatReport', () => {
  it('knows the five formats of the CLI contract and nothing else', () => {
    assert.deepEqual([...REPORT_FORMATS], ['text', 'json', 'sarif', 'junit', 'github']);
    assert.equal(isReportFormat('xml'), false);
  });

  it('dispatches to the formatter and describes the lint catalogue in SARIF by default', () => {
    assert.equal(formatReport(SAMPLE, 'text'), formatText(SAMPLE));
    const ids = JSON.parse(formatReport(SAMPLE, 'sarif')).runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    assert.deepEqual(ids.slice(0, 3), ['yaml-syntax', 'schema', 'sts-service']);
  });
});
