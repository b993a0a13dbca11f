/**
 * The CLI writes its reports straight to the descriptors (lib/cli/io.ts DescriptorOutput): a short run never makes
 * Node's stdout and stderr streams, and a report still arrives whole and in order when the descriptor is a
 * non-blocking pipe nobody reads for a while, when the reader goes away, or when the disk is full.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { DescriptorOutput, type WriteSync } from '../../lib/cli/io';

const repoRoot = path.resolve(__dirname, '../../..');
const main = path.join(repoRoot, 'build/lib/cli/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 'cli-output-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: write`), { code });
}

describe('DescriptorOutput', () => {
  it('writes until every byte is out, across partial writes', () => {
    const out: Buffer[] = [];
    const partial: WriteSync = (_fd, buffer, offset) => {
      const end = Math.min(buffer.length, offset + 3);
      out.push(Buffer.from(buffer.subarray(offset, end)));
      return end - offset;
    };
    new DescriptorOutput(1, partial, () => assert.fail('no stream needed'), (e) => assert.fail(e)).write('déjà vu → ok\n');
    assert.equal(Buffer.concat(out).toString(), 'déjà vu → ok\n');
  });

  it('hands the rest, and every later write, to the stream when the descriptor refuses a write (EAGAIN)', () => {
    const direct: Buffer[] = [];
    const streamed: Buffer[] = [];
    let calls = 0;
    const refusesSecond: WriteSync = (_fd, buffer, offset) => {
      if (++calls > 1) throw errno('EAGAIN');
      direct.push(Buffer.from(buffer.subarray(offset, offset + 4)));
      return 4;
    };
    let made = 0;
    const stream = { write: (chunk: string | Uint8Array) => streamed.push(Buffer.from(chunk)) };
    const output = new DescriptorOutput(1, refusesSecond, () => (made++, stream), (e) => assert.fail(e));
    output.write('abc→def'); // the cut after 4 bytes falls inside → (3 bytes)
    output.write('ghi\n');
    assert.equal(made, 1);
    assert.equal(calls, 2, 'no write to the descriptor after it refused one');
    assert.equal(Buffer.concat([...direct, ...streamed]).toString(), 'abc→defghi\n');
  });

  it('reports any other failure once, and writes nothing more of that text', () => {
    const failures: string[] = [];
    const output = new DescriptorOutput(1, () => { throw errno('EPIPE'); }, () => assert.fail('no stream'), (e) => failures.push(e.code!));
    output.write('report');
    assert.deepEqual(failures, ['EPIPE']);
  });
});

describe('the CLI on its descriptors', () => {
  /** 3,000 ConfigMaps with an invalid name each: a JSON report of ~1.9 MB. */
  const many = path.join(dir, 'many.yaml');
  writeFileSync(many, Array.from({ length: 3000 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name_${i}\n`).join(''));
  const expected = spawnSync(process.execPath, [main, 'lint', many, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });

  it('a one-file lint never makes Node\'s stdout or stderr stream', () => {
    const file = path.join(dir, 'one.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const preload = path.join(dir, 'list-builtins.js');
    writeFileSync(preload, `process.on('exit', () => require('fs').writeSync(2, JSON.stringify(process.moduleLoadList)));\n`);
    const run = spawnSync(process.execPath, ['-r', preload, main, 'lint', file, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).summary.documents, 1);
    const builtins = JSON.parse(run.stderr) as string[];
    // Node's stdio streams load these: a file's SyncWriteStream, a pipe's net.Socket, a terminal's tty.WriteStream.
    assert.deepEqual(builtins.filter((m) => /^NativeModule (internal\/fs\/sync_write_stream|net|tty)$/.test(m)), []);
  });

  it('a report larger than the pipe arrives whole when the pipe is non-blocking and read late', async () => {
    assert.equal(expected.status, 1, expected.stderr);
    // The preload opens fd 1 as Node's pipe socket, which makes the descriptor non-blocking (as a parent sharing it could).
    const preload = path.join(dir, 'non-blocking.js');
    writeFileSync(preload, `new (require('net').Socket)({ fd: 1, readable: false, writable: true });\n`);
    const child = spawn(process.execPath, ['-r', preload, main, 'lint', many, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the child fills the pipe meanwhile
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.stdout.resume();
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(Buffer.concat(errors).toString(), '');
    assert.equal(status, 1);
    assert.ok(expected.stdout.length > 1_000_000);
    assert.equal(Buffer.concat(chunks).toString(), expected.stdout);
  });

  it('a reader that goes away early is not an error; a full disk is, with exit 2', () => {
    const head = spawnSync('sh', ['-c', `"${process.execPath}" "${main}" lint "${many}" --format json | head -c 10`], { encoding: 'utf8' });
    assert.equal(head.stdout, '{\n  "findi');
    assert.equal(head.stderr, '', 'no message about the pipe');
    const full = spawnSync(process.execPath, [main, 'lint', many, '--format', 'json'], { stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'], encoding: 'utf8' });
    assert.equal(full.status, 2);
    assert.match(full.stderr, /^cdk8s-stateful: cannot write to stdout: ENOSPC/);
  });
});
