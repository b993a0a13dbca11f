/**
 * The CLI from its bundle (issue 13's cold start; lib/cli/bundle.ts, scripts/code-cache.ts): on a copy of build/lib
 * bundled by the build step, the executable compiles no module file but its loader, V8 takes the code caches, the
 * modules are registered under their own paths, and every command answers exactly as it does from the files. After
 * a plain `tsc` (compiled files newer than the bundle) the files run, and caches V8 rejects are ignored without a word.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { oneAppFile } from '../bench/corpus';

const repoRoot = path.resolve(__dirname, '../../..');
/** What Node still compiles from files: the loader (the validators run with their code caches). */
const FROM_FILES = ['cli/bundle.js', 'cli/main.js', 'core/code-cache.js'];
const scratch = fs.mkdtempSync(path.join(tmpdir(), 'cli-bundle-'));
const lib = path.join(scratch, 'lib');
const loader = path.join(lib, 'cli/bundle.js');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Records what Node compiled from files, which code caches V8 took or rejected, and what was loaded. */
const PRELOAD = `
const Module = require('node:module');
const vm = require('node:vm');
const compiled = [];
const caches = {};
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) { compiled.push(filename); return compile.call(this, content, filename); };
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    if (options && options.cachedData) caches[options.filename] = this.cachedDataRejected ? 'rejected' : 'accepted';
  }
};
process.on('exit', () => process.stderr.write('\\n@@' + JSON.stringify({ compiled, caches, loaded: Object.keys(require.cache) })));
`;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Paths relative to the copy of build/lib (others as they are). */
  readonly compiled: string[];
  readonly caches: Record<string, string>;
  readonly loaded: string[];
}

function cli(args: readonly string[]): Run {
  const result = spawnSync(process.execPath, ['-r', path.join(scratch, 'preload.js'), path.join(lib, 'cli/main.js'), ...args], {
    cwd: scratch,
    encoding: 'utf8',
  });
  const at = result.stderr.lastIndexOf('\n@@');
  const seen = JSON.parse(result.stderr.slice(at + 3)) as { compiled: string[]; caches: Record<string, string>; loaded: string[] };
  const relative = (file: string) => (file.startsWith(lib + path.sep) ? path.relative(lib, file).split(path.sep).join('/') : file);
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr.slice(0, at),
    compiled: seen.compiled.map(relative),
    caches: Object.fromEntries(Object.entries(seen.caches).map(([file, verdict]) => [relative(file), verdict])),
    loaded: seen.loaded.map(relative),
  };
}

/** Command lines covering every command, a report in each shape the tests read, and failures. */
const COMMANDS: readonly (readonly string[])[] = [
  ['lint', 'app.yaml', '--format', 'json'],
  ['lint', 'app.yaml'],
  ['lint', 'app.yaml', '--format', 'sarif'],
  ['lint', 'missing.yaml', '--format', 'sarif'],
  ['lint', 'app.yaml', '--rule', 'no-such-rule=off'],
  ['diff', 'app.yaml', 'scaled.yaml', '--format', 'json'],
  ['plan', 'app.yaml', 'scaled.yaml'],
  ['rules'],
  ['--version'],
  ['--help'],
  ['frobnicate'],
];

describe('the CLI run from its bundle', () => {
  before(() => {
    fs.cpSync(path.join(repoRoot, 'build/lib'), lib, { recursive: true });
    fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(scratch, 'package.json'));
    fs.symlinkSync(fs.realpathSync(path.join(repoRoot, 'node_modules')), path.join(scratch, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(scratch, 'preload.js'), PRELOAD);
    const app = oneAppFile();
    assert.match(app, /replicas: 3\n/);
    fs.writeFileSync(path.join(scratch, 'app.yaml'), app);
    fs.writeFileSync(path.join(scratch, 'scaled.yaml'), app.replace('replicas: 3\n', 'replicas: 5\n'));
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'build/scripts/code-cache.js'), lib], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });

  it('compiles no module file but the loader, with the code caches V8 takes, and registers the modules under their paths', () => {
    const run = cli(['lint', 'app.yaml', '--format', 'json']);
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    assert.ok(JSON.parse(run.stdout).summary.documents > 3, 'the file was linted');
    assert.deepEqual(run.compiled.filter((f) => !path.isAbsolute(f)).sort(), FROM_FILES);
    for (const module of ['cli/run-cli.js', 'cli/lint-command.js', 'lint/run.js', 'rules/index.js', 'load/fast-parse.js']) {
      assert.ok(run.loaded.includes(module), `${module} is not in require.cache`);
    }
    assert.equal(run.caches['cli/main.bundle.js'], 'accepted');
    const validators = Object.keys(run.caches).filter((f) => f.startsWith('schema/generated/validators/'));
    assert.ok(validators.includes('schema/generated/validators/workloads.js'), `validators with a cache: ${validators.join(', ')}`);
    assert.deepEqual(validators.filter((f) => run.caches[f] !== 'accepted'), []);
    assert.equal(run.caches['lint/generated/settings-validator.js'], 'accepted');
    assert.ok(!run.loaded.some((f) => f.endsWith('.json')), 'the generated JSON is read, not required');
  });

  it('answers every command exactly as the files do; after a plain tsc the files run', () => {
    const bundled = COMMANDS.map(cli);
    assert.equal(fs.readFileSync(loader, 'utf8'), fs.readFileSync(path.join(repoRoot, 'build/lib/cli/bundle.js'), 'utf8'), 'the loader is as tsc emits it');
    // In seconds, a millisecond before the bundle: a Date rounds the bundle's time to the nearest millisecond, up half
    // the time, which would leave the loader newer than the bundle.
    const bundleTime = (Math.floor(fs.statSync(path.join(lib, 'cli/main.bundle.js')).mtimeMs) - 1) / 1000;
    // What a plain tsc does: it writes every file it compiles again (the same text here), after the bundle.
    for (const file of fs.readdirSync(lib, { recursive: true, encoding: 'utf8' })) {
      const compiled = path.join(lib, file);
      if (file.endsWith('.js') && !file.endsWith('main.bundle.js') && !file.includes('generated')) fs.writeFileSync(compiled, fs.readFileSync(compiled));
    }
    try {
      const fromFiles = COMMANDS.map(cli);
      COMMANDS.forEach((command, i) => {
        const what = command.join(' ');
        assert.ok(bundled[i].compiled.every((f) => f !== 'cli/run-cli.js'), `${what}: the bundle ran`);
        assert.ok(fromFiles[i].compiled.includes('cli/run-cli.js'), `${what}: the files ran`);
        assert.equal(bundled[i].stdout, fromFiles[i].stdout, `${what}: stdout`);
        assert.equal(bundled[i].stderr, fromFiles[i].stderr, `${what}: stderr`);
        assert.equal(bundled[i].status, fromFiles[i].status, `${what}: exit code`);
      });
      assert.ok(bundled.some((r) => r.status === 2) && bundled.some((r) => r.status === 0), 'failures and successes compared');
    } finally {
      fs.utimesSync(loader, bundleTime, bundleTime);
    }
    assert.ok(cli(['--version']).compiled.every((f) => f !== 'cli/run-cli.js'), 'a loader no newer than the bundle runs it');
  });

  it('ignores code caches V8 rejects, without a word', () => {
    const expected = cli(['lint', 'app.yaml', '--format', 'json']);
    const garbage = Buffer.from('not a V8 code cache '.repeat(64));
    for (const cache of ['cli/main.bundle.js.cache', 'schema/generated/validators/workloads.js.cache']) {
      fs.writeFileSync(path.join(lib, cache), garbage);
    }
    const run = cli(['lint', 'app.yaml', '--format', 'json']);
    assert.equal(run.caches['cli/main.bundle.js'], 'rejected');
    assert.equal(run.caches['schema/generated/validators/workloads.js'], 'rejected');
    assert.deepEqual(run.compiled.filter((f) => !path.isAbsolute(f)).sort(), FROM_FILES);
    assert.equal(run.stdout, expected.stdout);
    assert.equal(run.stderr, expected.stderr);
    assert.equal(run.status, expected.status);
  });
});
