import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeData, escapeProperty, formatGithub } from '../../../lib/report/github';
import { SAMPLE } from './sample';

describe('formatGithub', () => {
  it('escapes messages and properties the way GitHub reads them', () => {
    assert.equal(escapeData('50% a\r\nb: c, d'), '50%25 a%0D%0Ab: c, d');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  });

  it('prints one workflow command per finding, notices for notes, then the summary', () => {
    assert.equal(
      formatGithub(SAMPLE, { root: '/repo' }),
      [
        '::error file=manifests/app.yaml,line=6,col=3,title=sts-service::Service "web" is not headless: set clusterIP: None, or 50%25 of <pods> & more',
        '::warning file=manifests/app.yaml,line=30,col=7,title=pvc-nondeterministic::claims contend%0Afor pv001, pv002',
        '::error file=other dir/b.yaml,line=2,col=1,title=schema::spec.replicaz: unknown field "replicaz"',
        '::notice::example.com/v1 Widget is not a built-in kind',
        '✖ 3 problems (2 errors, 1 warning) in 4 documents of 3 files',
        '',
      ].join('\n'),
    );
  });

  it('makes absolute paths relative to the root', () => {
    const report = { ...SAMPLE, findings: [{ ...SAMPLE.findings[2], file: '/repo/k8s/x,y.yaml' }] };
    assert.match(formatGithub(report, { root: '/repo' }), /^::error file=k8s\/x%2Cy\.yaml,line=2,col=1,title=schema::/);
  });
});
