/**
 * The fast first pass of the loader: a reader for the plain block YAML that Kubernetes manifests are written in
 * (block mappings and sequences, plain and one-line quoted scalars, `|` literal blocks, one-line flow
 * collections, comments), about six times faster than composing `yaml` documents. It builds the JavaScript values
 * and, in the same pass, where every key and list item starts, so positions never need a second parse.
 *
 * It reads a document only when it can read it exactly as the `yaml` path (yaml-parse.ts and decode.ts, which
 * follow Kubernetes' reader) would: plain scalars are resolved by that path's resolver (resolve.ts), keys by its
 * key rule, repeated keys are reported in that path's words (duplicate-key-message.ts), and the tokens it records
 * for messages are recorded too. Anything else (anchors, aliases, tags, merge keys, null keys, multi-line plain or
 * quoted scalars, folded blocks, tabs in indentation, syntax errors, `.inf`, lists of objects, documents that are
 * no Kubernetes object...) makes it give that document up to the `yaml` path; what concerns the whole file
 * (directives, `...`, CR line ends, a byte order mark) gives the whole file up (`undefined`). A differential test
 * (test/unit/load/fast-parse.test.ts) holds the two paths to the same values, findings and positions.
 */
import { unshared } from '../core/text';
import { recordToken } from '../core/tokens';
import { plainKeyText } from './plain-key';
import { isPlainString, isWordStart, resolveScalar } from './resolve';
import { KEPT_LIST, KEPT_MAPPING, describeKeptScalar, duplicateKeyMessage } from './duplicate-key-message';

/** One non-empty document the fast pass read. */
export interface FastDocument {
  /** 0-based index of the document in its file, counting empty documents as the `yaml` path does. */
  readonly index: number;
  readonly object: Record<string, unknown>;
  /** Offset of the first key (where an empty path points). */
  readonly rootOffset: number;
  /** Offsets of every mapping key and list item, in document order (see offsetInDocument). */
  readonly slots: Int32Array;
  /**
   * The text of plain scalars YAML read as something else (`0644` → 420), as [slot of the value, text]: the
   * loader records them as decode.ts does (core/tokens.ts) once the document is on the thread that lints it.
   */
  readonly tokens: ReadonlyArray<readonly [number, string]>;
  /** Keys that repeat an earlier key of their mapping, by offset, worded as duplicate-keys.ts words them. */
  readonly duplicates?: ReadonlyArray<{ readonly offset: number; readonly message: string }>;
}

/**
 * A document the fast pass did not read, for the `yaml` path: text[start, end) holds it as the whole file does,
 * from its `---` line (the file's start for the first) through the `---` line that ends it, if any.
 */
export interface DocumentRegion {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export interface FastFile {
  readonly documents: readonly FastDocument[];
  /** Documents only the `yaml` path reads (only with `perDocument`), in order; the rest of the file is read. */
  readonly fallbacks: readonly DocumentRegion[];
  /** Offsets where lines start (the first is 0), as `yaml`'s LineCounter records them. */
  readonly lineStarts: Int32Array;
}

/** Thrown inside the reader when the input needs the `yaml` path; never escapes this module. */
const GIVE_UP: unique symbol = Symbol('give up');

/** Deeper than this, the `yaml` path (with its depth checks) decides. */
const MAX_DEPTH = 64;
/**
 * More repeated keys than this in a document go to the `yaml` path, which finds them in linear time (each repeat
 * moves the slots of its mapping here, so 100,000 repeats would take quadratic time).
 */
const MAX_REPEATS = 64;

/** A plain scalar's value, as decode.ts resolves it; what that path reports or refuses goes to that path. */
function resolvePlain(source: string): unknown {
  if (isPlainString(source)) return source;
  const resolution = resolveScalar(source, true, '');
  if ('error' in resolution) throw GIVE_UP;
  const { value } = resolution.resolved;
  if (typeof value === 'number' && !Number.isFinite(value)) throw GIVE_UP;
  return value;
}

/** A plain key's JSON key, as decode.ts spells it; a null key is refused there. */
function plainKey(source: string): string {
  if (source === '<<') throw GIVE_UP;
  const value = resolvePlain(source);
  if (value === null) throw GIVE_UP;
  return typeof value === 'string' ? value : plainKeyText(source);
}

/**
 * A key JavaScript orders before the others (`0`, `42`) gives the document to the `yaml` path: the positions kept
 * in slots follow the order of the object's keys (offsetInDocument), which would then not be document order.
 */
function refuseIndexKey(key: string): string {
  const c = key.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39 && /^\d+$/.test(key)) throw GIVE_UP;
  return key;
}

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/**
 * Reads `text`, or returns undefined when the `yaml` path must read it. With `perDocument`, a document the fast
 * pass cannot read is left to that path alone (`fallbacks`); what concerns the whole file (a byte order mark, CR
 * line ends, directives, `...`, a `---` line with content) still gives the whole file up, and so does a file of
 * which the fast pass reads no document.
 */
export function fastParse(text: string, perDocument = false): FastFile | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes('\r')) return undefined;
  try {
    return new Reader(text, perDocument).read();
  } catch (error) {
    if (isGiveUp(error)) return undefined;
    throw error;
  }
}

function isGiveUp(error: unknown): boolean {
  return error === GIVE_UP || error instanceof RangeError;
}

/** A document's lines [first, endLine), and its region of the text. */
interface DocumentLines extends DocumentRegion {
  readonly first: number;
  readonly endLine: number;
}

/** Repeated keys of one mapping: each repeat, and how the last value of each repeated key reads. */
interface Repeats {
  readonly keys: Array<{ readonly key: string; readonly offset: number }>;
  readonly kept: Map<string, string>;
}

class Reader {
  /** Where each line starts, and after the last line, where a line after it would start (text.length + 1). */
  private readonly starts: Int32Array;
  private readonly lineCount: number;
  /** The spaces that open each line, counted once. */
  private readonly indents: Int32Array;
  private readonly slots = new OffsetList();
  private tokens: Array<readonly [number, string]> = [];
  private duplicates: Array<{ offset: number; message: string }> = [];
  private repeats = 0;
  private depth = 0;
  /** The line after the last line of the current document. */
  private end = 0;
  /**
   * The line after the value the last block reader (mapping, sequence, valueAfter, inline...) read, which returns
   * the value itself: a returned pair per value would be an allocation per scalar.
   */
  private next = 0;
  /** The offset after the `:` of the key key() read last. */
  private after = 0;
  /** The token of the scalar plain() read last, until the mapping or list that holds the scalar records it. */
  private token: string | undefined;

  constructor(
    private readonly text: string,
    private readonly perDocument: boolean,
  ) {
    const lines = new LineTable(text);
    this.starts = lines.starts;
    this.indents = lines.indents;
    this.lineCount = lines.count;
  }

  read(): FastFile {
    const documents: FastDocument[] = [];
    const fallbacks: DocumentRegion[] = [];
    for (const region of this.documentLines()) {
      try {
        const doc = this.document(region.first, region.endLine, region.index);
        if (doc) documents.push(doc);
      } catch (error) {
        if (!this.perDocument || !isGiveUp(error) || this.opensWithStrayToken(region.first, region.endLine)) throw error;
        fallbacks.push({ index: region.index, start: region.start, end: region.end });
      }
    }
    if (documents.length === 0 && fallbacks.length > 0) throw GIVE_UP;
    // A copy: the line starts live as long as the file's findings may need them, the table only while reading.
    return { documents, fallbacks, lineStarts: this.starts.slice(0, this.lineCount) };
  }

  /**
   * The file's documents, each with its lines [first, endLine). Found before any is read: a loop over every line
   * that also read documents would make V8 compile the whole reader into it.
   */
  private documentLines(): DocumentLines[] {
    const found: DocumentLines[] = [];
    const { text, lineCount } = this;
    // A document begins at a `---` line, or at its first content line when none is open.
    let open = false;
    let first = 0;
    let regionStart = 0;
    for (let line = 0; line < lineCount; line++) {
      const start = this.starts[line];
      const c = start < text.length ? text.charCodeAt(start) : -1;
      if (c === DASH && text.startsWith('---', start)) {
        if (!this.isMarkerLine(line)) throw GIVE_UP;
        if (open) {
          found.push({ index: found.length, first, endLine: line, start: regionStart, end: this.lineEnd(line) });
          regionStart = start;
        }
        open = true;
        first = line + 1;
        continue;
      }
      if (c === 0x2e /* . */ && text.startsWith('...', start)) throw GIVE_UP;
      if (c === 0x25 /* % */) throw GIVE_UP;
      if (!open && !this.isBlank(line)) {
        open = true;
        first = line;
      }
    }
    if (open) found.push({ index: found.length, first, endLine: lineCount, start: regionStart, end: text.length });
    return found;
  }

  /**
   * Whether the document on lines [first, endLine) opens with `,`, `]` or `}` (perhaps after an anchor or tag):
   * the `yaml` package charges that error to the document before, so only the whole file reads as it does.
   */
  private opensWithStrayToken(first: number, endLine: number): boolean {
    for (let line = first; line < endLine; line++) {
      const end = this.lineEnd(line);
      let i = this.starts[line];
      while (i < end && isWhite(this.text.charCodeAt(i))) i++;
      if (i === end || this.text.charCodeAt(i) === HASH) continue;
      return ',]}&!'.includes(this.text[i]);
    }
    return false;
  }

  /** `---` alone on its line, or followed by a comment. */
  private isMarkerLine(line: number): boolean {
    let i = this.starts[line] + 3;
    const end = this.lineEnd(line);
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    return i === end || (this.text.charCodeAt(i) === HASH && i > this.starts[line] + 3);
  }

  private document(first: number, endLine: number, index: number): FastDocument | undefined {
    this.end = endLine;
    const line = this.nextContent(first);
    if (line >= endLine) return undefined;
    if (this.indentOf(line) !== 0) throw GIVE_UP;
    this.slots.clear();
    this.tokens = [];
    this.duplicates = [];
    this.repeats = 0;
    this.depth = 0;
    this.token = undefined;
    const start = this.starts[line];
    const value = this.mapping(line, start, 0);
    if (this.nextContent(this.next) < endLine) throw GIVE_UP;
    if (isListObject(value) || isNotKubernetes(value)) throw GIVE_UP;
    if (this.tokens.length > 0) recordedHere.add(value);
    const doc = { index, object: value, rootOffset: start, slots: this.slots.toArray(), tokens: this.tokens };
    if (this.duplicates.length === 0) return doc;
    return { ...doc, duplicates: this.duplicates.sort((a, b) => a.offset - b.offset) };
  }

  private lineEnd(line: number): number {
    return this.starts[line + 1] - 1;
  }

  /** Spaces at the start of the line; a tab in the indentation gives the file to the `yaml` path. */
  private indentOf(line: number): number {
    const indent = this.indents[line];
    if (this.text.charCodeAt(this.starts[line] + indent) === 0x09) throw GIVE_UP;
    return indent;
  }

  /** Only spaces, or a comment. */
  private isBlank(line: number): boolean {
    const i = this.starts[line] + this.indents[line];
    if (i === this.lineEnd(line)) return true;
    const c = this.text.charCodeAt(i);
    if (c === 0x09) throw GIVE_UP;
    return c === HASH;
  }

  /** The first line at or after `line` (within the document) that is not blank or a comment. */
  private nextContent(line: number): number {
    while (line < this.end && this.isBlank(line)) line++;
    return line;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
  }

  /** A block mapping whose first key starts at offset `at` of `line`; its keys are at column `indent`. */
  private mapping(line: number, at: number, indent: number): Record<string, unknown> {
    this.enter();
    const value: Record<string, unknown> = {};
    const firstSlot = this.slots.length;
    let repeats: Repeats | undefined;
    let next: number;
    for (;;) {
      const key = this.key(at, this.lineEnd(line));
      if (key === undefined) throw GIVE_UP;
      const after = this.after;
      const entrySlot = this.slots.length;
      this.slots.push(at);
      const entry = this.valueAfter(line, after, indent);
      if (value[key] === undefined) value[key] = entry;
      else {
        this.replaceValue(value, key, entry, firstSlot, entrySlot);
        repeats = this.repeated(repeats, key, at, this.describeValue(line, after, entry));
      }
      if (this.token !== undefined) this.keepToken(value, key);
      next = this.nextContent(this.next);
      if (next >= this.end) break;
      const nextIndent = this.indentOf(next);
      if (nextIndent < indent) break;
      if (nextIndent > indent) throw GIVE_UP;
      line = next;
      at = this.starts[line] + indent;
      if (this.isSequenceEntry(at, this.lineEnd(line))) break;
    }
    if (repeats !== undefined) this.reportRepeats(repeats);
    this.depth--;
    this.next = next;
    return value;
  }

  // Repeated keys are rare: their bookkeeping stays out of mapping(), which V8 would otherwise compile again on
  // meeting the first one.

  /** `repeats` (created on the first repeat) with the key at `offset` and how its value, now the kept one, reads. */
  private repeated(repeats: Repeats | undefined, key: string, offset: number, kept: string): Repeats {
    const all: Repeats = repeats ?? { keys: [], kept: new Map() };
    all.keys.push({ key, offset });
    all.kept.set(key, kept);
    return all;
  }

  private reportRepeats(repeats: Repeats): void {
    for (const { key, offset } of repeats.keys) this.duplicates.push({ offset, message: duplicateKeyMessage(key, repeats.kept.get(key)!) });
  }

  /**
   * A key met again in the mapping whose slots start at `firstSlot`, its new entry's slots from `entrySlot` on.
   * As in the `yaml` path, the last value wins at the place of the first key, and positions are the last key's:
   * the new entry's slots replace the old entry's. The token of the old value stays on the key unless the new
   * value has one (decode.ts records a token but never clears one).
   */
  private replaceValue(map: Record<string, unknown>, key: string, value: unknown, firstSlot: number, entrySlot: number): void {
    // A name Object.prototype holds (`constructor`): the `yaml` path stores it as an own property.
    if (!Object.hasOwn(map, key) || ++this.repeats > MAX_REPEATS) throw GIVE_UP;
    let from = firstSlot;
    for (const k of Object.keys(map)) {
      if (k === key) break;
      from += 1 + slotCount(map[k]);
    }
    const to = from + 1 + slotCount(map[key]);
    const moved = this.slots.slice(entrySlot, this.slots.length);
    const between = this.slots.slice(to, entrySlot);
    this.slots.length = from;
    this.slots.pushAll(moved);
    this.slots.pushAll(between);
    const shift = moved.length - (to - from);
    const tokens: Array<readonly [number, string]> = [];
    for (const token of this.tokens) {
      const slot = token[0];
      if (slot <= from) tokens.push(token);
      else if (slot >= entrySlot) tokens.push([slot - entrySlot + from, token[1]]);
      else if (slot >= to) tokens.push([slot + shift, token[1]]);
    }
    this.tokens = tokens;
    map[key] = value;
  }

  /** How the value after a key's `:` at offset `at` of `line` reads in a duplicate-key message. */
  private describeValue(line: number, at: number, value: unknown): string {
    if (Array.isArray(value)) return KEPT_LIST;
    if (value !== null && typeof value === 'object') return KEPT_MAPPING;
    const end = this.lineEnd(line);
    const i = this.skipSpaces(at, end);
    const c = this.text.charCodeAt(i);
    if (i === end || c === HASH) return describeKeptScalar('', true);
    if (c === 0x22 || c === 0x27 || c === 0x7c) return describeKeptScalar(value as string, false);
    return describeKeptScalar(this.text.slice(i, this.plainEnd(i, end)), true);
  }

  /** The value after a key's `:` at offset `at` of `line`; `indent` is the key's column. */
  private valueAfter(line: number, at: number, indent: number): unknown {
    const end = this.lineEnd(line);
    let i = at;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i < end && this.text.charCodeAt(i) === 0x09) throw GIVE_UP;
    if (i === end || this.text.charCodeAt(i) === HASH) {
      // On the following lines: a nested block, an indentless sequence, or nothing (null).
      const next = this.nextContent(line + 1);
      if (next < this.end) {
        const nextIndent = this.indentOf(next);
        const start = this.starts[next] + nextIndent;
        if (nextIndent > indent) return this.block(next, nextIndent);
        if (nextIndent === indent && this.isSequenceEntry(start, this.lineEnd(next))) return this.sequence(next, indent);
      }
      this.next = line + 1;
      return null;
    }
    return this.inline(line, i, indent);
  }

  /** A block mapping or sequence starting at the first content of `line`, at column `indent`. */
  private block(line: number, indent: number): unknown {
    const at = this.starts[line] + indent;
    if (this.isSequenceEntry(at, this.lineEnd(line))) return this.sequence(line, indent);
    return this.mapping(line, at, indent);
  }

  private isSequenceEntry(at: number, end: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === end || isWhite(this.text.charCodeAt(at + 1));
  }

  /** A block sequence whose `-` are at column `indent`, the first on `line`. */
  private sequence(line: number, indent: number): unknown[] {
    this.enter();
    const value: unknown[] = [];
    for (;;) {
      const end = this.lineEnd(line);
      let i = this.starts[line] + indent + 1;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      if (this.text.charCodeAt(i) === 0x09) throw GIVE_UP;
      const slot = this.slots.length;
      this.slots.push(i);
      let item: unknown;
      if (i === end || this.text.charCodeAt(i) === HASH) {
        const next = this.nextContent(line + 1);
        if (next >= this.end || this.indentOf(next) <= indent) throw GIVE_UP; // a null item
        const nextIndent = this.indentOf(next);
        this.slots.set(slot, this.starts[next] + nextIndent);
        item = this.block(next, nextIndent);
      } else if (this.isSequenceEntry(i, end)) {
        throw GIVE_UP; // `- - a`
      } else if (this.key(i, end) !== undefined) {
        item = this.mapping(line, i, i - this.starts[line]);
      } else {
        item = this.inline(line, i, indent);
      }
      value.push(item);
      if (this.token !== undefined) this.keepToken(value, value.length - 1);
      const next = this.nextContent(this.next);
      this.next = next;
      if (next >= this.end) {
        this.depth--;
        return value;
      }
      const nextIndent = this.indentOf(next);
      if (nextIndent > indent) throw GIVE_UP;
      if (nextIndent < indent || !this.isSequenceEntry(this.starts[next] + indent, this.lineEnd(next))) {
        this.depth--;
        return value;
      }
      line = next;
    }
  }

  /**
   * A key at offset `at` (up to `end`, the end of its line): a plain scalar that resolves to a string or a one-line
   * quoted scalar, then `:` and a space or the end of the line; key() leaves the offset after the `:` in `after`.
   * Undefined when the line holds no key.
   */
  private key(at: number, end: number): string | undefined {
    const c = this.text.charCodeAt(at);
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      const quoted = this.quoted(at, end);
      if (quoted === undefined) return undefined;
      let i = quoted.after;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      if (this.text.charCodeAt(i) !== COLON || !(i + 1 === end || this.text.charCodeAt(i + 1) === SPACE)) return undefined;
      if (i - at > MAX_IMPLICIT_KEY) throw GIVE_UP;
      this.after = i + 1;
      return refuseIndexKey(quoted.value);
    }
    if (!startsPlain(this.text, at, end)) return undefined;
    let hash = 0;
    for (let i = at; i < end; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === HASH && isWhite(this.text.charCodeAt(i - 1))) return undefined;
      if (ch === COLON && (i + 1 === end || isWhite(this.text.charCodeAt(i + 1)))) {
        if (i - at > MAX_IMPLICIT_KEY) throw GIVE_UP;
        this.after = i + 1;
        let last = i;
        while (last > at && isWhite(this.text.charCodeAt(last - 1))) last--;
        return last === i ? PLAIN_KEYS.key(this.text, at, i, hash) : readPlainKey(this.text.slice(at, last));
      }
      hash = ((hash << 5) - hash + ch) | 0;
    }
    return undefined;
  }

  /** A scalar or flow collection starting at offset `at` of `line`, within a block at column `indent`. */
  private inline(line: number, at: number, indent: number): unknown {
    const end = this.lineEnd(line);
    const c = this.text.charCodeAt(at);
    if (c === 0x7c /* | */) return this.literal(line, at, indent);
    this.next = line + 1;
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      const flow = this.flow(at, end);
      this.expectLineEnd(flow.after, end);
      return flow.value;
    }
    if (c === 0x22 || c === 0x27) {
      const quoted = this.quoted(at, end);
      if (quoted === undefined) throw GIVE_UP;
      this.expectLineEnd(quoted.after, end);
      return quoted.value;
    }
    if (!startsPlain(this.text, at, end)) throw GIVE_UP;
    return this.plainAt(at, this.plainEnd(at, end));
  }

  /** Where a one-line plain scalar starting at `at` ends: before a comment and trailing white space. */
  private plainEnd(at: number, end: number): number {
    let last = end;
    for (let i = at; i < end; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === HASH && isWhite(this.text.charCodeAt(i - 1))) {
        last = i;
        break;
      }
      // `a: b: c` is an error, `a: b:` a plain scalar `yaml` reads differently: both go to the `yaml` path.
      if (ch === COLON && (i + 1 === end || isWhite(this.text.charCodeAt(i + 1)))) throw GIVE_UP;
    }
    while (last > at && isWhite(this.text.charCodeAt(last - 1))) last--;
    return last;
  }

  /** Only spaces or a comment may follow a value on its line. */
  private expectLineEnd(at: number, end: number): void {
    let i = at;
    while (i < end && isWhite(this.text.charCodeAt(i))) i++;
    if (i === end) return;
    if (this.text.charCodeAt(i) !== HASH || i === at) throw GIVE_UP;
  }

  /** A one-line quoted scalar at `at`; undefined when it does not close on its line. */
  private quoted(at: number, end: number): { value: string; after: number } | undefined {
    const quote = this.text.charCodeAt(at);
    if (quote === 0x27) {
      let value = '';
      let from = at + 1;
      for (;;) {
        const close = this.text.indexOf("'", from);
        if (close === -1 || close >= end) return undefined;
        value += this.text.slice(from, close);
        if (this.text.charCodeAt(close + 1) !== 0x27) return { value: unshared(value), after: close + 1 };
        value += "'";
        from = close + 2;
      }
    }
    let value = '';
    let from = at + 1;
    for (let i = from; i < end; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 0x22) return { value: unshared(value + this.text.slice(from, i)), after: i + 1 };
      if (ch === 0x5c /* \ */) {
        value += this.text.slice(from, i);
        const escaped = ESCAPES[this.text[i + 1]];
        if (escaped !== undefined) {
          value += escaped;
          i++;
        } else if (this.text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(i + 2, i + 6))) {
          const code = parseInt(this.text.slice(i + 2, i + 6), 16);
          if (code >= 0xd800 && code <= 0xdfff) throw GIVE_UP;
          value += String.fromCharCode(code);
          i += 5;
        } else {
          throw GIVE_UP;
        }
        from = i + 1;
      }
    }
    return undefined;
  }

  /** A `|`, `|-` literal block scalar whose header is at `at` of `line`, in a block at column `indent`. */
  private literal(line: number, at: number, indent: number): string {
    const end = this.lineEnd(line);
    let i = at + 1;
    const strip = this.text.charCodeAt(i) === DASH;
    if (strip) i++;
    this.expectLineEnd(i, end);
    const first = line + 1;
    if (first >= this.end || this.isWhitespaceOnly(first)) throw GIVE_UP;
    const contentIndent = this.spacesAt(first);
    if (contentIndent <= indent) throw GIVE_UP;
    const lines: string[] = [];
    let next = first;
    let lastContent = first;
    for (; next < this.end; next++) {
      const start = this.starts[next];
      const lineEnd = this.lineEnd(next);
      if (this.isWhitespaceOnly(next)) {
        if (lineEnd - start > contentIndent) throw GIVE_UP;
        lines.push('');
        continue;
      }
      if (this.spacesAt(next) < contentIndent) break;
      lines.push(this.text.slice(start + contentIndent, lineEnd));
      lastContent = next;
    }
    lines.length = lastContent - first + 1;
    const body = lines.join('\n');
    this.next = next;
    return unshared(strip ? body : `${body}\n`);
  }

  private spacesAt(line: number): number {
    return this.indents[line];
  }

  private isWhitespaceOnly(line: number): boolean {
    return this.starts[line] + this.indents[line] === this.lineEnd(line);
  }

  /** A flow sequence or mapping that closes on its line: `[a, "b"]`, `{cpu: 1, memory: 2Gi}`. */
  private flow(at: number, end: number): { value: unknown; after: number } {
    this.enter();
    const isMap = this.text.charCodeAt(at) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const value: Record<string, unknown> | unknown[] = isMap ? {} : [];
    let i = this.skipSpaces(at + 1, end);
    if (this.text.charCodeAt(i) === close) {
      this.depth--;
      return { value, after: i + 1 };
    }
    for (;;) {
      if (isMap) {
        const key = this.flowScalar(i, end, true);
        if (typeof key.value !== 'string') throw GIVE_UP;
        this.slots.push(i);
        i = this.skipSpaces(key.after, end);
        if (this.text.charCodeAt(i) !== COLON || this.text.charCodeAt(i + 1) !== SPACE) throw GIVE_UP;
        i = this.skipSpaces(i + 1, end);
        const item = this.flowItem(i, end);
        setKey(value as Record<string, unknown>, key.value, item.value);
        if (this.token !== undefined) this.keepToken(value, key.value);
        i = item.after;
      } else {
        this.slots.push(i);
        const item = this.flowItem(i, end);
        (value as unknown[]).push(item.value);
        if (this.token !== undefined) this.keepToken(value, (value as unknown[]).length - 1);
        i = item.after;
      }
      i = this.skipSpaces(i, end);
      const ch = this.text.charCodeAt(i);
      if (ch === close) {
        this.depth--;
        return { value, after: i + 1 };
      }
      if (ch !== 0x2c /* , */) throw GIVE_UP;
      i = this.skipSpaces(i + 1, end);
      const following = this.text.charCodeAt(i);
      if (following === close || following === 0x2c || i >= end) throw GIVE_UP;
    }
  }

  private flowItem(at: number, end: number): { value: unknown; after: number } {
    const c = this.text.charCodeAt(at);
    if (c === 0x5b || c === 0x7b) return this.flow(at, end);
    const item = this.flowScalar(at, end, false);
    // `[a: b]` is a mapping inside the sequence: the `yaml` path's business.
    const after = this.skipSpaces(item.after, end);
    if (this.text.charCodeAt(after) === COLON) throw GIVE_UP;
    return item;
  }

  /** A quoted or plain scalar inside a flow collection. */
  private flowScalar(at: number, end: number, isKey: boolean): { value: unknown; after: number } {
    const c = this.text.charCodeAt(at);
    if (c === 0x22 || c === 0x27) {
      const quoted = this.quoted(at, end);
      if (quoted === undefined) throw GIVE_UP;
      if (isKey) refuseIndexKey(quoted.value);
      return quoted;
    }
    if (!startsPlain(this.text, at, end)) throw GIVE_UP;
    let i = at;
    for (; i < end; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 0x2c || ch === 0x5b || ch === 0x5d || ch === 0x7b || ch === 0x7d) break;
      if (ch === HASH && isWhite(this.text.charCodeAt(i - 1))) throw GIVE_UP;
      if (ch === 0x09) throw GIVE_UP;
      if (ch === COLON) {
        const following = this.text.charCodeAt(i + 1);
        if (!isKey || following !== SPACE) throw GIVE_UP;
        break;
      }
    }
    let last = i;
    while (last > at && this.text.charCodeAt(last - 1) === SPACE) last--;
    if (last === at) throw GIVE_UP;
    const source = this.text.slice(at, last);
    if (isKey) return { value: refuseIndexKey(plainKey(source)), after: last };
    return { value: this.plain(unshared(source)), after: last };
  }

  /**
   * The plain scalar text[at, end): most are words (strings whatever they spell) or small decimal integers, read
   * here without a slice to resolve; the rest go through plain().
   */
  private plainAt(at: number, end: number): unknown {
    const c = this.text.charCodeAt(at);
    if (isWordStart(c)) return unshared(this.text.slice(at, end));
    if (c >= 0x31 && c <= 0x39 && end - at <= 15) {
      let n = c - 0x30;
      let i = at + 1;
      for (; i < end; i++) {
        const digit = this.text.charCodeAt(i) - 0x30;
        if (digit < 0 || digit > 9) break;
        n = n * 10 + digit;
      }
      // Up to 15 digits without a leading 0: go-yaml's int, whose text String(n) gives back, so no token.
      if (i === end) return n;
    }
    return this.plain(unshared(this.text.slice(at, end)));
  }

  /**
   * A plain scalar value; when YAML reads it as something other than its text, the text is kept for messages
   * (decode.ts's keepToken), against the slot just taken for the key or item that holds it.
   */
  private plain(source: string): unknown {
    const value = resolvePlain(source);
    if (value !== null && typeof value !== 'string' && source !== String(value)) {
      this.tokens.push([this.slots.length - 1, source]);
      this.token = source;
    }
    return value;
  }

  /**
   * Records the token plain() kept on the container that holds its scalar (core/tokens.ts), as decode.ts does; a
   * repeated key's new token replaces the old one, and without one the old stays, as there.
   */
  private keepToken(container: object, key: string | number): void {
    recordToken(container, key, this.token!);
    this.token = undefined;
  }

  private skipSpaces(at: number, end: number): number {
    let i = at;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }
}

/** The JSON key of a plain key's text, or GIVE_UP. */
function readPlainKey(source: string): string {
  return refuseIndexKey(plainKey(source));
}

/** YAML (libyaml, go-yaml and the `yaml` path alike) refuses a key whose `:` is further than this from its start. */
const MAX_IMPLICIT_KEY = 1024;

/**
 * The JSON keys of the plain keys read so far, by their text. Most keys recur (`name`, `image`, `containerPort`),
 * and a recurring key is then the string stored before, which V8 has hashed and internalised already: storing a new
 * slice of the text instead costs a string and a string-table look-up per key. A slot, chosen by a hash of the text,
 * holds the last key whose text hashed there.
 */
class PlainKeys {
  private static readonly SIZE = 4096;
  private readonly sources: string[] = new Array<string>(PlainKeys.SIZE).fill('');
  private readonly keys: string[] = new Array<string>(PlainKeys.SIZE).fill('');

  /** The key whose text is text[at, end), `hash` the text's hash. */
  key(text: string, at: number, end: number, hash: number): string {
    const slot = hash & (PlainKeys.SIZE - 1);
    const source = this.sources[slot];
    if (source.length === end - at && text.startsWith(source, at)) return this.keys[slot];
    const read = unshared(text.slice(at, end)); // kept across files, so it must not keep this file's text alive
    const key = readPlainKey(read);
    this.sources[slot] = read;
    this.keys[slot] = key;
    return key;
  }
}

const PLAIN_KEYS = new PlainKeys();

/** Where the lines of a text start and how many spaces open each, found in one pass. */
class LineTable {
  count = 0;
  /** One more than `count`: where a line after the last would start (text.length + 1). */
  starts: Int32Array;
  indents: Int32Array;

  constructor(text: string) {
    // About 30 characters a line in manifests; the arrays grow when there are more lines.
    this.starts = new Int32Array((text.length >> 4) + 2);
    this.indents = new Int32Array(this.starts.length);
    this.add(text, 0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.add(text, i + 1);
    this.starts[this.count] = text.length + 1;
  }

  private add(text: string, start: number): void {
    if (this.count + 1 === this.starts.length) this.grow();
    let i = start;
    while (i < text.length && text.charCodeAt(i) === SPACE) i++;
    this.starts[this.count] = start;
    this.indents[this.count++] = i - start;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const indents = new Int32Array(starts.length);
    indents.set(this.indents);
    this.indents = indents;
  }
}

/** Offsets in a growing Int32Array, reused from document to document. */
class OffsetList {
  private offsets = new Int32Array(1024);
  length = 0;

  push(offset: number): void {
    if (this.length === this.offsets.length) {
      const grown = new Int32Array(this.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.length++] = offset;
  }

  pushAll(offsets: Int32Array): void {
    for (let i = 0; i < offsets.length; i++) this.push(offsets[i]);
  }

  set(index: number, offset: number): void {
    this.offsets[index] = offset;
  }

  clear(): void {
    this.length = 0;
  }

  /** A copy of the offsets [from, to). */
  slice(from: number, to: number): Int32Array {
    return this.offsets.slice(from, to);
  }

  toArray(): Int32Array {
    return this.offsets.slice(0, this.length);
  }
}

function isWhite(c: number): boolean {
  return c === SPACE || c === 0x09;
}

/** Escapes of double-quoted scalars the fast pass decodes; any other goes to the `yaml` path. */
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ' };

/**
 * Whether a plain scalar may start at `at`: not with an indicator (`&`, `*`, `!`, `|`, `>`, quotes, `%`, `@`,
 * backquote, flow indicators, `#`), nor with `-`, `?` or `:` followed by white space (a tab is white space there).
 */
function startsPlain(text: string, at: number, end: number): boolean {
  if (at >= end) return false;
  const c = text.charCodeAt(at);
  if (c < 128 && NOT_PLAIN_START[c] === 1) return false;
  if (c === DASH || c === 0x3f /* ? */ || c === COLON) {
    return at + 1 < end && !isWhite(text.charCodeAt(at + 1));
  }
  return true;
}

/** The indicators no plain scalar starts with, by character code. */
const NOT_PLAIN_START = (() => {
  const table = new Uint8Array(128);
  for (const c of '&*!|>\'"%@`,[]{}#') table[c.charCodeAt(0)] = 1;
  return table;
})();

/** Sets a key of a flow mapping; a repeated key (which the `yaml` path reports) gives the document to that path. */
function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  // No value is undefined (an empty value is null), so this finds a repeated key, and also the names Object.prototype
  // holds (`constructor`, `__proto__`), which the `yaml` path stores as own properties.
  if (map[key] !== undefined) throw GIVE_UP;
  map[key] = value;
}

function isListObject(object: Record<string, unknown>): boolean {
  return typeof object.kind === 'string' && /List$/.test(object.kind) && Array.isArray(object.items);
}


/** A mapping without kind that lacks apiVersion or metadata: load.ts skips it with a note (the `yaml` path's call). */
function isNotKubernetes(object: Record<string, unknown>): boolean {
  return !Object.hasOwn(object, 'kind') && (!Object.hasOwn(object, 'apiVersion') || !Object.hasOwn(object, 'metadata'));
}

/**
 * Document objects whose tokens the reader recorded as it read them. A document that crossed threads is a copy:
 * its tokens are recorded from its slots.
 */
const recordedHere = new WeakSet<object>();

/** Records the document's tokens (core/tokens.ts) against the containers that hold the values, as decode.ts does. */
export function recordTokens(doc: FastDocument): void {
  if (doc.tokens.length === 0 || recordedHere.has(doc.object)) return;
  // A stable sort: of two tokens on one slot (a repeated key), the later one wins, as it does in decode.ts.
  new TokenWalk([...doc.tokens].sort((a, b) => a[0] - b[0])).visit(doc.object);
}

/** A walk over a document's nodes in slot order that records the wanted tokens and stops after the last one. */
class TokenWalk {
  private slot = 0;
  private next = 0;

  constructor(private readonly wanted: ReadonlyArray<readonly [number, string]>) {}

  /** Walks `node`; false once every token is recorded. */
  visit(node: unknown): boolean {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) if (!this.entry(node, i, node[i])) return false;
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) if (!this.entry(node, key, (node as Record<string, unknown>)[key])) return false;
    }
    return true;
  }

  private entry(container: object, key: string | number, value: unknown): boolean {
    const slot = this.slot++;
    while (this.wanted[this.next][0] === slot) {
      recordToken(container, key, this.wanted[this.next][1]);
      if (++this.next === this.wanted.length) return false;
    }
    return this.visit(value);
  }
}

/** Nodes of `value` that own a slot (each key and each list item, at any depth). */
function slotCount(value: unknown): number {
  if (Array.isArray(value)) {
    let n = 0;
    for (const item of value) n += 1 + slotCount(item);
    return n;
  }
  if (value !== null && typeof value === 'object') {
    let n = 0;
    for (const key of Object.keys(value)) n += 1 + slotCount((value as Record<string, unknown>)[key]);
    return n;
  }
  return 0;
}

/**
 * The offset of the key of the deepest node along `path` that exists (for a list element, the element's start),
 * else the document's start: the same answer as source-map.ts's offsetOfPath over the `yaml` document. Slots are in
 * document order, which is the objects' key order (the fast pass takes no integer-like key).
 */
export function offsetInDocument(doc: FastDocument, path: ReadonlyArray<string | number>): number {
  let node: unknown = doc.object;
  let slot = 0;
  let offset = doc.rootOffset;
  for (const step of path) {
    if (Array.isArray(node) && typeof step === 'number') {
      if (!(step >= 0 && step < node.length)) break;
      for (let i = 0; i < step; i++) slot += 1 + slotCount(node[i]);
      offset = doc.slots[slot++];
      node = node[step];
    } else if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      const key = String(step);
      if (!Object.prototype.hasOwnProperty.call(node, key)) break;
      for (const k of Object.keys(node)) {
        if (k === key) break;
        slot += 1 + slotCount((node as Record<string, unknown>)[k]);
      }
      offset = doc.slots[slot++];
      node = (node as Record<string, unknown>)[key];
    } else {
      break;
    }
  }
  return offset;
}
