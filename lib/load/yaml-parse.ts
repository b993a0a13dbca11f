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
import { Composer, CST, Document, LineCounter, Parser, YAMLParseError } from 'yaml';
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

/**
 * The other difference: libyaml skips a tab after `-`, `?` or the `:` of a `?` key only once a token follows it
 * on the line, so a tab straight after one of these (`-\tvalue`) "cannot start any token" and Kubernetes refuses
 * the file. `yaml` reads that tab as a space. In flow collections, and after a simple key's `:`, tabs are fine.
 */
const refusedTabMessage = (indicator: string) =>
  `a tab right after "${indicator}": Kubernetes' YAML reader refuses it ("found character that cannot start any token"); use a space`;

interface RefusedTab {
  readonly offset: number;
  readonly indicator: string;
}

/** The first tab libyaml refuses in a document's syntax tree, if any (a walk without recursion: nesting is deep). */
function refusedTab(document: CST.Document): RefusedTab | undefined {
  let first: RefusedTab | undefined;
  const pending: Array<CST.Token | null | undefined> = [document.value];
  while (pending.length > 0) {
    const token = pending.pop();
    if (!token || !('items' in token)) continue;
    for (const item of token.items) {
      pending.push(item.key, item.value);
      if (token.type === 'flow-collection') continue;
      const explicitKey = item.start.some((source) => source.type === 'explicit-key-ind');
      const found = tabAfter(item.start, explicitKey ? 'explicit-key-ind' : 'seq-item-ind') ?? (explicitKey ? tabAfter(item.sep, 'map-value-ind') : undefined);
      if (found && (!first || found.offset < first.offset)) first = found;
    }
  }
  return first;
}

function tabAfter(tokens: readonly CST.SourceToken[] | undefined, indicator: CST.SourceToken['type']): RefusedTab | undefined {
  const at = tokens?.findIndex((token) => token.type === indicator) ?? -1;
  const next = at === -1 ? undefined : tokens![at + 1];
  const tab = next?.type === 'space' ? next.source.indexOf('\t') : -1;
  return tab === -1 ? undefined : { offset: next!.offset + tab, indicator: tokens![at].source };
}

/** The documents of `text`, one at a time; `lines` records where lines start. */
export function* parseDocuments(text: string, lines?: LineCounter): Generator<Document.Parsed> {
  const tabs: RefusedTab[] = [];
  function* checked(tokens: Generator<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      if (token.type === 'document') {
        const tab = refusedTab(token);
        if (tab !== undefined) tabs.push(tab);
      }
      yield token;
    }
  }
  for (const doc of new Composer(KUBERNETES_YAML).compose(checked(kubernetesParser(lines).parse(text)), true, text.length)) {
    const tab = tabs.find(({ offset }) => offset >= doc.range[0] && offset < doc.range[2]);
    if (tab !== undefined) {
      doc.errors.push(new YAMLParseError([tab.offset, tab.offset + 1], 'TAB_AS_INDENT', refusedTabMessage(tab.indicator)));
      doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
    }
    yield doc;
  }
}

/** The first document of `text` (for a document's own slice of a file). */
export function parseFirstDocument(text: string): Document.Parsed | undefined {
  for (const doc of parseDocuments(text)) return doc;
  return undefined;
}
