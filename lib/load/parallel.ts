/**
 * Both cores on large runs: file texts go to worker threads that run the fast first pass (parse-worker.ts) and the
 * caller's per-document check (lint's schema pass), and the results come back in input order, so a run with
 * workers loads exactly what a single-threaded run loads. Files the fast pass cannot read are loaded on the main
 * thread through the `yaml` path, as they would be anyway (and checked there by the caller).
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { DocumentRegion, FastDocument, FastFile } from './fast-parse';
import type { LoadTextOptions } from './load';

export interface ParseRequest {
  readonly id: number;
  readonly text: string;
  readonly options: LoadTextOptions;
}

/**
 * Work on one document that needs no other document, done on the threads that parse it: `module` (an absolute
 * path) exports `checkDocument(object, options)`, whose result must survive structured cloning. The caller names
 * the module, so the loader depends on nothing it checks; the result is the caller's to read (LoadResult.checks).
 */
export interface DocumentCheck {
  readonly module: string;
  readonly options: unknown;
}

/** The function a DocumentCheck names. */
export type CheckDocument = (object: unknown) => unknown;

export function loadCheck(check: DocumentCheck): CheckDocument {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { checkDocument } = require(check.module) as { checkDocument: (object: unknown, options: unknown) => unknown };
  return (object) => checkDocument(object, check.options);
}

export interface WorkerData {
  readonly check?: DocumentCheck;
}

/**
 * A file a thread read, as it crosses to the main thread. The documents' values travel as one JSON text when that
 * is exact (JSON.parse rebuilds them about twice as fast as structured cloning does), and line starts as an
 * Int32Array (copied as bytes).
 */
interface SentFile {
  readonly documents: ReadonlyArray<Omit<FastDocument, 'object'> & { readonly object?: Record<string, unknown> }>;
  /** The documents' values as a JSON array, when the values are not in `documents`. */
  readonly objects?: string;
  readonly fallbacks: readonly DocumentRegion[];
  readonly lineStarts: Int32Array;
  readonly checks?: readonly unknown[];
}

export type ParseReply = { readonly id: number; readonly file: SentFile } | { readonly id: number; readonly fallback: true };

/** A file a thread read: the fast pass's reading, and the check's result for each of its documents. */
export interface ParsedFile {
  readonly documents: readonly FastDocument[];
  /** Documents only the `yaml` path reads: the main thread reads them. */
  readonly fallbacks: readonly DocumentRegion[];
  readonly lineStarts: ArrayLike<number>;
  readonly checks?: readonly unknown[];
}

/** The reply of a thread that read `fast` and checked its documents (`checks`). */
export function parseReply(id: number, fast: FastFile, checks: readonly unknown[] | undefined): ParseReply {
  const { fallbacks, lineStarts } = fast;
  const kept = ({ object, ...doc }: FastDocument) => doc;
  // JSON writes -0 as 0; only a float token (`-0.0`) can make a -0, and then the values are cloned as they are.
  const negativeToken = fast.documents.some((doc) => doc.tokens.some(([, token]) => token.startsWith('-')));
  if (negativeToken) return { id, file: { documents: fast.documents, fallbacks, lineStarts, checks } };
  const objects = JSON.stringify(fast.documents.map((doc) => doc.object));
  return { id, file: { documents: fast.documents.map(kept), objects, fallbacks, lineStarts, checks } };
}

function receivedFile(file: SentFile): ParsedFile {
  const objects = file.objects === undefined ? undefined : (JSON.parse(file.objects) as Record<string, unknown>[]);
  const documents = file.documents.map((doc, i) => ({ ...doc, object: objects?.[i] ?? doc.object! }));
  return { documents, fallbacks: file.fallbacks, lineStarts: file.lineStarts, checks: file.checks };
}

/** Below this much YAML, starting threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
/** Texts handed to the workers and not yet answered, at most (memory stays bounded however many files there are). */
const MAX_IN_FLIGHT = 64;

/**
 * Cores a large run leaves to the main thread and to V8's own threads (TurboFan, concurrent marking, parallel
 * scavenges), which take from a quarter to over a third of the main thread's CPU beside it (`perf`, 10k documents, 2
 * cores: 0.9 s beside 2.4 s on the slower machine below, 0.33 s beside 1.03 s on the faster). On 2 cores a worker
 * thread shares a core already busy, and no size has shown it worth its CPU: on the machine of the first
 * measurements, medians of 4 to 8 interleaved runs of the bench's realistic corpora, one worker against
 * none, CPU and wall time: 10k (18 MB) 4.4 s and 2.67 s against 3.4 s and 2.57 s; 35k (63 MB) 11.3 s and 6.71 s
 * against 8.7 s and 6.72 s; 50k (90 MB) 14.5 s and 8.92 s against 12.8 s and 9.95 s (10% less wall time for 13%
 * more CPU). On a faster 2-core machine the wall time came out between 7% less and 13% more at 90 MB over five
 * interleaved series, always for 15 to 46% more CPU, and 2% less for 28% more at 180 MB; on a third, 11% and 4%
 * more wall time for 42% and 31% more CPU at 10k and 50k (the bench's medians). Not measured on more cores.
 */
const CORES_KEPT = 2;

/**
 * How many worker threads a run of `bytes` of YAML in `files` files gets besides the main thread (which reads the
 * files and, once all are loaded, runs the cross-resource rules): `jobs - 1` if `jobs` is given, else on large
 * runs one per core beyond CORES_KEPT.
 */
export function workerCount(jobs: number | undefined, files: number, bytes: number, cores = availableParallelism()): number {
  if (jobs !== undefined) return Math.min(Math.max(jobs - 1, 0), files);
  if (bytes < PARALLEL_MIN_BYTES || files < 2 || cores <= CORES_KEPT) return 0;
  return Math.min(cores - CORES_KEPT, files);
}

export class ParsePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (parsed: ParsedFile | undefined) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(size: number, check?: DocumentCheck) {
    // Loaded here, not with the module: node:worker_threads costs a one-file run ~10 ms, and it never starts a thread.
    const { Worker: WorkerThread } = require('node:worker_threads') as typeof import('node:worker_threads');
    this.workers = Array.from({ length: size }, () => {
      const worker = new WorkerThread(path.join(__dirname, 'parse-worker.js'), { workerData: { check } satisfies WorkerData });
      worker.on('message', (reply: ParseReply) => {
        const waiter = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        waiter?.resolve('file' in reply ? receivedFile(reply.file) : undefined);
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

  /** The fast pass's reading of `text` (and the check's results), or undefined when the `yaml` path must load it. */
  parse(text: string, options: LoadTextOptions): Promise<ParsedFile | undefined> {
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
