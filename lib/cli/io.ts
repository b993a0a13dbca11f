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
  /** False when stderr is known not to be a terminal without asking `isTTY` (which may be costly). @default true */
  readonly stderrMayBeTTY?: boolean;
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

/** Node's stream for a descriptor (process.stdout), as DescriptorOutput falls back to it. */
export interface ByteOutput {
  write(chunk: string | Uint8Array): unknown;
}

/** How DescriptorOutput writes: fs.writeSync's signature, replaceable in tests. */
export type WriteSync = (fd: number, buffer: Uint8Array, offset: number) => number;

/**
 * stdout or stderr written straight to its file descriptor, as Node's own stream does for files. Node's stream
 * objects cost a cold start 2.5–3.4 ms (a file) to 6.3–6.6 ms (a pipe: `net` loads): the first `process.stdout`,
 * fastest of 7 runs, Node 20.20 on 2 shared cores (issue 13). The CLI writes each report in one piece. A descriptor another process left non-blocking refuses a write to a full pipe (EAGAIN):
 * the rest, and every later write, then goes to Node's stream (`stream()`), which waits for the reader.
 * Other failures go to `failed` (the reader went away: EPIPE).
 */
export class DescriptorOutput implements CliOutput {
  private stream: ByteOutput | undefined;

  constructor(
    private readonly fd: number,
    private readonly writeSync: WriteSync,
    private readonly streamOf: () => ByteOutput,
    private readonly failed: (error: NodeJS.ErrnoException) => void,
  ) {}

  write(text: string): void {
    if (this.stream !== undefined) {
      this.stream.write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) written += this.writeSync(this.fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
        this.failed(error as NodeJS.ErrnoException);
        return;
      }
      this.stream = this.streamOf();
      this.stream.write(bytes.subarray(written)); // bytes: `written` may end inside a character
    }
  }
}
