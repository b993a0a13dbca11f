/**
 * RuleTester-style tables: every YAML file in test/fixtures/rules/<rule>/valid must produce no finding of the rule;
 * every file in .../invalid must produce exactly the findings its header announces, one comment line each:
 *
 *   # expect: <line>:<column> <rule> <severity> <message>
 *
 * and a fixture may state what is known about the cluster, as the CLI flags would:
 *
 *   # lint: --default-storage-class=none --complete
 *
 * Files go through the real engine (loadText + lintManifests), so positions and suppression are the engine's.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadText } from '../../lib/load/load';
import { lintManifests } from '../../lib/api';
import type { LintOptions } from '../../lib/api';
import type { Finding } from '../../lib/core/types';

export const repoRoot = path.resolve(__dirname, '../../..');
const fixturesRoot = path.join(repoRoot, 'test', 'fixtures', 'rules');

/** What a test compares: the parts of a finding a fixture header spells out. */
export interface ExpectedFinding {
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
}

const EXPECT = /^# expect: (\d+):(\d+) (\S+) (error|warning) (.+)$/;

export function parseExpectations(text: string): ExpectedFinding[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('# expect:'))
    .map((line) => {
      const match = EXPECT.exec(line);
      if (match === null) throw new Error(`malformed expectation: ${line}`);
      const [, lineNo, column, rule, severity, message] = match;
      return { line: Number(lineNo), column: Number(column), rule, severity, message };
    });
}

/** The options a fixture's `# lint:` header sets (`--default-storage-class=X|none`, `--provisioning-class=X`, `--complete`). */
export function fixtureOptions(text: string): LintOptions {
  const flags = text
    .split('\n')
    .filter((line) => line.startsWith('# lint:'))
    .flatMap((line) => line.slice('# lint:'.length).trim().split(/\s+/));
  const options: { -readonly [K in keyof LintOptions]: LintOptions[K] } = {};
  for (const flag of flags) {
    const [name, value] = flag.split('=');
    if (name === '--complete') options.complete = true;
    else if (name === '--default-storage-class') {
      options.cluster = { ...options.cluster, defaultStorageClass: value === 'none' ? null : value };
    } else if (name === '--provisioning-class') {
      options.cluster = { ...options.cluster, provisioningClasses: [...(options.cluster?.provisioningClasses ?? []), value] };
    } else throw new Error(`unknown fixture flag ${flag}`);
  }
  return options;
}

/** Lint one file's text as a set on its own, through the engine (with the options of its `# lint:` header). */
export function lintText(text: string, file: string): readonly Finding[] {
  return lintManifests(loadText(text, file).manifests, fixtureOptions(text)).findings;
}

/** Lint several files together, as the CLI lints a directory. */
export function lintFiles(files: readonly string[]): readonly Finding[] {
  const manifests = files.flatMap((file) => loadText(fs.readFileSync(file, 'utf8'), file).manifests);
  return lintManifests(manifests).findings;
}

function brief(finding: Finding): ExpectedFinding {
  const { line, column, rule, severity, message } = finding;
  return { line, column, rule, severity, message };
}

function byPosition(a: ExpectedFinding, b: ExpectedFinding): number {
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);
}

function yamlFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort() : [];
}

/**
 * The table of one rule: valid fixtures produce none of its findings; invalid ones produce exactly their header's
 * findings of the rule (and of any other rule a header names).
 */
export function ruleTable(ruleId: string): void {
  const dir = path.join(fixturesRoot, ruleId);
  describe(`${ruleId} fixtures`, () => {
    it('has at least one valid and one invalid fixture', () => {
      assert.ok(yamlFiles(path.join(dir, 'valid')).length > 0, `no fixtures in ${dir}/valid`);
      assert.ok(yamlFiles(path.join(dir, 'invalid')).length > 0, `no fixtures in ${dir}/invalid`);
    });
    for (const name of yamlFiles(path.join(dir, 'valid'))) {
      it(`valid: ${name}`, () => {
        const file = path.join(dir, 'valid', name);
        const findings = lintText(fs.readFileSync(file, 'utf8'), file).filter((f) => f.rule === ruleId);
        assert.deepEqual(findings.map(brief), []);
      });
    }
    for (const name of yamlFiles(path.join(dir, 'invalid'))) {
      it(`invalid: ${name}`, () => {
        const file = path.join(dir, 'invalid', name);
        const text = fs.readFileSync(file, 'utf8');
        const expected = parseExpectations(text);
        assert.ok(
          expected.some((e) => e.rule === ruleId),
          `${name} announces no ${ruleId} finding (# expect: line:col ${ruleId} severity message)`,
        );
        const rules = new Set(expected.map((e) => e.rule));
        const actual = lintText(text, file).filter((f) => rules.has(f.rule)).map(brief);
        assert.deepEqual([...actual].sort(byPosition), [...expected].sort(byPosition));
      });
    }
  });
}
