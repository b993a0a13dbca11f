/**
 * The fuzz watchdog: cases run in a worker thread with a 1 GB heap; a case that takes over 10 s is stopped
 * and reported, the worker restarted after it. Results are per case, so a failure names a reproducible case
 * (seed and index: `fuzzCase(seed, index, corpus)` gives its text).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface CaseFailure {
  readonly index: number;
  readonly problems: readonly string[];
}

export interface FuzzResult {
  readonly cases: number;
  readonly failures: CaseFailure[];
  readonly slowestMs: number;
  readonly peakRssMb: number;
}

export interface FuzzOptions {
  readonly seed: number;
  /** Cases [from, from + cases) of the seed: a long run can be sharded or resumed by range. */
  readonly from?: number;
  readonly cases: number;
  readonly corpus: string[];
  readonly timeoutMs?: number;
  readonly heapMb?: number;
  /** Called with the index after each finished case. */
  readonly onProgress?: (next: number) => void;
  /** Called as each failure is found, so a long run reports before it ends. */
  readonly onFailure?: (failure: CaseFailure) => void;
}

export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const failures: CaseFailure[] = [];
  const fail = (failure: CaseFailure): void => {
    failures.push(failure);
    options.onFailure?.(failure);
  };
  let slowestMs = 0;
  let peakRss = 0;
  const end = (options.from ?? 0) + options.cases;
  let next = options.from ?? 0;
  while (next < end) {
    next = await new Promise<number>((resolve) => {
      let current = next;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const worker = new Worker(path.join(__dirname, 'worker.js'), {
        workerData: { seed: options.seed, from: next, to: end, corpus: options.corpus },
        resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 1024 },
        stdout: true,
        stderr: true,
      });
      const finish = (resume: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve(resume);
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          fail({ index: current, problems: [`no result after ${timeoutMs / 1000} s (a hang?)`] });
          finish(current + 1);
        }, timeoutMs);
      };
      worker.on('message', (message: { type: string; index: number; problems?: string[]; ms?: number; rss?: number }) => {
        current = message.index;
        if (message.type === 'start') {
          arm();
          return;
        }
        slowestMs = Math.max(slowestMs, message.ms ?? 0);
        peakRss = Math.max(peakRss, message.rss ?? 0);
        if (message.problems && message.problems.length > 0) fail({ index: message.index, problems: message.problems });
        options.onProgress?.(message.index + 1);
        if (message.index + 1 >= end) finish(end);
      });
      worker.on('error', (error) => {
        fail({ index: current, problems: [`worker died: ${error.message}`] });
        finish(current + 1);
      });
      worker.on('exit', () => finish(current + 1));
    });
  }
  return { cases: options.cases, failures, slowestMs, peakRssMb: Math.round(peakRss / 1024 / 1024) };
}
