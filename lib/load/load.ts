/**
 * Loading: files, directories and stdin → Kubernetes objects with source positions, plus findings for input that
 * is not a Kubernetes object at all. Parsing follows Kubernetes (YAML 1.1, last duplicate key wins, `kind: List`
 * expanded); bad input of any kind yields a finding or a load error naming the file, never an exception.
 */
import { createReadStream, promises as fs, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Document, LineCounter, isMap, isScalar, isSeq } from 'yaml';
import { findDuplicateKeys } from './duplicate-keys';
import { objectRef } from '../core/object-ref';
import { DocumentSource, documentLocator, fastLocator, lineCounter, offsetOfPath, positionAt } from './source-map';
import { fastParse, type FastFile } from './fast-parse';
import { ParsePool, workerCount } from './parallel';
import type { Finding, KubeObject, Manifest, ObjectRef } from '../core/types';
import { TO_JS } from './yaml-options';
import { parseDocuments } from './yaml-parse';

/** A path that could not be read at all: the CLI exits 2 with `message`. */
export interface LoadError {
  readonly file: string;
  /** One line that names the file, e.g. `manifests/x.yaml: permission denied`. */
  readonly message: string;
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
}

export interface LoadOptions {
  /** Largest file read, in bytes (default {@link DEFAULT_MAX_FILE_SIZE}). */
  readonly maxFileSize?: number;
  /** Stream read for the path `-` (default: process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
  /** Called before each file is read. */
  readonly onFile?: (index: number, total: number) => void;
  /**
   * Threads that parse files: 0 or 1 parses on the main thread; default: one per core when the files hold more
   * than a few MB (the result is the same either way, in the same order).
   */
  readonly jobs?: number;
}

export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/** Kubernetes objects are a few dozen levels deep at most; deeper input is broken or hostile. */
export const MAX_DEPTH = 100;
export const STDIN_NAME = '<stdin>';

const YAML_FILE = /\.ya?ml$/i;
/** Directories a walk does not enter (they are still linted when named explicitly). */
const SKIPPED_DIRECTORY = (name: string): boolean => name.startsWith('.') || name === 'node_modules';

function emptyResult(): LoadResult {
  return { manifests: [], findings: [], errors: [], files: 0, documents: 0, inputs: [] };
}

function merge(into: LoadResult, from: LoadResult): void {
  into.manifests.push(...from.manifests);
  into.findings.push(...from.findings);
  into.errors.push(...from.errors);
  into.files += from.files;
  into.documents += from.documents;
  into.inputs.push(...from.inputs);
}

/**
 * Which reader a file goes through: `auto` tries the fast pass (fast-parse.ts) and gives the file to the `yaml`
 * path when the fast pass cannot read it exactly as that path would; `yaml` skips the fast pass (tests compare both).
 */
export type FirstPass = 'auto' | 'yaml';

/** Loads the YAML documents of one file's text. */
export function loadText(text: string, file: string, firstPass: FirstPass = 'auto'): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.inputs.push(file);
  const problem = (rule: string, line: number, column: number, message: string, object?: ObjectRef): void => {
    result.findings.push({ rule, severity: 'error', message, file, line, column, ...(object ? { object } : {}) });
  };
  if (text.includes('\0')) {
    problem('yaml-syntax', 1, 1, 'not a text file (it contains NUL bytes); only YAML files can be linted');
    return result;
  }
  const fast = firstPass === 'auto' ? fastParse(text) : undefined;
  if (fast !== undefined) return loadedFast(fast, file);
  const lines = new LineCounter();
  let docIndex = 0;
  for (const doc of parseDocuments(text, lines)) {
    const source: DocumentSource = { text, lines, start: doc.range[0], end: doc.range[2] };
    loadDocument(doc, source, docIndex++, file, result, problem);
  }
  return result;
}

/**
 * What the fast first pass reads of a file's text, or undefined when loadText must take the `yaml` path (which
 * reports what is wrong with the file). Worker threads call this; keep every check loadText makes before parsing
 * here too, so that both give the same answer.
 */
export function readFast(text: string): FastFile | undefined {
  return text.includes('\0') ? undefined : fastParse(text);
}

/** The load result of a file the fast pass read. */
function loadedFast(fast: FastFile, file: string): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.inputs.push(file);
  const lines = lineCounter(fast.lineStarts);
  for (const doc of fast.documents) {
    result.documents++;
    result.manifests.push(manifest(file, doc.index, doc.object as KubeObject, fastLocator(doc, lines)));
  }
  return result;
}

type Report = (rule: string, line: number, column: number, message: string, object?: ObjectRef) => void;

function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents;
  return contents === null || (isScalar(contents) && contents.value === null);
}

function loadDocument(
  doc: Document,
  source: DocumentSource,
  docIndex: number,
  file: string,
  result: LoadResult,
  report: Report,
): void {
  // Offsets in `doc` are offsets in the whole file.
  const at = (offset: number) => positionAt(source.lines, offset);
  const syntaxErrors = doc.errors;
  if (syntaxErrors.length === 0 && isEmptyDocument(doc)) return;
  result.documents++;
  if (syntaxErrors.length > 0) {
    // Only the first: after a syntax error the parser is out of step, and what follows is mostly its echo.
    const [first] = syntaxErrors;
    const { line, column } = at(first.pos[0]);
    report('yaml-syntax', line, column, syntaxMessage(first.code, first.message));
    return;
  }

  const docStart = at(doc.contents?.range?.[0] ?? source.start);
  if (!isMap(doc.contents)) {
    const what = isSeq(doc.contents) ? 'a list' : isScalar(doc.contents) ? describe(doc.contents.value) : 'not a mapping';
    report('schema', docStart.line, docStart.column, `the document is ${what}, not a Kubernetes object; expected a mapping with apiVersion and kind`);
    return;
  }
  let object: KubeObject;
  try {
    object = doc.toJS(TO_JS) as KubeObject;
  } catch (error) {
    report('yaml-syntax', docStart.line, docStart.column, conversionMessage(error));
    return;
  }
  if (deeperThan(object, MAX_DEPTH)) {
    report('yaml-syntax', docStart.line, docStart.column, `nesting deeper than ${MAX_DEPTH} levels; no Kubernetes object is that deep`);
    return;
  }
  const ref = objectRef(object);
  for (const duplicate of findDuplicateKeys(doc)) {
    const { line, column } = at(duplicate.offset);
    report('yaml-syntax', line, column, duplicate.message, ref);
  }
  if (isList(object)) {
    object.items.forEach((item, index) => {
      if (item instanceof Object && !Array.isArray(item)) {
        result.manifests.push(manifest(file, docIndex, item as KubeObject, documentLocator(source, index)));
      } else {
        const { line, column } = at(offsetOfPath(doc, doc.contents, ['items', index]));
        report('schema', line, column, `items[${index}] of the ${ref.kind} is ${describe(item)}, not a Kubernetes object`, ref);
      }
    });
    return;
  }
  result.manifests.push(manifest(file, docIndex, object, documentLocator(source)));
}

/** What a value that should have been an object is: `a string`, `a list`, `null`. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function manifest(file: string, docIndex: number, object: KubeObject, locate: Manifest['locate']): Manifest {
  return { file, docIndex, object, locate };
}

/** `kind: List` (what `kubectl get -o yaml` prints) and typed lists such as `ServiceList`. */
function isList(object: KubeObject): object is KubeObject & { items: unknown[] } {
  return typeof object.kind === 'string' && /List$/.test(object.kind) && Array.isArray(object.items);
}

function syntaxMessage(code: string, message: string): string {
  if (code === 'RESOURCE_EXHAUSTION') return 'nesting too deep to parse; no Kubernetes object is that deep';
  return `invalid YAML: ${message}`;
}

function conversionMessage(error: unknown): string {
  if (error instanceof ReferenceError && /alias/i.test(error.message)) {
    return 'aliases expand to too many nodes (a "billion laughs" document?); refusing to expand it';
  }
  if (error instanceof RangeError) return 'nesting too deep to parse; no Kubernetes object is that deep';
  return `invalid YAML: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Whether `value` nests deeper than `limit`; iterative, so a hostile depth cannot overflow the stack here.
 * On the way it flattens long strings: `yaml` builds quoted scalars piece by piece, and V8 keeps such a string
 * as a tree of pieces (a 2,000-character value held about 60 KB) until something reads it as a whole.
 */
/** Reading a character flattens the string; returning it keeps the optimiser from dropping the read. */
function flatten(text: string): boolean {
  return text.charCodeAt(0) >= 0;
}

function deeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (depth > limit) return true;
    for (const child of Object.values(node as object)) {
      if (child instanceof Object) pending.push([child, depth + 1]);
      else if (typeof child === 'string' && child.length > 32 && !flatten(child)) return false;
    }
  }
  return false;
}

/** Loads files, directories (recursively, `*.yaml` and `*.yml`, sorted) and `-` (stdin). */
export async function loadPaths(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result = emptyResult();
  const files: string[] = [];
  const seenDirectories = new Set<string>();
  for (const given of paths) {
    if (given === '-') {
      files.push(given);
      continue;
    }
    const [filesBefore, errorsBefore, directoriesBefore] = [files.length, result.errors.length, seenDirectories.size];
    await collect(given, true, files, result.errors, seenDirectories);
    // A directory walked for the first time that yields nothing: a wrong path, not a clean one (as eslint says).
    const walkedNothing = seenDirectories.size > directoriesBefore && files.length === filesBefore && result.errors.length === errorsBefore;
    if (walkedNothing && !files.some((file) => file !== '-' && isInside(file, given))) {
      result.errors.push({ file: given, message: `no YAML files found in ${given} (lint reads *.yaml and *.yml, outside hidden directories and node_modules)` });
    }
  }
  const unique = await uniqueFiles(files);
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const workers = workerCount(options.jobs, unique.length, totalSize(unique));
  const pool = workers > 0 ? new ParsePool(workers) : undefined;
  // In input order; with workers, a file's result is a promise until its thread answers.
  const loaded: Array<LoadResult | Promise<LoadResult>> = [];
  const inFlight = new Set<Promise<LoadResult>>();
  try {
    for (const [index, file] of unique.entries()) {
      options.onFile?.(index, unique.length);
      const read = file === '-'
        ? await readStream(options.stdin ?? process.stdin, STDIN_NAME, maxFileSize)
        : await readFile(file, maxFileSize);
      const name = file === '-' ? STDIN_NAME : file;
      if ('error' in read) loaded.push({ ...emptyResult(), errors: [read.error] });
      else if (pool === undefined) loaded.push(loadText(read.text, name));
      else {
        if (pool.full) await Promise.race(inFlight);
        const parsed = pool.parse(read.text).then((fast) => (fast === undefined ? loadText(read.text, name) : loadedFast(fast, name)));
        inFlight.add(parsed);
        void parsed.then(() => inFlight.delete(parsed), () => inFlight.delete(parsed));
        loaded.push(parsed);
      }
    }
    for (const entry of loaded) merge(result, await entry);
  } finally {
    await pool?.close();
  }
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
      // readFile reports it
    }
  }
  return bytes;
}

/** Whether `file` lies below `directory` (e.g. found by an earlier PATH that named a subdirectory). */
function isInside(file: string, directory: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const rel = path.relative(real(directory), real(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

type Read = { text: string } | { error: LoadError };

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many levels of symbolic links (a symlink loop?)';
    case 'ENOTDIR': return 'not a directory';
    default: return error instanceof Error ? error.message : String(error);
  }
}

function loadError(file: string, why: string): LoadError {
  return { file, message: `${file}: ${why}` };
}

function tooLarge(file: string, size: number, limit: number): LoadError {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
  return loadError(file, `${mib(size)} is over the ${mib(limit)} limit for one file; raise it with --max-file-size <MiB>`);
}

async function readFile(file: string, limit: number): Promise<Read> {
  try {
    // Synchronous: one file at a time anyway, and a round trip through the thread pool per file costs more.
    const stat = statSync(file);
    if (stat.isFile() && stat.size > limit) return { error: tooLarge(file, stat.size, limit) };
    if (stat.isFile()) return { text: readFileSync(file).toString('utf8') };
  } catch (error) {
    return { error: loadError(file, reason(error)) };
  }
  // A pipe such as `<(helm template ...)`: its size is only known once read.
  return readStream(createReadStream(file), file, limit);
}

async function readStream(stream: NodeJS.ReadableStream, name: string, limit: number): Promise<Read> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limit) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        return { error: tooLarge(name, size, limit) };
      }
      chunks.push(bytes);
    }
  } catch (error) {
    return { error: loadError(name, reason(error)) };
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * Adds `target` (a file, or the YAML files under a directory) to `files`. Directories are identified by their
 * real path, so a symlink loop or a directory reached twice is walked once.
 */
async function collect(
  target: string,
  explicit: boolean,
  files: string[],
  errors: LoadError[],
  seenDirectories: Set<string>,
): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (error) {
    if (explicit || YAML_FILE.test(target)) errors.push(loadError(target, reason(error)));
    return;
  }
  if (!stat.isDirectory()) {
    if (explicit || (stat.isFile() && YAML_FILE.test(target))) files.push(target);
    return;
  }
  let entries;
  try {
    const real = await fs.realpath(target);
    if (seenDirectories.has(real)) return;
    seenDirectories.add(real);
    entries = await fs.readdir(target);
  } catch (error) {
    errors.push(loadError(target, reason(error)));
    return;
  }
  for (const name of entries.sort()) {
    const entry = path.join(target, name);
    if (YAML_FILE.test(name)) await collect(entry, false, files, errors, seenDirectories);
    else if (!SKIPPED_DIRECTORY(name)) await collectDirectory(entry, files, errors, seenDirectories);
  }
}

/** Walks `entry` only if it is a directory (other files without a YAML extension are not linted). */
async function collectDirectory(entry: string, files: string[], errors: LoadError[], seen: Set<string>): Promise<void> {
  const stat = await fs.stat(entry).catch(() => undefined);
  if (stat?.isDirectory()) await collect(entry, false, files, errors, seen);
}

/** Drops files reached twice (e.g. named explicitly and inside a named directory). */
async function uniqueFiles(files: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const file of files) {
    const key = file === '-' ? file : await fs.realpath(file).catch(() => path.resolve(file));
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(file);
  }
  return unique;
}
