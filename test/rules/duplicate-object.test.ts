/**
 * duplicate-object names the last copy's file, so its fixtures are linted under their path from the repository
 * root (what a header can spell out), not the absolute path ruleTable uses.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadText } from '../../lib/load/load';
import { lintManifests } from '../../lib/api';
import { lintText, parseExpectations, repoRoot } from './harness';

const dir = 'test/fixtures/rules/duplicate-object';

function fixtures(kind: 'valid' | 'invalid'): string[] {
  return fs.readdirSync(path.join(repoRoot, dir, kind)).filter((name) => name.endsWith('.yaml')).sort();
}

function brief(findings: ReturnType<typeof lintText>, rules: ReadonlySet<string>) {
  return findings
    .filter((f) => rules.has(f.rule))
    .map(({ line, column, rule, severity, message }) => ({ line, column, rule, severity, message }));
}

describe('duplicate-object fixtures', () => {
  for (const name of fixtures('valid')) {
    it(`valid: ${name}`, () => {
      const file = `${dir}/valid/${name}`;
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      assert.deepEqual(brief(lintText(text, file), new Set(['duplicate-object'])), []);
    });
  }
  for (const name of fixtures('invalid')) {
    it(`invalid: ${name}`, () => {
      const file = `${dir}/invalid/${name}`;
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      const expected = parseExpectations(text);
      assert.ok(expected.some((e) => e.rule === 'duplicate-object'), `${name} announces no duplicate-object finding`);
      const rules = new Set(expected.map((e) => e.rule));
      const byPlace = (a: { line: number; column: number }, b: { line: number; column: number }) =>
        a.line - b.line || a.column - b.column;
      assert.deepEqual(brief(lintText(text, file), rules), [...expected].sort(byPlace));
    });
  }
});

describe('duplicate-object across files', () => {
  it('reports the copy in the earlier file, naming the later file and line', () => {
    const files = ['a.yaml', 'b.yaml'].map((name) => `${dir}/cross-file/${name}`);
    const load = (file: string) => loadText(fs.readFileSync(path.join(repoRoot, file), 'utf8'), file).manifests;
    const manifests = files.flatMap(load);
    const findings = lintManifests(manifests).findings.filter((f) => f.rule === 'duplicate-object');
    assert.deepEqual(
      findings.map(({ file, line, column, severity, message }) => ({ file, line, column, severity, message })),
      [
        {
          file: `${dir}/cross-file/a.yaml`,
          line: 4,
          column: 3,
          severity: 'error',
          message:
            `ConfigMap "settings" in namespace "default" is defined again at ${dir}/cross-file/b.yaml:4: applying ` +
            `both keeps only that later copy, so the settings of this one are silently lost; remove one copy or give ` +
            `it its own name`,
        },
      ],
    );
  });
});
