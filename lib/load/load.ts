/**
 * Loading: files, directories and stdin → Kubernetes objects with source positions, plus findings for input that
 * is not a Kubernetes object at all. Parsing follows Kubernetes (YAML 1.1 as go-yaml reads it, last duplicate key
 * wins, `kind: List` expanded); bad input of any kind yields a finding, a note or a load error naming the file,
 * never an exception.
 */
import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fastLocator, lineCounter, positionAt } from './positions';
import { objectRef } from '../core/object-ref';
import { fastParse, recordTokens, type FastFile } from './fast-parse';
import { loadCheck, ParsePool, workerCount, type DocumentCheck } from './parallel';
import type { Finding, KubeObject, Manifest, ObjectRef } from '../core/types';
import { DEFAULT_FIFO_WAIT_MS, LoadError, NotText, loadError, readInput, readStream } from './read';
import { collectGiven, newWalk, walkNotes } from './walk';
import { hasSourceComments, helmTemplateMarker } from './helm';
import { hasOversizedDocument } from './oversize';

export type { LoadError } from './read';

/** A YAML document that is not a Kubernetes object (a values.yaml, a docker-compose file): skipped with a note. */
export interface SkippedDocument {
  readonly file: string;
  readonly line: number;
}

export interface LoadResult {
  readonly manifests: Manifest[];
  /** Input that is read but is not a valid Kubernetes object (rules `yaml-syntax` and `schema`). */
  readonly findings: Finding[];
  readonly errors: LoadError[];
  /** Number of files read. */
  files: number;
  /** Number of non-empty YAML documents (a `kind: List` counts once). */
  documents: number;
  /** Files read, in order. */
  readonly inputs: string[];
  /** Documents without apiVersion and kind, not linted. */
  readonly skipped?: SkippedDocument[];
  /** What the run did not read and why (see {@link loadNotes}). */
  readonly notes?: string[];
  /** The results of LoadOptions.check for the manifests the loader's threads checked (the others have none). */
  readonly checks?: { readonly by: DocumentCheck; readonly results: Map<Manifest, unknown> };
}

export interface LoadOptions {
  /** Largest file read, in bytes (default {@link DEFAULT_MAX_FILE_SIZE}). */
  readonly maxFileSize?: number;
  /** Largest YAML document parsed, in bytes (default {@link DEFAULT_MAX_DOCUMENT_SIZE}). */
  readonly maxDocumentSize?: number;
  /** How long to wait for a writer on a FIFO named as input (default 3 s). */
  readonly fifoWaitMs?: number;
  /** Stream read for the path `-` (default: process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
  /** The name findings in stdin's documents carry (`--stdin-filename`; default `<stdin>`). */
  readonly stdinName?: string;
  /** Called before each file is read. */
  readonly onFile?: (index: number, total: number) => void;
  /** Called once the files are known and before any is read, with their size in bytes (stdin not counted). */
  readonly onInputSize?: (bytes: number) => void;
  /**
   * Threads in all: 0 or 1 loads on the main thread alone, N adds N-1 worker threads that parse (and run `check`);
   * default: as parallel.ts workerCount decides from the cores and the input's size (the result is the same
   * either way, in the same order).
   */
  readonly jobs?: number;
  /** Per-document work the threads do besides parsing, when there are threads (see parallel.ts). */
  readonly check?: DocumentCheck;
}

export interface LoadTextOptions {
  /** Largest YAML document parsed, in bytes (default {@link DEFAULT_MAX_DOCUMENT_SIZE}). */
  readonly maxDocumentSize?: number;
  /**
   * `auto` (default): the fast first pass (fast-parse.ts) reads the file when it can read it exactly as the `yaml`
   * path would; `yaml`: always the `yaml` path (tests compare the two).
   */
  readonly firstPass?: 'auto' | 'yaml';
}

export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/**
 * etcd stores at most 1.5 MiB per object (the API server refuses a larger one), and parsing a document takes
 * 100 to 250 bytes of memory per byte: a larger document is refused, so a run stays under 500 MB.
 */
export const DEFAULT_MAX_DOCUMENT_SIZE = 1.5 * 1024 * 1024;
export const STDIN_NAME = '<stdin>';
const NOTHING_ON_STDIN = 'no YAML documents on stdin: did the command that pipes into cdk8s-stateful fail?';

export function emptyResult(): LoadResult {
  return { manifests: [], findings: [], errors: [], files: 0, documents: 0, inputs: [], skipped: [], notes: [] };
}

/** Appends without spreading: a file of 125,000 documents would overflow the call stack with push(...list). */
function append<T>(into: T[], from: readonly T[] | undefined): void {
  if (from === undefined) return;
  for (const item of from) into.push(item);
}

function merge(into: LoadResult, from: LoadResult): void {
  append(into.manifests, from.manifests);
  append(into.findings, from.findings);
  append(into.errors, from.errors);
  into.files += from.files;
  into.documents += from.documents;
  append(into.inputs, from.inputs);
  append(into.skipped!, from.skipped);
}

/** The notes of a load: documents that are not Kubernetes objects, links not followed, special files skipped. */
export function loadNotes(result: Omit<LoadResult, 'errors'>): string[] {
  const notes = [...(result.notes ?? [])];
  const skipped = result.skipped ?? [];
  if (skipped.length > 0) {
    const files = [...new Set(skipped.map((s) => s.file))];
    const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
    const documents = skipped.length === 1 ? 'a YAML document' : `${skipped.length} YAML documents`;
    notes.push(`skipped ${documents} that ${skipped.length === 1 ? 'is' : 'are'} not Kubernetes objects (no apiVersion and kind): ${shown}`);
  }
  return notes;
}

/**
 * What the fast first pass reads of a file's text (the documents it leaves to the `yaml` path listed in
 * `fallbacks`), or undefined when loadText must take the `yaml` path for the whole file (which reports what is
 * wrong with it). Worker threads call this; keep every check loadText makes before parsing here too, so that both
 * give the same answer.
 */
export function readFast(text: string, options: LoadTextOptions = {}): FastFile | undefined {
  return text.includes('\0') ? undefined : readFastText(text, options);
}

/** readFast of a text without NUL characters. */
function readFastText(text: string, options: LoadTextOptions): FastFile | undefined {
  if (options.firstPass === 'yaml' || helmTemplateMarker(text) || hasSourceComments(text)) return undefined;
  if (hasOversizedDocument(text, options.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE)) return undefined;
  return fastParse(text, true);
}

/**
 * The load result of a file the fast pass read, its `fallbacks` read through the `yaml` path, in document order;
 * `checked.into` gets a thread's check of each of the documents the fast pass read.
 */
function loadedFast(
  fast: Pick<FastFile, 'documents' | 'fallbacks'> & { readonly lineStarts: ArrayLike<number> },
  file: string,
  text: string,
  checked?: { results: readonly unknown[]; into: Map<Manifest, unknown> },
): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.inputs.push(file);
  const report = reporter(result, file);
  const lines = lineCounter(fast.lineStarts);
  const { fallbacks } = fast;
  let next = 0;
  // Anchors of the documents read so far (only the `yaml` path reads anchors), for the message on a later alias.
  const anchors = new Set<string>();
  const fallBackUpTo = (index: number) => {
    while (next < fallbacks.length && fallbacks[next].index < index) yamlPath().loadYamlDocument(text, fallbacks[next++], file, lines, result, report, anchors);
  };
  fast.documents.forEach((doc, i) => {
    fallBackUpTo(doc.index);
    recordTokens(doc);
    result.documents++;
    if (doc.duplicates !== undefined) {
      const ref = objectRef(doc.object as KubeObject);
      for (const duplicate of doc.duplicates) {
        const { line, column } = positionAt(lines, duplicate.offset);
        report('yaml-syntax', line, column, duplicate.message, ref);
      }
    }
    const loaded = manifest(file, doc.index, doc.object as KubeObject, fastLocator(doc, lines));
    result.manifests.push(loaded);
    checked?.into.set(loaded, checked.results[i]);
  });
  fallBackUpTo(Infinity);
  return result;
}

/** A finding in `file`, added to `result`. */
function reporter(result: LoadResult, file: string): Report {
  return (rule, line, column, message, object) => {
    result.findings.push({ rule, severity: 'error', message, file, line, column, ...(object ? { object } : {}) });
  };
}

export function manifest(file: string, docIndex: number, object: KubeObject, locate: Manifest['locate'], template?: string): Manifest {
  return template === undefined ? { file, docIndex, object, locate } : { file, docIndex, object, locate, template };
}

export type Report = (rule: string, line: number, column: number, message: string, object?: ObjectRef) => void;

/** The `yaml` path (yaml-load.ts), loaded on first use: a run the fast pass reads entirely never loads `yaml`. */
function yamlPath(): typeof import('./yaml-load') {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('./yaml-load') as typeof import('./yaml-load');
}

/** Loads the YAML documents of one file's text. */
export function loadText(text: string, file: string, options: LoadTextOptions = {}): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.inputs.push(file);
  const report = reporter(result, file);
  if (text.includes('\0')) {
    report('yaml-syntax', 1, 1, 'not a text file (it contains NUL bytes); only YAML files can be linted');
    return result;
  }
  const fast = readFastText(text, options);
  if (fast !== undefined) return loadedFast(fast, file, text);
  return yamlPath().loadWithYaml(text, file, options, result, report);
}

/** Loads files, directories (recursively, `*.yaml` and `*.yml`, sorted) and `-` (stdin). */
export async function loadPaths(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result = emptyResult();
  const walk = newWalk();
  for (const given of paths) {
    if (given === '-') {
      walk.files.push(given);
      continue;
    }
    const [filesBefore, errorsBefore, directoriesBefore] = [walk.files.length, walk.errors.length, walk.seen.size];
    await collectGiven(given, walk);
    // A directory walked for the first time that yields nothing: a wrong path, not a clean one (as eslint says).
    const walkedNothing = walk.seen.size > directoriesBefore && walk.files.length === filesBefore && walk.errors.length === errorsBefore;
    if (walkedNothing && !walk.files.some((file) => file !== '-' && isInside(file, given))) {
      walk.errors.push({ file: given, message: `no YAML files found in ${given} (lint reads *.yaml and *.yml, outside hidden directories and node_modules)` });
    }
  }
  append(result.errors, walk.errors);
  append(result.notes!, walkNotes(walk));
  const unique = await uniqueFiles(walk.files);
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const textOptions: LoadTextOptions = { maxDocumentSize: options.maxDocumentSize };
  const stdinName = options.stdinName ?? STDIN_NAME;
  const bytes = totalSize(unique);
  options.onInputSize?.(bytes);
  const workers = workerCount(options.jobs, unique.length, bytes);
  const pool = workers > 0 ? new ParsePool(workers, options.check) : undefined;
  const checks = pool === undefined || options.check === undefined ? undefined : { by: options.check, results: new Map<Manifest, unknown>() };
  // With threads, the documents read here are checked as they are read too: the threads idle once loading is done.
  const checkHere = checks && loadCheck(checks.by);
  const checkAll = (here: LoadResult): LoadResult => {
    if (checkHere) for (const m of here.manifests) checks!.results.set(m, checkHere(m.object));
    return here;
  };
  const checkRest = (here: LoadResult): LoadResult => {
    if (checkHere) for (const m of here.manifests) if (!checks!.results.has(m)) checks!.results.set(m, checkHere(m.object));
    return here;
  };
  const readHere = (text: string, name: string): LoadResult => checkAll(loadText(text, name, textOptions));
  // In input order; with workers, a file's result is a promise until its thread answers.
  const loaded: Array<LoadResult | Promise<LoadResult>> = [];
  try {
    for (const [index, file] of unique.entries()) {
      options.onFile?.(index, unique.length);
      const name = file === '-' ? stdinName : file;
      const read = file === '-'
        ? await readStream(options.stdin ?? process.stdin, stdinName, maxFileSize)
        : await readInput(file, { maxFileSize, fifoWaitMs: options.fifoWaitMs ?? DEFAULT_FIFO_WAIT_MS });
      if ('error' in read) loaded.push({ ...emptyResult(), errors: [read.error] });
      else if ('notText' in read) loaded.push(notTextResult(name, read.notText));
      else if (file === '-') {
        const fromStdin = loadText(read.text, name, textOptions);
        // Nothing on stdin is an upstream failure (`helm template ... |` that printed only an error), not a clean input.
        const empty = fromStdin.documents === 0 && fromStdin.findings.length === 0 && (fromStdin.skipped?.length ?? 0) === 0;
        if (empty) fromStdin.errors.push(loadError(stdinName, NOTHING_ON_STDIN));
        loaded.push(fromStdin);
      } else if (pool === undefined || (pool.full && (await repliesIn(), pool.full))) {
        // With threads, a file is read here when they are behind: the main thread has nothing else to do yet.
        loaded.push(readHere(read.text, name));
      } else {
        const { text } = read;
        const parsed = pool
          .parse(text, textOptions)
          .then((parsed) => {
            if (parsed === undefined) return readHere(text, name);
            const checked = checks && parsed.checks ? { results: parsed.checks, into: checks.results } : undefined;
            const read = loadedFast(parsed, name, text, checked);
            // The documents only the `yaml` path reads are read here, and checked here.
            if (checked === undefined) return checkAll(read);
            return parsed.fallbacks.length === 0 ? read : checkRest(read);
          });
        // A thread's failure is thrown where the results are merged, in input order.
        parsed.catch(() => undefined);
        loaded.push(parsed);
      }
    }
    for (const entry of loaded) merge(result, await entry);
  } finally {
    await pool?.close();
  }
  return checks === undefined ? result : { ...result, checks };
}

/** Lets the replies the threads sent so far in (messages arrive between turns of the event loop). */
function repliesIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function notTextResult(file: string, notText: NotText): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.inputs.push(file);
  result.findings.push({ rule: 'yaml-syntax', severity: 'error', message: notText.message, file, line: notText.line, column: notText.column });
  return result;
}

/** Bytes in the regular files among `files` (stdin and pipes count as nothing: their size is not known). */
function totalSize(files: readonly string[]): number {
  let bytes = 0;
  for (const file of files) {
    if (file === '-') continue;
    try {
      const stat = statSync(file);
      if (stat.isFile()) bytes += stat.size;
    } catch {
      // readInput reports it
    }
  }
  return bytes;
}

/** Whether `file` lies below `directory` (e.g. found by an earlier PATH that named a subdirectory). */
function isInside(file: string, directory: string): boolean {
  const rel = path.relative(realOrResolved(directory), realOrResolved(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function realOrResolved(p: string): string {
  try {
    // native: one realpath(3) call, where the JavaScript one lstats every directory on the path (~20 ms at 1,000 files)
    return realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** Drops files reached twice (e.g. named explicitly and inside a named directory). */
async function uniqueFiles(files: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const file of files) {
    const key = file === '-' ? file : realOrResolved(file);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(file);
  }
  return unique;
}
