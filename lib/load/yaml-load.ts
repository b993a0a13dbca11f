/**
 * The `yaml` path of the loader: files the fast first pass (fast-parse.ts) does not read go through the `yaml`
 * package (yaml-parse.ts, decode.ts), which reports what is wrong with them. Loaded on first use, so that a run
 * whose files the fast pass reads never loads the `yaml` package.
 */
import { Document, LineCounter, Node, isMap, isScalar, isSeq } from 'yaml';
import { findDuplicateKeys } from './duplicate-keys';
import { objectRef } from '../core/object-ref';
import { DocumentPositions, DocumentSource, itemOfList, offsetOfPath } from './source-map';
import { fastLocator, lineCounter, positionAt, type Lines } from './positions';
import { fastParse, recordTokens, type DocumentRegion } from './fast-parse';
import type { KubeObject, Manifest } from '../core/types';
import { DecodeError, anchorsOf, decodeDocument, decodeNode, quoteToken } from './decode';
import { parseDocuments, parseFirstDocument } from './yaml-parse';
import { hasSourceComments, helmTemplateMarker, onlyTemplateActions, sourceComment } from './helm';
import { ListItem, OversizedDocument, splitOversizedDocuments } from './oversize';
import { DEFAULT_MAX_DOCUMENT_SIZE, emptyResult, manifest, type LoadResult, type LoadTextOptions, type Report } from './load';

/** Loads the documents of `text` through the `yaml` package into `result`; `report` adds a finding in `file`. */
export function loadWithYaml(text: string, file: string, options: LoadTextOptions, result: LoadResult, report: Report): LoadResult {
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
      const listSource = { text: parseable, lines: parsedLines, start: 0 };
      if (!loadListItems(listSource, listIndex, file, result, report)) syntaxError = true;
      continue;
    }
    listIndex = -1;
    for (const doc of parseDocuments(parseable)) {
      const source: DocumentSource = { text: parseable, lines: parsedLines, start: doc.range[0] };
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

/**
 * One document the fast pass left to this path (see fast-parse.ts `fallbacks`): its region of the file parsed
 * alone, which the `yaml` package reads as it reads that document in the whole file. `earlierAnchors` holds the
 * anchors of the file's earlier documents and gains this one's.
 */
export function loadYamlDocument(
  text: string,
  region: DocumentRegion,
  file: string,
  lines: Lines,
  result: LoadResult,
  report: Report,
  earlierAnchors: Set<string>,
): void {
  const parseable = text.slice(region.start, region.end);
  const doc = parseFirstDocument(parseable);
  if (doc === undefined) return;
  const source: DocumentSource = { text: parseable, lines: shiftedLines(lines, region.start), start: doc.range[0] };
  loadDocument(doc, source, region.index, { file }, result, report, earlierAnchors);
  for (const anchor of anchorsOf(doc)) earlierAnchors.add(anchor);
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
function shiftedLines(lines: Lines, by: number): Lines {
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
  lines: Lines,
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
    // The `yaml` path reports the repeated keys of a List's items.
    if (doc.duplicates !== undefined) return false;
    recordTokens(doc);
    read.push(manifest(file, docIndex, doc.object as KubeObject, fastLocator(doc, mappedLines(lineCounter(fast.lineStarts), lines.linePos(item.start).line, shift))));
  }
  for (const item of read) result.manifests.push(item);
  return true;
}

/** Lines of an item read apart (see loadListItemsFast) → the file's: `firstLine` is the item's line, `shift` its indentation. */
function mappedLines(itemLines: Lines, firstLine: number, shift: number): Lines {
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
  const positions = new DocumentPositions(doc);
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
      result.manifests.push(manifest(file, docIndex, item as KubeObject, positions.locator(itemOfList(doc, index), source.lines)));
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
  const positions = new DocumentPositions(doc);
  if (isList(object)) {
    object.items.forEach((item, index) => {
      if (item instanceof Object && !Array.isArray(item)) {
        result.manifests.push(manifest(file, docIndex, item as KubeObject, positions.locator(itemOfList(doc, index), source.lines), template));
      } else {
        const { line, column } = at(offsetOfPath(doc, doc.contents, ['items', index]));
        report('schema', line, column, `items[${index}] of the ${ref.kind} is ${describe(item)}, not a Kubernetes object`, ref);
      }
    });
    return;
  }
  result.manifests.push(manifest(file, docIndex, object, positions.locator(doc.contents, source.lines), template));
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
  const said = first.replace(/ at line \d+, column \d+:?$/, '');
  const plain = PLAIN_WORDS.find(([codes, start]) => codes.includes(code) && said.startsWith(start))?.[2];
  return `invalid YAML: ${said}${plain === undefined ? '' : ` (${plain})`}`;
}

/** What the `yaml` package's terms mean in a manifest, for its most common errors: [codes, message start, words]. */
const PLAIN_WORDS: readonly (readonly [readonly string[], string, string])[] = [
  [
    ['MULTILINE_IMPLICIT_KEY', 'MISSING_CHAR'],
    'Implicit',
    'a line inside a mapping is not `key: value`: a key lacks its colon, or stray text is left in the file',
  ],
  [
    ['BLOCK_AS_IMPLICIT_KEY'],
    'Nested mappings',
    'a value reads as `key: value`: quote it if it is one string (`command: "echo a: b"`), or indent the line as its ' +
      'sibling keys if it is a key of its own',
  ],
];

