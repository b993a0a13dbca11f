#!/usr/bin/env node
/** The `cdk8s-stateful` executable: a thin wrapper around runCli. */
import { runCli } from './run-cli';

/** A reader that went away (`cdk8s-stateful lint . | head`) is not an error. */
function exitQuietlyOnEpipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

exitQuietlyOnEpipe(process.stdout);
exitQuietlyOnEpipe(process.stderr);

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
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
