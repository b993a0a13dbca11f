/**
 * Both cores on large runs: file texts go to worker threads that run the fast first pass (parse-worker.ts), and
 * the results come back in input order, so a run with workers loads exactly what a single-threaded run loads.
 * Files the fast pass cannot read are loaded on the main thread through the `yaml` path, as they would be anyway.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { FastFile } from './fast-parse';
import type { LoadTextOptions } from './load';

export interface ParseRequest {
  readonly id: number;
  readonly text: string;
  readonly options: LoadTextOptions;
}

export type ParseReply = { readonly id: number; readonly fast: FastFile } | { readonly id: number; readonly fallback: true };

/** Below this much YAML, starting threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
/** Texts handed to the workers and not yet answered, at most (memory stays bounded however many files there are). */
const MAX_IN_FLIGHT = 64;

/** How many workers a run of `bytes` of YAML in `files` files gets: `jobs` if given, else one per core on large runs. */
export function workerCount(jobs: number | undefined, files: number, bytes: number): number {
  if (jobs !== undefined) return jobs <= 1 ? 0 : Math.min(jobs, files);
  if (bytes < PARALLEL_MIN_BYTES || files < 2) return 0;
  return Math.min(availableParallelism(), files);
}

export class ParsePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (fast: FastFile | undefined) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(size: number) {
    // Loaded here, not with the module: node:worker_threads costs a one-file run ~10 ms, and it never starts a thread.
    const { Worker: WorkerThread } = require('node:worker_threads') as typeof import('node:worker_threads');
    this.workers = Array.from({ length: size }, () => {
      const worker = new WorkerThread(path.join(__dirname, 'parse-worker.js'));
      worker.on('message', (reply: ParseReply) => {
        const waiter = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        waiter?.resolve('fast' in reply ? reply.fast : undefined);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`a loader thread stopped (exit code ${code})`));
      });
      return worker;
    });
  }

  /** Whether another text may be sent before an earlier one is answered. */
  get full(): boolean {
    return this.waiting.size >= MAX_IN_FLIGHT;
  }

  /** The fast pass's reading of `text`, or undefined when the `yaml` path must load it. */
  parse(text: string, options: LoadTextOptions): Promise<FastFile | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage({ id, text, options } satisfies ParseRequest);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
