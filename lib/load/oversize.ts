/**
 * Documents too large to parse. The `yaml` package holds about 100 bytes per byte of a document while parsing
 * it (a 50 MB quoted string took 1.8 GB, a mapping of a million keys 1.5 GB), and the API server refuses a
 * request over 3 MiB anyway. Such documents are cut down to their line breaks before parsing (so every line
 * after them keeps its number and its text) and reported instead.
 */

export interface OversizedDocument {
  /** Offset of the document's first character (after its `---`). */
  readonly start: number;
  readonly size: number;
  readonly limit: number;
}

/** `---` or `...` at the start of a line: where a document ends in YAML (and libyaml), even inside a quoted scalar. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

export function blankOversizedDocuments(text: string, limit: number): { text: string; oversized: OversizedDocument[] } {
  if (text.length <= limit / 3) return { text, oversized: [] };
  const starts = [0];
  for (const marker of text.matchAll(DOCUMENT_MARKER)) starts.push(marker.index! + 3);
  const oversized: OversizedDocument[] = [];
  const pieces: string[] = [];
  let copied = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1] - 3 : text.length;
    // Bytes, as the limit is stated: a character outside ASCII takes 2 to 4 in UTF-8.
    if (end - start <= limit / 4 || Buffer.byteLength(text.slice(start, end)) <= limit) continue;
    const size = Buffer.byteLength(text.slice(start, end));
    oversized.push({ start: firstContent(text, start, end), size, limit });
    pieces.push(text.slice(copied, start), '\n'.repeat(countNewlines(text, start, end)));
    copied = end;
  }
  if (oversized.length === 0) return { text, oversized };
  pieces.push(text.slice(copied));
  return { text: pieces.join(''), oversized };
}

function countNewlines(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The first character of a document that is not white space (a finding points there). */
function firstContent(text: string, start: number, end: number): number {
  const match = /\S/.exec(text.slice(start, Math.min(end, start + 4096)));
  return match ? start + match.index : start;
}
