#!/usr/bin/env node
/**
 * The `cdk8s-stateful` executable: a thin wrapper around runCli, which it takes from the bundle the build writes
 * (lib/cli/bundle.ts: a one-file lint starts in about half the time) or, after a plain `tsc` build, from the files.
 */
import { requireBundled } from './bundle';
import type * as RunCli from './run-cli';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { runCli } = (requireBundled('cli/run-cli.js') ?? require('./run-cli')) as typeof RunCli;

/** A reader that went away (`cdk8s-stateful lint . | head`) is not an error; other output failures exit 2. */
function handleOutputErrors(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream !== process.stderr) process.stderr.write(`cdk8s-stateful: cannot write to ${name}: ${error.message}\n`);
    process.exit(2);
  });
}

handleOutputErrors(process.stdout, 'stdout');
handleOutputErrors(process.stderr, 'stderr');

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  get stdin() {
    return process.stdin; // made on first use (lint and diff read it only for the path -): it costs ~10 ms
  },
  isTTY: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cdk8s-stateful: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
