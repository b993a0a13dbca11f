/**
 * The command line, testable in-process: `runCli(argv, io)` returns the exit code. Every failure ends as a
 * one-line message and exit 2; a stack trace is printed only with DEBUG=cdk8s-stateful.
 */
import { ConfigError } from '../lint/settings';
import { LintInputError } from '../lint/run';
import { runDiff } from './diff-command';
import { CliIo, EXIT_CANNOT_RUN, EXIT_OK, UsageError } from './io';
import { runLint } from './lint-command';
import { runRules } from './rules-command';
import { MAIN_USAGE } from './usage';
import { packageVersion } from './version';

export type { CliIo } from './io';

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'lint':
      return runLint(args, io);
    case 'rules':
      return runRules(args, io);
    case 'diff':
      return runDiff(args, io);
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(MAIN_USAGE);
      return EXIT_OK;
    case '-v':
    case '--version':
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT_OK;
    case undefined:
      io.stderr.write(MAIN_USAGE);
      return EXIT_CANNOT_RUN;
    default:
      throw new UsageError(`unknown command "${command}" (expected lint, diff or rules; see cdk8s-stateful --help)`);
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof LintInputError) {
      const lines = error.message.split('\n').map((line) => `cdk8s-stateful: ${line}\n`);
      io.stderr.write(lines.join(''));
      return EXIT_CANNOT_RUN;
    }
    const message = error instanceof Error ? error.message : String(error);
    const debug = /cdk8s-stateful/.test((io.env ?? process.env).DEBUG ?? '');
    const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
    io.stderr.write(`cdk8s-stateful: ${message.startsWith('internal error') ? '' : 'internal error: '}${message}${stack}\n`);
    return EXIT_CANNOT_RUN;
  }
}
