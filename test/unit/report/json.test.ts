import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatJson } from '../../../lib/report/json';
import { SAMPLE } from './sample';

describe('formatJson', () => {
  it('prints the DESIGN.md shape with fields in the documented order', () => {
    const parsed = JSON.parse(formatJson(SAMPLE));
    assert.deepEqual(Object.keys(parsed), ['findings', 'summary']);
    assert.deepEqual(Object.keys(parsed.findings[0]), ['rule', 'severity', 'message', 'file', 'line', 'column', 'object']);
    assert.deepEqual(parsed.findings[0].object, { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'shop', name: 'web' });
    assert.deepEqual(parsed.findings[1].message, 'claims contend\nfor pv001, pv002');
    assert.deepEqual(parsed.summary, SAMPLE.summary);
  });
});
