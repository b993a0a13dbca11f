/** The checks every docs example shares: it lints clean and passes the upstream 1.28 definitions. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lintPaths } from '../../lib/api';
import { loadValidators, UPSTREAM_SKIP, upstreamErrors } from './upstream-oracle';

export function itLintsCleanAndPassesUpstream(file: string, objects: readonly any[]): void {
  it('lints clean', async () => {
    const report = await lintPaths([file]);
    assert.deepEqual(report.findings.map((f) => `${f.rule}: ${f.message}`), []);
  });

  it('passes the upstream 1.28 definitions', { skip: UPSTREAM_SKIP }, () => {
    const validatorFor = loadValidators();
    assert.deepEqual(objects.map((o) => upstreamErrors(validatorFor, o)).filter(Boolean), []);
  });
}
