/**
 * The command line, testable in-process: `runCli(argv, io)` returns the exit code. Every failure ends as a
 * one-line message and exit 2; a stack trace is printed only with DEBUG=cdk8s-stateful.
 */
import { CliIo, EXIT_CANNOT_RUN, EXIT_OK, UsageError } from './io';
import { MAIN_USAGE } from './usage';
import { packageVersion } from './version';

export type { CliIo } from './io';

/* eslint-disable @typescript-eslint/no-var-requires */
// Each command loads its own modules when it runs: `lint` on one file never loads the diff engine.
async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'lint':
      return (require('./lint-command') as typeof import('./lint-command')).runLint(args, io);
    case 'rules':
      return (require('./rules-command') as typeof import('./rules-command')).runRules(args, io);
    case 'diff':
      return (require('./diff-command') as typeof import('./diff-command')).runDiff(args, io);
    case 'plan':
      return (require('./plan-command') as typeof import('./plan-command')).runPlan(args, io);
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
      throw new UsageError(`unknown command "${command}" (expected lint, diff, plan or rules; see cdk8s-stateful --help)`);
  }
}

/** The last `--format`/`-f` value of a lint or diff command line, read without parsing it (it may not parse). */
function requestedFormat(args: readonly string[]): string | undefined {
  let format: string | undefined;
  args.forEach((arg, i) => {
    if (arg === '--format' || arg === '-f') format = args[i + 1];
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (/^-f[^-]/.test(arg)) format = arg.slice(2);
  });
  return format;
}

/**
 * Whether `error` is an instance of the class `name` that `module` exports. Only a run that loaded the module can
 * throw one, so it is required only then: `--version` and `--help` load neither the engines nor the rules.
 */
function isErrorOf(error: unknown, name: string, module: () => Record<string, unknown>): error is Error {
  return error instanceof Error && error.name === name && error instanceof (module()[name] as new () => Error);
}

/** Why the tool could not do its job, as one or more lines. */
function failureMessage(error: unknown, command: string | undefined): string {
  if (isErrorOf(error, 'DiffInputError', () => require('../diff'))) return error.message.split('\n').map((line) => `${command}: ${line}`).join('\n');
  if (error instanceof UsageError || isErrorOf(error, 'ConfigError', () => require('../lint/settings')) ||
    isErrorOf(error, 'LintInputError', () => require('../lint/run'))) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `${message.startsWith('internal error') ? '' : 'internal error: '}${message}`;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const message = failureMessage(error, argv[0]);
    const debug = /cdk8s-stateful/.test((io.env ?? process.env).DEBUG ?? '');
    const stack = debug && error instanceof Error && error.stack ? `${error.stack}\n` : '';
    io.stderr.write(message.split('\n').map((line) => `cdk8s-stateful: ${line}\n`).join('') + stack);
    const [command, ...args] = argv;
    if ((command === 'lint' || command === 'diff') && requestedFormat(args) === 'sarif') {
      // Code scanning uploads run even when this step fails: give them a valid log that says the run failed.
      const { catalogueOf } = require('../core/rule') as typeof import('../core/rule');
      const { registry } = require('../rules') as typeof import('../rules');
      const { formatSarifFailure } = require('../report/sarif') as typeof import('../report/sarif');
      io.stdout.write(formatSarifFailure(message, { rules: catalogueOf(registry, command), toolVersion: packageVersion() }));
    }
    return EXIT_CANNOT_RUN;
  }
}
