/**
 * What a one-file lint loads (issue 13's cold start): only what the run needs. A file the fast first pass reads
 * loads neither the `yaml` package nor the diff engine; a file only the `yaml` path reads loads `yaml`, and gets
 * the same report as ever.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { oneAppFile } from '../bench/corpus';

const repoRoot = path.resolve(__dirname, '../../..');
const main = path.join(repoRoot, 'build/lib/cli/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 'cold-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI and lists, after it exits, the modules it loaded (relative to the repository). */
function loadedModules(args: string[]): { status: number | null; stdout: string; modules: string[] } {
  const preload = path.join(dir, 'list-modules.js');
  writeFileSync(preload, `process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));\n`);
  const result = spawnSync(process.execPath, ['-r', preload, main, ...args], { cwd: repoRoot, encoding: 'utf8' });
  const modules = (JSON.parse(result.stderr.slice(result.stderr.lastIndexOf('["'))) as string[]).map((m) => path.relative(repoRoot, m));
  return { status: result.status, stdout: result.stdout, modules };
}

const yamlPackage = (m: string) => /node_modules[/\\]yaml[/\\]/.test(m);

describe('cold start: what one lint run loads', () => {
  it('a plain manifest loads neither the yaml package nor the diff engine', () => {
    const file = path.join(dir, 'app.yaml');
    writeFileSync(file, oneAppFile());
    const run = loadedModules(['lint', file, '--format', 'json']);
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}`);
    assert.ok(JSON.parse(run.stdout).summary.documents > 3, 'the file was linted');
    assert.deepEqual(run.modules.filter(yamlPackage), []);
    assert.deepEqual(run.modules.filter((m) => /lib[/\\](diff[/\\](index|revisions)|cli[/\\]diff-command)\.js$/.test(m)), []);
    const formatters = run.modules.filter((m) => /lib[/\\]report[/\\](json|text|sarif|junit|github)\.js$/.test(m));
    assert.deepEqual(formatters.map((m) => path.basename(m)), ['json.js'], 'only the formatter of the format asked for');
  });

  it('arms no timer when stderr is a pipe (a progress line could never show)', () => {
    const file = path.join(dir, 'app.yaml');
    writeFileSync(file, oneAppFile());
    const preload = path.join(dir, 'count-timers.js');
    writeFileSync(preload, `let n = 0; const set = globalThis.setTimeout; globalThis.setTimeout = (...a) => (n++, set(...a));\n` +
      `process.on('exit', () => require('fs').writeSync(2, 'timers: ' + n));\n`);
    const run = spawnSync(process.execPath, ['-r', preload, main, 'lint', file, '--format', 'json'], { cwd: repoRoot, encoding: 'utf8' });
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    assert.equal(run.stderr, 'timers: 0');
  });

  it('a file with an anchor goes the yaml path, loading yaml on use', () => {
    const file = path.join(dir, 'anchors.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: &v one\n  y: *v\n');
    const run = loadedModules(['lint', file, '--format', 'json']);
    assert.equal(run.status, 0, run.stdout);
    assert.ok(run.modules.some(yamlPackage), 'yaml was loaded');
  });
});
