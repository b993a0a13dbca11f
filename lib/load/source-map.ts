/**
 * Positions of nodes in YAML source. Documents are not kept in memory after loading: the first `locate` of a
 * document parses that document's slice of the file again (only documents with findings pay for it).
 */
import { Document, LineCounter, Node, Pair, YAMLMap, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Path, Position } from '../core/types';
import { parseFirstDocument } from './yaml-parse';
import { plainKeyText } from './decode';
import { FastDocument, offsetInDocument } from './fast-parse';

/** Where one YAML document lies in its file. */
export interface DocumentSource {
  readonly text: string;
  readonly lines: LineCounter;
  readonly start: number;
  readonly end: number;
}

/** The 1-based position of an offset in the file. */
export function positionAt(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return line === 0 ? { line: 1, column: offset + 1 } : { line, column: col };
}

/** The key text of a pair as a Kubernetes object would spell it (`true` for an unquoted `on:` key in YAML 1.1). */
export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return typeof key.value === 'string' && key.type === 'PLAIN' && !key.tag ? plainKeyText(key.value) : String(key.value);
  return key === null || key === undefined ? undefined : String(key);
}

/** The last pair of a mapping with this key: the one whose value Kubernetes keeps. */
function lastPairWithKey(map: YAMLMap, key: string): Pair | undefined {
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i];
    if (keyText(pair) === key) return pair;
  }
  return undefined;
}

function startOf(node: unknown): number | undefined {
  return node instanceof Object && 'range' in node ? (node as Node).range?.[0] : undefined;
}

/**
 * The offset (relative to `root`'s document) of the key of the deepest node along `path` that exists; for an
 * array element, the element's start; if even the first step is missing, the start of `root`.
 */
export function offsetOfPath(doc: Document, root: unknown, path: Path): number {
  let node: unknown = root;
  let offset = startOf(root) ?? 0;
  for (const step of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = lastPairWithKey(node, String(step));
      const keyStart = startOf(pair?.key);
      if (pair === undefined || keyStart === undefined) break;
      offset = keyStart;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      const itemStart = startOf(item);
      if (itemStart === undefined) break;
      offset = itemStart;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

/** The items of a `kind: List` share one parse of their document (10,000 items must not parse it 10,000 times). */
const parses = new WeakMap<DocumentSource, Document>();

function sharedParse(source: DocumentSource): Document {
  let doc = parses.get(source);
  if (doc === undefined) {
    doc = parseFirstDocument(source.text.slice(source.start, source.end)) ?? new Document();
    parses.set(source, doc);
  }
  return doc;
}

/**
 * A `locate` function for a document, or for item `listItem` of a `kind: List` document.
 * The document is parsed again on first use and kept for later calls.
 */
export function documentLocator(source: DocumentSource, listItem?: number): (path: Path) => Position {
  let parsed: { doc: Document; root: unknown } | undefined;
  const parse = (): { doc: Document; root: unknown } => {
    const doc = sharedParse(source);
    const root = listItem === undefined ? doc.contents : itemOfList(doc, listItem);
    return { doc, root };
  };
  return (path) => {
    parsed ??= parse();
    return positionAt(source.lines, source.start + offsetOfPath(parsed.doc, parsed.root, path));
  };
}

/** Item `index` of a `kind: List` document, or of a block sequence of List items (a chunk of a large List). */
function itemOfList(doc: Document, index: number): unknown {
  const items = isMap(doc.contents) ? doc.contents.get('items', true) : doc.contents;
  return isSeq(items) ? items.items[index] : doc.contents;
}

/** A LineCounter over line starts the fast pass recorded (the same figures the `yaml` parser would record). */
export function lineCounter(lineStarts: readonly number[]): LineCounter {
  const lines = new LineCounter();
  for (const start of lineStarts) lines.lineStarts.push(start);
  return lines;
}

/** A `locate` function over the positions the fast pass kept: no second parse, no tree held. */
export function fastLocator(doc: FastDocument, lines: LineCounter): (path: Path) => Position {
  return (path) => positionAt(lines, offsetInDocument(doc, path));
}
