/**
 * Documents too large to parse. The `yaml` package holds about 100 bytes per byte of a document while parsing
 * it (a 50 MB quoted string took 1.8 GB, a mapping of a million keys 1.5 GB), and etcd refuses an object over
 * 1.5 MiB anyway. Such a document is left out of the text handed to the parser (the segments around it are
 * parsed on their own, positions stay those of the file) and reported instead, in time linear in its size.
 *
 * The exception is a `kind: List` (what `kubectl get -o yaml` prints): its items are separate objects, so a large
 * List whose items are a block sequence is cut into chunks of whole items, each parsed alone.
 */

export interface OversizedDocument {
  /** Offset of the document's (or List item's) first character. */
  readonly start: number;
  readonly size: number;
  readonly limit: number;
  /** Set for one item of a List that is itself over the limit. */
  readonly listItem?: boolean;
  /** Set for a List whose items could not be cut apart: why. */
  readonly listNotSplit?: string;
}

/** A piece of the file to parse: whole documents, or (listItems) a block sequence of some items of a List. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  /** Set for a chunk of a List's items: where each item lies in the file, and the column of its `-` (0-based). */
  readonly listItems?: { readonly items: readonly ListItem[]; readonly indent: number };
}

export interface ListItem {
  readonly start: number;
  end: number;
}

/** `---` or `...` at the start of a line: where a document ends in YAML (and libyaml), even inside a quoted scalar. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
/**
 * Items of a split List are parsed this many characters at a time: a parse takes 100 to 250 bytes per byte, and
 * the garbage of a small one dies young, which V8 reclaims at once (64 KB chunks grew the heap a third more).
 */
const CHUNK = 8 * 1024;

/** Whether any document of `text` is over `limit` bytes (the cheap test the fast first pass makes). */
export function hasOversizedDocument(text: string, limit: number): boolean {
  const { segments, oversized } = splitOversizedDocuments(text, limit);
  return oversized.length > 0 || segments.some((segment) => segment.listItems !== undefined);
}

export function splitOversizedDocuments(text: string, limit: number): { segments: Segment[]; oversized: OversizedDocument[] } {
  const whole = { segments: [{ start: 0, end: text.length }], oversized: [] };
  if (text.length <= limit / 3) return whole;
  const starts = [0];
  for (const marker of text.matchAll(DOCUMENT_MARKER)) starts.push(marker.index! + 3);
  const oversized: OversizedDocument[] = [];
  const segments: Segment[] = [];
  let copied = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1] - 3 : text.length;
    // Bytes, as the limit is stated: a character outside ASCII takes 2 to 4 in UTF-8.
    if (end - start <= limit / 4 || byteLength(text, start, end) <= limit) continue;
    if (start > copied) segments.push({ start: copied, end: start });
    copied = end;
    const list = listItems(text, start, end);
    if (typeof list === 'string' || list === undefined) {
      oversized.push({ start: firstContent(text, start, end), size: byteLength(text, start, end), limit, ...(list ? { listNotSplit: list } : {}) });
      continue;
    }
    let chunk: ListItem[] = [];
    const flush = () => {
      if (chunk.length > 0) segments.push({ start: chunk[0].start, end: chunk[chunk.length - 1].end, listItems: { items: chunk, indent: list.indent } });
      chunk = [];
    };
    for (const item of list.items) {
      if (item.end - item.start > limit / 4 && byteLength(text, item.start, item.end) > limit) {
        flush();
        oversized.push({ start: firstContent(text, item.start, item.end), size: byteLength(text, item.start, item.end), limit, listItem: true });
        continue;
      }
      if (chunk.length > 0 && item.end - chunk[0].start > CHUNK) flush();
      chunk.push(item);
    }
    flush();
  }
  if (copied === 0 && oversized.length === 0 && segments.length === 0) return whole;
  if (copied < text.length) segments.push({ start: copied, end: text.length });
  return { segments, oversized };
}

const LIST_KIND = /^kind:[ \t]*(["']?)[A-Za-z0-9]*List\1[ \t]*(?:#.*)?$/m;
const ITEMS_KEY = /^items:[ \t]*(?:#.*)?$/m;
/** An alias (`*name`, also in `<<: *name`): it may point into another item, so the items cannot be cut apart. */
const ALIAS = /(?:^|[\s[{,])\*[^\s,\]}]/;

/**
 * The items of the List document text[start, end): each from its `- ` line to the next. undefined when the
 * document is no List; a reason when it is one whose items cannot be cut apart by lines.
 */
function listItems(text: string, start: number, end: number): { items: ListItem[]; indent: number } | string | undefined {
  const doc = text.slice(start, end);
  if (!LIST_KIND.test(doc)) return undefined;
  const itemsKey = ITEMS_KEY.exec(doc);
  if (!itemsKey) return 'its items: are not a block sequence at the start of a line';
  if (ALIAS.test(doc)) return 'it uses aliases (*name), which may refer to another item';
  if (doc.includes('\t')) return 'it holds tab characters, which make its indentation ambiguous';
  const items: ListItem[] = [];
  let indent = -1;
  let lineStart = doc.indexOf('\n', itemsKey.index) + 1;
  while (lineStart > 0 && lineStart < doc.length) {
    const lineEnd = doc.indexOf('\n', lineStart);
    const next = lineEnd === -1 ? doc.length : lineEnd + 1;
    const line = doc.slice(lineStart, lineEnd === -1 ? doc.length : lineEnd);
    const content = line.search(/\S/);
    if (content !== -1 && line[content] !== '#') {
      if (indent === -1) {
        if (!/^-(?:[ \r]|$)/.test(line.slice(content))) return 'its items: are not a block sequence';
        indent = content;
      }
      const isItem = content === indent && /^-(?:[ \r]|$)/.test(line.slice(content));
      if (content < indent || (content === indent && !isItem)) break;
      if (isItem) {
        if (items.length > 0) items[items.length - 1].end = start + lineStart;
        items.push({ start: start + lineStart, end: start + next });
      } else {
        items[items.length - 1].end = start + next;
      }
    } else if (items.length > 0) {
      items[items.length - 1].end = start + next;
    }
    lineStart = next;
  }
  return items.length > 0 ? { items, indent } : 'its items: are not a block sequence';
}

function byteLength(text: string, start: number, end: number): number {
  return Buffer.byteLength(text.slice(start, end));
}

/** The first character of a document that is not white space (a finding points there). */
function firstContent(text: string, start: number, end: number): number {
  const match = /\S/.exec(text.slice(start, Math.min(end, start + 4096)));
  return match ? start + match.index : start;
}
