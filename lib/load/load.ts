/**
 * Loading: files, directories and stdin → Kubernetes objects with source positions, plus findings for input that
 * is not a Kubernetes object at all. Parsing follows Kubernetes (YAML 1.1 as go-yaml reads it, last duplicate key
 * wins, `kind: List` expanded); bad input of any kind yields a finding, a note or a load error naming the file,
 * never an exception.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { Document, LineCounter, isMap, isScalar, isSeq } from 'yaml';
import { findDuplicateKeys } from './duplicate-keys';
import { objectRef } from '../core/object-ref';
import { DocumentSource, documentLocator, offsetOfPath, positionAt } from './source-map';
import type { Finding, KubeObject, Manifest, ObjectRef } from '../core/types';
import { DecodeError, anchorsOf, decodeDocument, quoteToken } from './decode';
import { parseDocuments } from './yaml-parse';
import { DEFAULT_FIFO_WAIT_MS, LoadError, NotText, loadError, readInput, readStream } from './read';
import { collectGiven, newWalk, walkNotes } from './walk';
import { helmTemplateMarker, sourceComment } from './helm';
import { OversizedDocument, blankOversizedDocuments } from './oversize';

export type { LoadError } from './read';
export { MAX_DEPTH } from './decode';

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
}

export interface LoadTextOptions {
  /** Largest YAML document parsed, in bytes (default {@link DEFAULT_MAX_DOCUMENT_SIZE}). */
  readonly maxDocumentSize?: number;
  /**
   * Name each object's file after the `# Source:` comment `helm template` writes before it, as
   * `<stdin> (# Source: chart/templates/sts.yaml)`; line numbers stay those of the text.
   */
  readonly helmSources?: boolean;
}

export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/**
 * etcd stores at most 1.5 MiB per object (the API server refuses a larger one), and parsing a document takes
 * 100 to 250 bytes of memory per byte: a larger document is refused, so a run stays under 500 MB.
 */
export const DEFAULT_MAX_DOCUMENT_SIZE = 1.5 * 1024 * 1024;
export const STDIN_NAME = '<stdin>';
const NOTHING_ON_STDIN = 'no YAML documents on stdin: did the command that pipes into cdk8s-stateful fail?';

function emptyResult(): LoadResult {
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

type Report = (rule: string, line: number, column: number, message: string, object?: ObjectRef) => void;

/** Line starts counted from the text itself (the parser's own count can miss a line break after a syntax error). */
function countLines(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/** Loads the YAML documents of one file's text. */
export function loadText(text: string, file: string, options: LoadTextOptions = {}): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.inputs.push(file);
  const report: Report = (rule, line, column, message, object) => {
    result.findings.push({ rule, severity: 'error', message, file, line, column, ...(object ? { object } : {}) });
  };
  if (text.includes('\0')) {
    report('yaml-syntax', 1, 1, 'not a text file (it contains NUL bytes); only YAML files can be linted');
    return result;
  }
  const lines = countLines(text);
  const at = (offset: number) => positionAt(lines, Math.max(0, Math.min(offset, text.length)));
  const helm = helmTemplateMarker(text);
  if (helm?.certain) {
    const { line, column } = at(helm.offset);
    report('yaml-syntax', line, column, helmMessage(helm.token));
    return result;
  }
  const { text: parseable, oversized } = blankOversizedDocuments(text, options.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE);
  for (const document of oversized) reportOversized(document, at, report);
  result.documents += oversized.length;
  // Lines of the text parsed: the same numbers as the file's (an oversized document keeps only its line breaks).
  const parsedLines = oversized.length > 0 ? countLines(parseable) : lines;

  const earlierAnchors = new Set<string>();
  let docIndex = 0;
  let syntaxError = false;
  for (const doc of parseDocuments(parseable)) {
    const source: DocumentSource = { text: parseable, lines: parsedLines, start: doc.range[0], end: doc.range[2] };
    const name = options.helmSources ? helmSourceName(file, parseable, doc.range[0]) : file;
    const scoped: Report = (rule, line, column, message, object) => {
      result.findings.push({ rule, severity: 'error', message, file: name, line, column, ...(object ? { object } : {}) });
    };
    if (doc.errors.length > 0) syntaxError = true;
    loadDocument(doc, source, docIndex++, name, result, scoped, earlierAnchors);
    for (const anchor of anchorsOf(doc)) earlierAnchors.add(anchor);
  }
  if (helm && syntaxError) {
    // Braces that break the YAML: a template, not a manifest with a `{{ }}` inside a string.
    const firstError = result.findings.find((finding) => finding.rule === 'yaml-syntax');
    const { line, column } = at(helm.offset);
    const helmOnly = emptyResult();
    helmOnly.files = 1;
    helmOnly.inputs.push(file);
    const detail = firstError ? ` and does not parse as YAML (line ${firstError.line}: ${firstError.message})` : '';
    helmOnly.findings.push({ rule: 'yaml-syntax', severity: 'error', message: helmMessage(helm.token, detail), file, line, column });
    return helmOnly;
  }
  return result;
}

function helmMessage(token: string, detail = ''): string {
  return (
    `this is a Helm template (${quoteToken(token)})${detail}: lint what it renders instead, ` +
    '`helm template <chart> | cdk8s-stateful lint -` (the pre-commit hook excludes templates/ directories)'
  );
}

/** `<stdin> (# Source: chart/templates/sts.yaml)` for a document `helm template` rendered from that file. */
function helmSourceName(file: string, text: string, start: number): string {
  const source = sourceComment(text, start);
  return source === undefined ? file : `${file} (# Source: ${source})`;
}

function reportOversized(document: OversizedDocument, at: (offset: number) => { line: number; column: number }, report: Report): void {
  const { line, column } = at(document.start);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  report(
    'yaml-syntax',
    line,
    column,
    `this YAML document is ${mib(document.size)}, over the ${mib(document.limit)} limit for one document ` +
      '(etcd stores at most 1.5 MiB per object); not linted: split a kind: List into one document per object',
  );
}

const NULL_TOKENS = new Set(['', '~', 'null', 'Null', 'NULL']);

function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents;
  if (contents === null) return true;
  if (!isScalar(contents) || contents.type !== 'PLAIN' || contents.tag) return false;
  return contents.value === null || NULL_TOKENS.has(String(contents.value));
}

/** The top-level keys of a mapping document, read without decoding it. */
function topLevelKeys(doc: Document): Set<string> {
  const keys = new Set<string>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string') keys.add(pair.key.value);
    }
  }
  return keys;
}

/**
 * A YAML document that is no Kubernetes object at all: a mapping without `kind` that has no `apiVersion` or no
 * `metadata` (docker-compose, CI configs, values.yaml, Chart.yaml with `apiVersion: v2`), or a top-level list
 * (a JSON patch). A manifest that only lost its `kind` still has apiVersion and metadata, and is reported.
 */
function isNotKubernetes(doc: Document): boolean {
  if (isSeq(doc.contents)) return true;
  if (!isMap(doc.contents)) return false;
  const keys = topLevelKeys(doc);
  return !keys.has('kind') && (!keys.has('apiVersion') || !keys.has('metadata'));
}

function loadDocument(
  doc: Document,
  source: DocumentSource,
  docIndex: number,
  file: string,
  result: LoadResult,
  report: Report,
  earlierAnchors: ReadonlySet<string>,
): void {
  // Offsets in `doc` are offsets in the whole file.
  const at = (offset: number) => positionAt(source.lines, Math.max(0, Math.min(offset, source.text.length)));
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
  if (isNotKubernetes(doc)) {
    result.skipped!.push({ file, line: docStart.line });
    return;
  }
  if (!isMap(doc.contents)) {
    const what = isScalar(doc.contents) ? 'a scalar' : 'not a mapping';
    report('schema', docStart.line, docStart.column, `the document is ${what}, not a Kubernetes object; expected a mapping with apiVersion and kind`);
    return;
  }
  let object: KubeObject;
  try {
    object = decodeDocument(doc, earlierAnchors) as KubeObject;
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    const { line, column } = at(error.offset);
    report('yaml-syntax', line, column, error.message);
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
  return typeof object.kind === 'string' && /List$/.test(object.kind) && Object.hasOwn(object, 'items') && Array.isArray(object.items);
}

function syntaxMessage(code: string, message: string): string {
  if (code === 'RESOURCE_EXHAUSTION') return 'nesting too deep to parse; no Kubernetes object is that deep';
  // The `yaml` package appends a source excerpt after the first line: the position says where.
  const [first] = message.split('\n');
  return `invalid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
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
  for (const [index, file] of unique.entries()) {
    options.onFile?.(index, unique.length);
    const stdinName = options.stdinName ?? STDIN_NAME;
    const name = file === '-' ? stdinName : file;
    const read = file === '-'
      ? await readStream(options.stdin ?? process.stdin, stdinName, maxFileSize)
      : await readInput(file, { maxFileSize, fifoWaitMs: options.fifoWaitMs ?? DEFAULT_FIFO_WAIT_MS });
    if ('error' in read) {
      result.errors.push(read.error);
      continue;
    }
    if ('notText' in read) {
      merge(result, notTextResult(name, read.notText));
      continue;
    }
    const loaded = loadText(read.text, name, file === '-' ? { ...textOptions, helmSources: true } : textOptions);
    // Nothing on stdin is an upstream failure (`helm template ... |` that printed only an error), not a clean input.
    if (file === '-' && loaded.documents === 0) result.errors.push(loadError(stdinName, NOTHING_ON_STDIN));
    merge(result, loaded);
  }
  return result;
}

function notTextResult(file: string, notText: NotText): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.inputs.push(file);
  result.findings.push({ rule: 'yaml-syntax', severity: 'error', message: notText.message, file, line: notText.line, column: notText.column });
  return result;
}

/** Whether `file` lies below `directory` (e.g. found by an earlier PATH that named a subdirectory). */
function isInside(file: string, directory: string): boolean {
  const rel = path.relative(realOrResolved(directory), realOrResolved(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
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
