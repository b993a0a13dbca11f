import type { LintReport } from '../core/types';

/** What the CLI talks to, so tests can run it in-process. */
export interface CliOutput {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: NodeJS.ReadableStream;
  /** Whether stderr is a terminal (progress lines are shown only then). */
  readonly isTTY: boolean;
  /** Environment (DEBUG=cdk8s-stateful prints stack traces of internal errors). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_CANNOT_RUN = 2;

/** 1 on errors, or on more warnings than `--max-warnings` allows, or on any warning with `failOnWarnings`; else 0. */
export function exitCode(report: LintReport, io: CliIo, maxWarnings: number | undefined, failOnWarnings = false): number {
  const { errors, warnings } = report.summary;
  if (errors > 0) return EXIT_PROBLEMS;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    io.stderr.write(`cdk8s-stateful: too many warnings (${warnings}, more than --max-warnings ${maxWarnings})\n`);
    return EXIT_PROBLEMS;
  }
  if (maxWarnings === undefined && failOnWarnings && warnings > 0) {
    io.stderr.write(`cdk8s-stateful: ${warnings} warning${warnings === 1 ? '' : 's'}, and failOnWarnings is set\n`);
    return EXIT_PROBLEMS;
  }
  return EXIT_OK;
}
