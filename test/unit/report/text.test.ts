import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatText } from '../../../lib/report/text';
import { CLEAN, SAMPLE } from './sample';

describe('formatText', () => {
  it('prints one line per finding, the notes, and the summary', () => {
    assert.equal(
      formatText(SAMPLE),
      [
        'manifests/app.yaml:6:3  error  Service "web" is not headless: set clusterIP: None, or 50% of <pods> & more  sts-service',
        'manifests/app.yaml:30:7  warning  claims contend\nfor pv001, pv002  pvc-nondeterministic',
        'other dir/b.yaml:2:1  error  spec.replicaz: unknown field "replicaz"  schema',
        'note: example.com/v1 Widget is not a built-in kind',
        '✖ 3 problems (2 errors, 1 warning) in 4 documents of 3 files',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to report, in the singular where it applies', () => {
    assert.equal(formatText(CLEAN), '✔ no problems in 1 document of 1 file\n');
  });

  it('uses the scope a caller such as diff gives', () => {
    const report = { ...SAMPLE, findings: SAMPLE.findings.slice(2), summary: { ...SAMPLE.summary, errors: 1, warnings: 0, notes: [], scope: '2 changed objects' } };
    assert.equal(formatText(report).split('\n').at(-2), '✖ 1 problem (1 error, 0 warnings) in 2 changed objects');
  });
});
