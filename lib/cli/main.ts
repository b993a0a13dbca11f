#!/usr/bin/env node
/**
 * The `cdk8s-stateful` executable: a thin wrapper around runCli, which it takes from the bundle the build writes
 * (lib/cli/bundle.ts: a one-file lint starts in about half the time) or, after a plain `tsc` build, from the files.
 */
import { fstatSync, writeSync } from 'node:fs';
import { requireBundled } from './bundle';
import type * as RunCli from './run-cli';
import type { DescriptorOutput as Output } from './io';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { runCli } = (requireBundled('cli/run-cli.js') ?? require('./run-cli')) as typeof RunCli;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { DescriptorOutput } = (requireBundled('cli/io.js') ?? require('./io')) as typeof import('./io');

/** Whether descriptor `fd` is a character device (false when it is not open). */
function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

/** A reader that went away (`cdk8s-stateful lint . | head`) is not an error; other output failures exit 2. */
function outputFailed(name: string) {
  return (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (name !== 'stderr') stderr.write(`cdk8s-stateful: cannot write to ${name}: ${error.message}\n`);
    process.exit(2);
  };
}

/** Node's stream for `name`, made only when a descriptor write cannot go on without it (DescriptorOutput). */
function nodeStream(name: 'stdout' | 'stderr'): () => NodeJS.WriteStream {
  return () => {
    const stream = process[name];
    stream.on('error', outputFailed(name));
    return stream;
  };
}

const stdout: Output = new DescriptorOutput(1, writeSync, nodeStream('stdout'), outputFailed('stdout'));
const stderr: Output = new DescriptorOutput(2, writeSync, nodeStream('stderr'), outputFailed('stderr'));

runCli(process.argv.slice(2), {
  stdout,
  stderr,
  get stdin() {
    return process.stdin; // made on first use (lint and diff read it only for the path -): it costs 6–7 ms (as io.ts)
  },
  get isTTY() {
    return process.stderr.isTTY === true; // asked only when a progress line is due (lib/cli/progress.ts)
  },
  get stderrMayBeTTY() {
    return isCharacterDevice(2); // a terminal is one; a pipe or a file is not, and Node's stream need not be made to know
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    stderr.write(`cdk8s-stateful: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
