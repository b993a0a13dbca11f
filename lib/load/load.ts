/**
 * Loading: files, directories and stdin → Kubernetes objects with source positions, plus findings for input that
 * is not a Kubernetes object at all. Parsing follows Kubernetes (YAML 1.1 as go-yaml reads it, last duplicate key
 * wins, `kind: List` expanded); bad input of any kind yields a finding, a note or a load error naming the file,
 * never an exception.
 */
import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Document, LineCounter, Node, isMap, isScalar, isSeq } from 'yaml';
import { findDuplicateKeys } from './duplicate-keys';
import { objectRef } from '../core/object-ref';
import { DocumentSource, documentLocator, fastLocator, lineCounter, offsetOfPath, positionAt } from './source-map';
import { fastParse, recordTokens, type FastFile } from './fast-parse';
import { ParsePool, workerCount } from './parallel';
import type { Finding, KubeObject, Manifest, ObjectRef } from '../core/types';
import { DecodeError, anchorsOf, decodeDocument, decodeNode, quoteToken } from './decode';
import { parseDocuments, parseFirstDocument } from './yaml-parse';
import { DEFAULT_FIFO_WAIT_MS, LoadError, NotText, loadError, readInput, readStream } from './read';
import { collectGiven, newWalk, walkNotes } from './walk';
import { hasSourceComments, helmTemplateMarker, onlyTemplateActions, sourceComment } from './helm';
import { ListItem, OversizedDocument, hasOversizedDocument, splitOversizedDocuments } from './oversize';

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
  /**
   * Threads that parse files: 0 or 1 parses on the main thread; default: one per core when the files hold more
   * than a few MB (the result is the same either way, in the same order).
   */
  readonly jobs?: number;
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

/**
 * What the fast first pass reads of a file's text, or undefined when loadText must take the `yaml` path (which
 * reports what is wrong with the file). Worker threads call this; keep every check loadText makes before parsing
 * here too, so that both give the same answer.
 */
export function readFast(text: string, options: LoadTextOptions = {}): FastFile | undefined {
  if (options.firstPass === 'yaml' || text.includes('\0') || helmTemplateMarker(text) || hasSourceComments(text)) return undefined;
  if (hasOversizedDocument(text, options.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE)) return undefined;
  return fastParse(text);
}

/** The load result of a file the fast pass read. */
function loadedFast(fast: FastFile, file: string): LoadResult {
  const result = emptyResult();
  result.files = 1;
  result.inputs.push(file);
  const lines = lineCounter(fast.lineStarts);
  for (const doc of fast.documents) {
    recordTokens(doc);
    result.documents++;
    result.manifests.push(manifest(file, doc.index, doc.object as KubeObject, fastLocator(doc, lines)));
  }
  return result;
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
  const fast = readFast(text, options);
  if (fast !== undefined) return loadedFast(fast, file);
  const lines = countLines(text);
  const at = (offset: number) => positionAt(lines, Math.max(0, Math.min(offset, text.length)));
  const helm = helmTemplateMarker(text);
  if (helm?.certain || (helm && onlyTemplateActions(text))) {
    const { line, column } = at(helm.offset);
    report('yaml-syntax', line, column, helmMessage(helm.token, helm.certain ? '' : ' and holds no YAML until Helm renders it'));
    return result;
  }
  const { segments, oversized } = splitOversizedDocuments(text, options.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE);
  for (const document of oversized) reportOversized(document, at, report);
  result.documents += oversized.filter((document) => !document.listItem).length;

  const earlierAnchors = new Set<string>();
  let docIndex = 0;
  let syntaxError = false;
  let listIndex = -1;
  const sources = hasSourceComments(text);
  for (const segment of segments) {
    // Each segment is parsed alone; its offsets map to the file's lines through the shifted counter.
    const parseable = segment.start === 0 && segment.end === text.length ? text : text.slice(segment.start, segment.end);
    const parsedLines = shiftedLines(lines, segment.start);
    if (segment.listItems) {
      if (listIndex === -1) {
        listIndex = docIndex++;
        result.documents++;
      }
      if (loadListItemsFast(text, segment.listItems, lines, listIndex, file, result)) continue;
      const listSource = { text: parseable, lines: parsedLines, start: 0, end: parseable.length };
      if (!loadListItems(listSource, listIndex, file, result, report)) syntaxError = true;
      continue;
    }
    listIndex = -1;
    for (const doc of parseDocuments(parseable)) {
      const source: DocumentSource = { text: parseable, lines: parsedLines, start: doc.range[0], end: doc.range[2] };
      const template = sources ? sourceComment(text, segment.start + doc.range[0]) : undefined;
      const scoped: Report = (rule, line, column, message, object) => {
        result.findings.push({ rule, severity: 'error', message, file, line, column, ...(object ? { object } : {}), ...(template ? { template } : {}) });
      };
      if (doc.errors.length > 0) syntaxError = true;
      loadDocument(doc, source, docIndex++, { file, template }, result, scoped, earlierAnchors);
      for (const anchor of anchorsOf(doc)) earlierAnchors.add(anchor);
    }
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


function reportOversized(document: OversizedDocument, at: (offset: number) => { line: number; column: number }, report: Report): void {
  const { line, column } = at(document.start);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const what = document.listItem ? 'this item of the List' : 'this YAML document';
  const why = document.listNotSplit ? `; a kind: List this large is linted item by item, but not this one: ${document.listNotSplit}` : '';
  report(
    'yaml-syntax',
    line,
    column,
    `${what} is ${mib(document.size)}, over the ${mib(document.limit)} limit for one object ` +
      `(etcd stores at most 1.5 MiB per object, the API server refuses a larger one); not linted${why}`,
  );
}

/** `lines` for a piece of the text that starts at offset `by`: offsets in the piece, lines and columns of the file. */
function shiftedLines(lines: LineCounter, by: number): LineCounter {
  if (by === 0) return lines;
  const shifted = new LineCounter();
  shifted.linePos = (offset) => lines.linePos(offset + by);
  return shifted;
}

/**
 * Items of a large `kind: List` through the fast first pass, each item read as a document of its own: its `- `
 * and indentation taken off, positions mapped back to the file. False (nothing loaded) when an item needs the
 * `yaml` path.
 */
function loadListItemsFast(
  text: string,
  chunk: { readonly items: readonly ListItem[]; readonly indent: number },
  lines: LineCounter,
  docIndex: number,
  file: string,
  result: LoadResult,
): boolean {
  const shift = chunk.indent + 2;
  const read: Manifest[] = [];
  for (const item of chunk.items) {
    const itemLines = text.slice(item.start, item.end).split('\n');
    const dedented: string[] = [];
    for (const [index, line] of itemLines.entries()) {
      if (index === 0) dedented.push(line.slice(chunk.indent + 1).replace(/^ /, ''));
      else if (line.startsWith(' '.repeat(shift))) dedented.push(line.slice(shift));
      else if (/^\s*(?:#.*)?$/.test(line)) dedented.push('');
      else return false;
    }
    const fast = fastParse(dedented.join('\n'));
    if (fast === undefined || fast.documents.length !== 1) return false;
    const [doc] = fast.documents;
    recordTokens(doc);
    read.push(manifest(file, docIndex, doc.object as KubeObject, fastLocator(doc, mappedLines(lineCounter(fast.lineStarts), lines.linePos(item.start).line, shift))));
  }
  append(result.manifests, read);
  return true;
}

/** Lines of an item read apart (see loadListItemsFast) → the file's: `firstLine` is the item's line, `shift` its indentation. */
function mappedLines(itemLines: LineCounter, firstLine: number, shift: number): LineCounter {
  const mapped = new LineCounter();
  mapped.linePos = (offset) => {
    const { line, col } = itemLines.linePos(offset);
    return line === 0 ? { line: firstLine, col: offset + 1 + shift } : { line: firstLine + line - 1, col: col + shift };
  };
  return mapped;
}

/**
 * Items of a large `kind: List`, a chunk at a time (see oversize.ts): `source` is a block sequence of whole items.
 * Returns false when the chunk does not parse.
 */
function loadListItems(source: DocumentSource, docIndex: number, file: string, result: LoadResult, report: Report): boolean {
  const at = (offset: number) => positionAt(source.lines, Math.max(0, Math.min(offset, source.text.length)));
  const doc = parseFirstDocument(source.text);
  if (doc === undefined) return true;
  if (doc.errors.length > 0) {
    const [first] = doc.errors;
    const { line, column } = at(first.pos[0]);
    report('yaml-syntax', line, column, syntaxMessage(first.code, first.message));
    return false;
  }
  for (const duplicate of findDuplicateKeys(doc)) {
    const { line, column } = at(duplicate.offset);
    report('yaml-syntax', line, column, duplicate.message);
  }
  const items = isSeq(doc.contents) ? doc.contents.items : [];
  items.forEach((node, index) => {
    let item: unknown;
    try {
      item = decodeNode(node as Node);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      const { line, column } = at(error.offset);
      report('yaml-syntax', line, column, error.message);
      return;
    }
    if (item instanceof Object && !Array.isArray(item)) {
      result.manifests.push(manifest(file, docIndex, item as KubeObject, documentLocator(source, index)));
    } else {
      const { line, column } = at(startOfNode(node));
      report('schema', line, column, `this item of the List is ${describe(item)}, not a Kubernetes object`);
    }
  });
  return true;
}

function startOfNode(node: unknown): number {
  return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
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
  where: { readonly file: string; readonly template?: string },
  result: LoadResult,
  report: Report,
  earlierAnchors: ReadonlySet<string>,
): void {
  const { file, template } = where;
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
        result.manifests.push(manifest(file, docIndex, item as KubeObject, documentLocator(source, index), template));
      } else {
        const { line, column } = at(offsetOfPath(doc, doc.contents, ['items', index]));
        report('schema', line, column, `items[${index}] of the ${ref.kind} is ${describe(item)}, not a Kubernetes object`, ref);
      }
    });
    return;
  }
  result.manifests.push(manifest(file, docIndex, object, documentLocator(source), template));
}

/** What a value that should have been an object is: `a string`, `a list`, `null`. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function manifest(file: string, docIndex: number, object: KubeObject, locate: Manifest['locate'], template?: string): Manifest {
  return template === undefined ? { file, docIndex, object, locate } : { file, docIndex, object, locate, template };
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
  const stdinName = options.stdinName ?? STDIN_NAME;
  const workers = workerCount(options.jobs, unique.length, totalSize(unique));
  const pool = workers > 0 ? new ParsePool(workers) : undefined;
  // In input order; with workers, a file's result is a promise until its thread answers.
  const loaded: Array<LoadResult | Promise<LoadResult>> = [];
  const inFlight = new Set<Promise<LoadResult>>();
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
      } else if (pool === undefined) loaded.push(loadText(read.text, name, textOptions));
      else {
        if (pool.full) await Promise.race(inFlight);
        const { text } = read;
        const parsed = pool
          .parse(text, textOptions)
          .then((fast) => (fast === undefined ? loadText(text, name, textOptions) : loadedFast(fast, name)));
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
