/**
 * A large lint raises V8's tier-up budget and narrows its inlining once, before it reads (lib/cli/large-run.ts); a
 * small one leaves V8's flags alone, so that it keeps its code caches (test/cli/bundle.test.ts checks that they are
 * taken).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { LARGE_RUN_BYTES, MEASURED_ON_THIS_V8 } from '../../lib/cli/large-run';
import { generateCorpus, oneAppFile } from '../bench/corpus';

const main = path.resolve(__dirname, '../../lib/cli/main.js');
const scratch = fs.mkdtempSync(path.join(tmpdir(), 'large-run-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Records every V8 flag the run sets, and prints them last on stderr. */
const PRELOAD = `
const v8 = require('node:v8');
const set = v8.setFlagsFromString;
const flags = [];
v8.setFlagsFromString = (text) => { flags.push(text); return set(text); };
process.on('exit', () => process.stderr.write('\\n@@' + JSON.stringify(flags)));
`;
fs.writeFileSync(path.join(scratch, 'preload.js'), PRELOAD);

function flagsSet(args: readonly string[]): string[] {
  const run = spawnSync(process.execPath, ['-r', path.join(scratch, 'preload.js'), main, ...args, '--format', 'json'], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  assert.ok(JSON.parse(run.stdout).summary, 'a report was written');
  return JSON.parse(run.stderr.slice(run.stderr.lastIndexOf('\n@@') + 3)) as string[];
}

describe('V8 tuning for large runs', () => {
  const app = path.join(scratch, 'app.yaml');
  fs.writeFileSync(app, oneAppFile());
  const large = path.join(scratch, 'large');

  it('a one-file lint or diff sets no V8 flag', () => {
    assert.deepEqual(flagsSet(['lint', app]), []);
    assert.deepEqual(flagsSet(['diff', app, app]), []);
  });

  it(`a lint or diff of ${LARGE_RUN_BYTES / 1024 / 1024} MiB or more raises the interrupt budget and narrows inlining once`, () => {
    const corpus = generateCorpus({ dir: large, documents: 2_600, files: 40, seed: 7, brokenShare: 0.2 });
    assert.ok(corpus.bytes >= LARGE_RUN_BYTES, `the corpus holds ${corpus.bytes} bytes`);
    for (const args of [['lint', large], ['diff', large, large]]) {
      const flags = flagsSet(args);
      if (!MEASURED_ON_THIS_V8) {
        assert.deepEqual(flags, [], 'a V8 the budget was not measured on is left alone');
        continue;
      }
      assert.equal(flags.length, 1, `${args[0]}: ${flags.join(' ')}`);
      assert.match(flags[0], /^--interrupt-budget=\d{6,} --max-inlined-bytecode-size=\d+ --max-inlined-bytecode-size-cumulative=\d+$/);
      // V8 stops at a flag it does not know and drops the rest; as command-line options, node refuses it outright.
      const known = spawnSync(process.execPath, [...flags[0].split(' '), '-e', ''], { encoding: 'utf8' });
      assert.deepEqual([known.status, known.stderr], [0, ''], `node ${flags[0]}`);
    }
  });

  it('a diff of two revisions that are large only together raises it once', () => {
    const half = path.join(scratch, 'half');
    const corpus = generateCorpus({ dir: half, documents: 1_700, files: 20, seed: 8, brokenShare: 0.2 });
    assert.ok(corpus.bytes < LARGE_RUN_BYTES && 2 * corpus.bytes >= LARGE_RUN_BYTES, `each revision holds ${corpus.bytes} bytes`);
    assert.deepEqual(flagsSet(['lint', half]), [], 'one revision alone is not large');
    assert.equal(flagsSet(['diff', half, half]).length, MEASURED_ON_THIS_V8 ? 1 : 0);
  });
});
