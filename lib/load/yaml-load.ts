/**
 * The `yaml` path of the loader: files the fast first pass (fast-parse.ts) does not read go through the `yaml`
 * package (yaml-parse.ts, decode.ts), which reports what is wrong with them. Loaded on first use, so that a run
 * whose files the fast pass reads never loads the `yaml` package.
 */
import { Document, LineCounter, isMap, isScalar, isSeq } from 'yaml';
import { findDuplicateKeys } from './duplicate-keys';
import { objectRef } from '../core/object-ref';
import { DocumentSource, documentLocator, offsetOfPath } from './source-map';
import { positionAt } from './positions';
import type { KubeObject } from '../core/types';
import { DecodeError, anchorsOf, decodeDocument, quoteToken } from './decode';
import { parseDocuments } from './yaml-parse';
import { helmTemplateMarker, sourceComment } from './helm';
import { OversizedDocument, blankOversizedDocuments } from './oversize';
import { DEFAULT_MAX_DOCUMENT_SIZE, emptyResult, manifest, type LoadResult, type LoadTextOptions, type Report } from './load';

/** Loads the documents of `text` through the `yaml` package into `result`; `report` adds a finding in `file`. */
export function loadWithYaml(text: string, file: string, options: LoadTextOptions, result: LoadResult, report: Report): LoadResult {
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


/** Line starts counted from the text itself (the parser's own count can miss a line break after a syntax error). */
function countLines(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
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

