/**
 * The YAML reader of the loader: the `yaml` package, made to accept what Kubernetes' reader (go-yaml, after
 * libyaml) accepts.
 *
 * One difference matters in practice: libyaml lets a quoted scalar continue on lines indented less than its
 * key, which old manifests use for JSON annotations:
 *
 *     annotations:
 *       pod.alpha.kubernetes.io/init-containers: '[
 *         {"name": "init"}
 *       ]'
 *
 * `yaml` ends the scalar at the first such line and reports a cascade of errors. The lexer below keeps the
 * scalar going to its closing quote, stopping only at a document marker (`---`, `...`) as libyaml does.
 */
import { Composer, Document, LineCounter, Parser } from 'yaml';
import { KUBERNETES_YAML } from './yaml-options';

/** The lexer state the quoted-scalar method uses (private in `yaml`'s typings). */
interface LexerState {
  buffer: string;
  pos: number;
  atEnd: boolean;
  flowLevel: number;
  charAt(n: number): string;
  setNext(state: string): string;
  pushToIndex(index: number, allowEmpty: boolean): Generator<string, number>;
}

const DOCUMENT_MARKER = /\n(?:---|\.\.\.)(?=[ \t\r\n]|$)/;

/** Index of the closing quote of the scalar starting at `start`, or -1 (the same search as `yaml`'s). */
function closingQuote(buffer: string, start: number): number {
  const quote = buffer[start];
  let end = buffer.indexOf(quote, start + 1);
  if (quote === "'") {
    while (end !== -1 && buffer[end + 1] === "'") end = buffer.indexOf("'", end + 2);
    return end;
  }
  while (end !== -1) {
    let backslashes = 0;
    while (buffer[end - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return end;
    end = buffer.indexOf('"', end + 1);
  }
  return end;
}

function* lenientQuotedScalar(this: LexerState): Generator<string, string> {
  let end = closingQuote(this.buffer, this.pos);
  const inside = this.buffer.substring(this.pos, end === -1 ? this.buffer.length : end);
  const marker = DOCUMENT_MARKER.exec(inside);
  if (marker) end = this.pos + marker.index - (inside[marker.index - 1] === '\r' ? 2 : 1);
  if (end === -1) {
    if (!this.atEnd) return this.setNext('quoted-scalar');
    end = this.buffer.length;
  }
  yield* this.pushToIndex(end + 1, false);
  return this.flowLevel ? 'flow' : 'doc';
}

function kubernetesParser(lines?: LineCounter): Parser {
  const parser = new Parser(lines?.addNewLine);
  const lexer = (parser as unknown as { lexer?: { parseQuotedScalar?: unknown } }).lexer;
  // Should a later `yaml` rename its internals, parsing stays correct, only stricter.
  if (lexer && typeof lexer.parseQuotedScalar === 'function') lexer.parseQuotedScalar = lenientQuotedScalar;
  return parser;
}

/** The documents of `text`, one at a time; `lines` records where lines start. */
export function parseDocuments(text: string, lines?: LineCounter): Generator<Document.Parsed> {
  return new Composer(KUBERNETES_YAML).compose(kubernetesParser(lines).parse(text), true, text.length);
}

/** The first document of `text` (for a document's own slice of a file). */
export function parseFirstDocument(text: string): Document.Parsed | undefined {
  for (const doc of parseDocuments(text)) return doc;
  return undefined;
}
