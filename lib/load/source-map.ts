/**
 * Positions of nodes in YAML source, taken from the parse that read the document (DocumentPositions): documents
 * are neither kept in memory after loading nor parsed again.
 */
import { Document, Node, Pair, YAMLMap, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Path, Position } from '../core/types';
import { plainKeyText } from './plain-key';
import { positionAt, type Lines } from './positions';

export { fastLocator, lineCounter, positionAt } from './positions';

/** Where one YAML document lies: the text parsed, its lines in the file, the document's first offset in that text. */
export interface DocumentSource {
  readonly text: string;
  readonly lines: Lines;
  readonly start: number;
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

/** Where the keys (by key text, the last pair winning) or items of a collection start, and what lies below each. */
type Located = ReadonlyMap<string, Slot> | ReadonlyArray<Slot> | null;
interface Slot {
  /** Offset of the key, or of the list item; undefined where the parse has none (offsetOfPath stops there). */
  readonly offset: number | undefined;
  readonly below: Located;
}

/**
 * The positions of a parsed document, kept so that `locate` never parses again and the document itself (tens of
 * bytes per byte of YAML) is not held: a small tree of offsets with offsetOfPath's answers (aliases resolved to
 * the anchor defined last before them, as the `yaml` package resolves them).
 */
export class DocumentPositions {
  private readonly located = new Map<unknown, Located>();
  private readonly anchors = new Map<string, unknown>();

  constructor(doc: Document) {
    this.of(doc.contents);
  }

  /** A `locate` over `root` (the document's contents, or one item of a `kind: List`), with offsets in `lines`. */
  locator(root: unknown, lines: Lines): (path: Path) => Position {
    const rootOffset = startOf(root) ?? 0;
    const rootLocated = this.of(root);
    return (path) => {
      let located = rootLocated;
      let offset = rootOffset;
      for (const step of path) {
        let slot: Slot | undefined;
        if (located instanceof Map) slot = located.get(String(step));
        else if (Array.isArray(located) && typeof step === 'number') slot = (located as ReadonlyArray<Slot>)[step];
        if (slot?.offset === undefined) break;
        offset = slot.offset;
        located = slot.below;
      }
      return positionAt(lines, offset);
    };
  }

  /** Walks the document in the `yaml` package's visiting order (keys before values), so anchors resolve as its aliases do. */
  private of(node: unknown): Located {
    if (isAlias(node)) return this.of(this.anchors.get(node.source));
    if (node === null || node === undefined) return null;
    const known = this.located.get(node);
    if (known !== undefined) return known;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, node);
    if (isMap(node)) {
      const keys = new Map<string, Slot>();
      this.located.set(node, keys);
      for (const pair of node.items) {
        this.of(pair.key);
        const key = keyText(pair);
        const slot = { offset: startOf(pair.key), below: this.of(pair.value) };
        if (key !== undefined) keys.set(key, slot);
      }
      return keys;
    }
    if (isSeq(node)) {
      const items: Slot[] = [];
      this.located.set(node, items);
      for (const item of node.items) items.push({ offset: startOf(item), below: this.of(item) });
      return items;
    }
    return null;
  }
}

/** Item `index` of a `kind: List` document, or of a block sequence of List items (a chunk of a large List). */
export function itemOfList(doc: Document, index: number): unknown {
  const items = isMap(doc.contents) ? doc.contents.get('items', true) : doc.contents;
  return isSeq(items) ? items.items[index] : doc.contents;
}
