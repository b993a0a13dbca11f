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

describe('issue 10: exit 2 with --format sarif, stdin', () => {
  const stdin = (text: string) => Readable.from([Buffer.from(text)]);

  it('exit 2 still writes a valid SARIF log: executionSuccessful false and the reason as a notification', async () => {
    for (const argv of [
      ['lint', '--format', 'sarif', 'no/such/file.yaml'],
      ['lint', '-f', 'sarif', '--rule', 'nope=off', clean],
      ['diff', '--format=sarif', 'no/such/old.yaml', clean],
    ]) {
      const streams = io();
      assert.equal(await runCli(argv, streams), 2, argv.join(' '));
      const sarif = JSON.parse(streams.out.join(''));
      assert.equal(sarif.version, '2.1.0');
      const [run] = sarif.runs;
      assert.deepEqual(run.results, []);
      assert.equal(run.invocations[0].executionSuccessful, false);
      const [notification] = run.invocations[0].toolExecutionNotifications;
      assert.equal(notification.level, 'error');
      assert.equal(`cdk8s-stateful: ${notification.message.text}\n`, streams.err.join(''));
      assert.ok(run.tool.driver.rules.length > 0, 'the driver still describes the rules');
    }
    const text = io();
    assert.equal(await runCli(['lint', 'no/such/file.yaml'], text), 2);
    assert.deepEqual(text.out, [], 'other formats write nothing to stdout on exit 2');
  });

  it('a successful SARIF run says so', async () => {
    const streams = io();
    assert.equal(await runCli(['lint', '--format', 'sarif', clean], streams), 0);
    assert.deepEqual(JSON.parse(streams.out.join('')).runs[0].invocations, [{ executionSuccessful: true }]);
  });

  it('zero documents on stdin is an error (exit 2), for lint and diff', async () => {
    const lint = io({ stdin: stdin('') });
    assert.equal(await runCli(['lint', '-'], lint), 2);
    assert.deepEqual(lint.err, ['cdk8s-stateful: <stdin>: no YAML documents on stdin: did the command that pipes into cdk8s-stateful fail?\n']);
    const diff = io({ stdin: stdin('# helm said nothing\n') });
    assert.equal(await runCli(['diff', clean, '-'], diff), 2);
    assert.match(diff.err.join(''), /^cdk8s-stateful: diff: <stdin>: no YAML documents on stdin/);
  });

  it('--stdin-filename names stdin in findings, for lint and diff', async () => {
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\nbogus: 1\n';
    const lint = io({ stdin: stdin(broken) });
    assert.equal(await runCli(['lint', '--stdin-filename', 'chart/templates/cm.yaml', '-'], lint), 1);
    assert.match(lint.out.join(''), /^chart\/templates\/cm\.yaml:5:1  error  /);
    const diff = io({ stdin: stdin('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  clusterIP: None\n') });
    const old = path.join(repoRoot, 'test/fixtures/diff/headless-to-clusterip/new.yaml');
    await runCli(['diff', '--stdin-filename', 'rendered.yaml', '--format', 'json', old, '-'], diff);
    const report = JSON.parse(diff.out.join(''));
    assert.ok(report.objects.some((o: { file: string }) => o.file === 'rendered.yaml'), diff.out.join(''));
    assert.equal((await runCli(['lint', '--stdin-filename', '', '-'], io())), 2);
  });
});

describe('Progress', () => {
  it('stays silent when stderr is not a terminal', () => {
    const written: string[] = [];
    const progress = new Progress({ write: (text: string) => written.push(text) }, () => false, 0);
    progress.update('reading file 1 of 2');
    progress.done();
    assert.deepEqual(written, []);
  });

  it('stays silent for a run shorter than the delay', () => {
    const written: string[] = [];
    let asked = false;
    const progress = new Progress({ write: (text: string) => written.push(text) }, () => (asked = true), 60_000);
    progress.update('reading file 1 of 2');
    progress.done();
    assert.deepEqual(written, []);
    assert.equal(asked, false, 'a short run never asks whether stderr is a terminal (that would make Node create its stream)');
  });

  it('when stderr cannot be a terminal, never asks whether it is one, even after the delay', async () => {
    const written: string[] = [];
    let asked = false;
    const progress = new Progress({ write: (text: string) => written.push(text) }, () => (asked = true), 0, false);
    progress.update('reading file 1 of 2');
    await new Promise((resolve) => setTimeout(resolve, 20));
    progress.update('reading file 2 of 2');
    progress.done();
    assert.deepEqual(written, []);
    assert.equal(asked, false);
  });

  it('after the delay, rewrites one line and clears it at the end', () => {
    const written: string[] = [];
    const progress = new Progress({ write: (text: string) => written.push(text) }, () => true, 0);
    progress.update('reading file 1 of 2');
    progress.update('reading file 2 of 2');
    progress.done();
    assert.deepEqual(written, ['\r\x1b[Kreading file 1 of 2', '\r\x1b[Kreading file 2 of 2', '\r\x1b[K']);
  });
});
