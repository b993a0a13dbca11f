import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { CliIo, runCli } from '../../lib/cli/run-cli';
import { Progress } from '../../lib/cli/progress';

const repoRoot = path.resolve(__dirname, '../../..');
const clean = path.join(repoRoot, 'test/fixtures/load/cli/clean.yaml');

function io(overrides: Partial<CliIo> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    stdin: Readable.from([]),
    isTTY: false,
    env: {},
    ...overrides,
  };
}

describe('runCli in-process', () => {
  it('writes the whole report in one write', async () => {
    const streams = io();
    assert.equal(await runCli(['lint', clean], streams), 0);
    assert.deepEqual(streams.out, ['✔ no problems in 2 documents of 1 file\n']);
    assert.deepEqual(streams.err, []);
  });

  it('reads stdin from the io it is given', async () => {
    const streams = io({ stdin: Readable.from([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n')]) });
    assert.equal(await runCli(['lint', '-'], streams), 0);
    assert.deepEqual(streams.out, ['✔ no problems in 1 document of 1 file\n']);
  });

  it('turns an unexpected failure into one line and exit 2; the stack only with DEBUG=cdk8s-stateful', async () => {
    const failing = (env: NodeJS.ProcessEnv) => io({ env, stdout: { write: () => { throw new Error('disk full'); } } });
    const quiet = failing({});
    assert.equal(await runCli(['lint', clean], quiet), 2);
    assert.deepEqual(quiet.err, ['cdk8s-stateful: internal error: disk full\n']);
    const debug = failing({ DEBUG: 'cdk8s-stateful' });
    assert.equal(await runCli(['lint', clean], debug), 2);
    assert.match(debug.err.join(''), /^cdk8s-stateful: internal error: disk full\nError: disk full\n {4}at /);
  });
});

describe('Progress', () => {
  it('stays silent when stderr is not a terminal', () => {
    const written: string[] = [];
    const progress = new Progress({ write: (text: string) => written.push(text) }, false, 0);
    progress.update('reading file 1 of 2');
    progress.done();
    assert.deepEqual(written, []);
  });

  it('stays silent for a run shorter than the delay', () => {
    const written: string[] = [];
    const progress = new Progress({ write: (text: string) => written.push(text) }, true, 60_000);
    progress.update('reading file 1 of 2');
    progress.done();
    assert.deepEqual(written, []);
  });

  it('after the delay, rewrites one line and clears it at the end', () => {
    const written: string[] = [];
    const progress = new Progress({ write: (text: string) => written.push(text) }, true, 0);
    progress.update('reading file 1 of 2');
    progress.update('reading file 2 of 2');
    progress.done();
    assert.deepEqual(written, ['\r\x1b[Kreading file 1 of 2', '\r\x1b[Kreading file 2 of 2', '\r\x1b[K']);
  });
});
