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

  it('words a diff from its data: object counts in the summary line, added and removed objects as notes', () => {
    const summary = { ...SAMPLE.summary, errors: 1, warnings: 0, notes: [], added: 1, removed: 0, changed: 1, unchanged: 0 };
    const objects = [
      { status: 'added' as const, group: 'apps', kind: 'StatefulSet', namespace: 'shop', name: 'web', file: 'new.yaml', line: 3 },
      { status: 'changed' as const, group: '', kind: 'PersistentVolume', namespace: '', name: 'pv1', file: 'new.yaml', line: 20 },
    ];
    const report = { ...SAMPLE, findings: SAMPLE.findings.slice(2), summary, objects };
    assert.deepEqual(formatText(report).split('\n').slice(-3), [
      'note: added StatefulSet.apps shop/web (new.yaml:3)',
      '✖ 1 problem (1 error, 0 warnings) in 2 objects in 2 revisions: 1 added, 0 removed, 1 changed, 0 unchanged',
      '',
    ]);
  });
});
