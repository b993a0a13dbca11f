/**
 * A parsed YAML document → the JSON value Kubernetes builds from it. The API server and kubectl read YAML with
 * sigs.k8s.io/yaml: go-yaml v2 decodes into Go values (resolve.ts), then the keys become strings and the result
 * is marshalled as JSON. This follows both steps, so that
 * - a tag never hides content: `!!set` and `!!omap` are a mapping and a list like any other, `!!binary` is its
 *   decoded text, an unknown tag (`!foo`) leaves the text a string;
 * - what Kubernetes refuses is refused here with the token the user wrote: `.inf`/`.nan` (JSON has no
 *   infinity), a null or collection key, an alias to no anchor, an anchor that contains itself, excessive
 *   aliasing (go-yaml's own ratio);
 * - keys are own properties (`__proto__`, `constructor` are data like any key).
 */
import { Document, Node, Pair, Scalar, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { YAML_TAG_PREFIX, resolveScalar } from './resolve';
import { recordToken } from '../core/tokens';

/** Kubernetes objects are a few dozen levels deep at most; deeper input is broken or hostile. */
export const MAX_DEPTH = 100;
/** Beyond go-yaml's ratio: no expansion past this many nodes (an object the API server takes is far smaller). */
const MAX_EXPANDED_NODES = 1_000_000;

/** Input Kubernetes would refuse; `offset` is where in the file. */
export class DecodeError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

/** A mapping as JSON has it: every key an own, enumerable property, `__proto__` included. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** go-yaml's allowedAliasRatio: how much of a document may come from alias expansion. */
function allowedAliasRatio(decodeCount: number): number {
  const [low, high] = [400_000, 4_000_000];
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}

/** Go's strconv.FormatFloat(f, 'g', -1, 32): how sigs.k8s.io/yaml spells a float key. */
export function float32Key(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  const f = Math.fround(value);
  if (f === Number.POSITIVE_INFINITY) return '.inf';
  if (f === Number.NEGATIVE_INFINITY) return '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let mantissa = '';
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const text = f.toExponential(precision - 1);
    if (Math.fround(Number(text)) === f) {
      const [m, e] = text.split('e');
      mantissa = m;
      exponent = Number(e);
      break;
    }
  }
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '');
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** A token as it reads in a message: the text the user wrote, shortened when long. */
export function quoteToken(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `\`${shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\``;
}

const GO_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly anchors = new Map<string, Node>();
  private readonly expanding = new Set<Node>();

  constructor(private readonly earlierAnchors: ReadonlySet<string>) {}

  /** `at`: where an error inside an alias expansion is reported (the alias, not its anchor). */
  value(node: unknown, depth: number, at?: number): unknown {
    this.count();
    if (node === null || node === undefined) return null;
    const offset = at ?? startOf(node);
    if (depth > MAX_DEPTH) throw new DecodeError(offset, `nesting deeper than ${MAX_DEPTH} levels; no Kubernetes object is that deep`);
    if (isAlias(node)) return this.alias(node.source, startOf(node), depth, at);
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, node as Node);
    if (isScalar(node)) {
      const value = this.scalar(node, offset);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        const token = scalarText(node);
        const what = Number.isNaN(value) ? 'not a number' : 'infinite';
        throw new DecodeError(offset, `${quoteToken(token)} is ${what}, which JSON and so Kubernetes cannot represent (json: unsupported value); quote it if it is text`);
      }
      return value;
    }
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) this.pair(pair, object, depth, at);
      return object;
    }
    if (isSeq(node)) {
      const list = node.items.map((item) => this.value(item, depth + 1, at));
      node.items.forEach((item, index) => keepToken(list, index, item, list[index]));
      return list;
    }
    return null;
  }

  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
  }

  private checkAliasing(offset: number): void {
    const excessive =
      (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) ||
      (this.aliasCount > 0 && this.decodeCount > MAX_EXPANDED_NODES);
    if (excessive) {
      throw new DecodeError(offset, 'aliases expand to too many nodes (a "billion laughs" document); Kubernetes refuses it too ("document contains excessive aliasing")');
    }
  }

  private target(name: string, offset: number): Node {
    const target = this.anchors.get(name);
    if (target !== undefined) return target;
    if (this.earlierAnchors.has(name)) {
      throw new DecodeError(offset, `alias *${name} refers to the anchor &${name} of an earlier document; an anchor is visible only in its own document (after ---, define it again)`);
    }
    throw new DecodeError(offset, `alias *${name} refers to no anchor: define &${name} before it in the same document`);
  }

  private alias(name: string, offset: number, depth: number, at: number | undefined): unknown {
    const target = this.target(name, offset);
    if (this.expanding.has(target)) throw new DecodeError(offset, `alias *${name} is inside the node &${name} it refers to, so it never ends`);
    this.expanding.add(target);
    this.aliasDepth++;
    try {
      const value = this.value(target, depth, at ?? offset);
      this.checkAliasing(offset);
      return value;
    } finally {
      this.aliasDepth--;
      this.expanding.delete(target);
    }
  }

  private scalar(node: Scalar, offset: number): unknown {
    const tag = node.tag ?? '';
    const text = scalarText(node);
    if (tag === `${YAML_TAG_PREFIX}binary`) {
      const data = text.replace(/[\r\n]/g, '');
      if (!GO_BASE64.test(data)) throw new DecodeError(offset, `!!binary value ${quoteToken(text)} contains invalid base64 data`);
      return Buffer.from(data, 'base64').toString('utf8');
    }
    if (tag === '!') return text;
    const resolution = resolveScalar(text, node.type === 'PLAIN', tag);
    if ('error' in resolution) throw new DecodeError(offset, resolution.error);
    return resolution.resolved.value;
  }

  private pair(pair: Pair, object: Record<string, unknown>, depth: number, at: number | undefined): void {
    const keyNode = pair.key;
    if (isMergeKey(keyNode)) {
      this.merge(pair.value, object, depth, at ?? startOf(keyNode));
      return;
    }
    const key = this.key(keyNode, depth, at);
    const value = this.value(pair.value, depth + 1, at);
    setOwn(object, key, value);
    keepToken(object, key, pair.value, value);
  }

  /** sigs.k8s.io/yaml: string, integer, float and boolean keys become JSON keys; any other key is an error. */
  private key(node: unknown, depth: number, at: number | undefined): string {
    const offset = at ?? startOf(node);
    let resolved = node;
    if (isAlias(node)) resolved = this.target(node.source, startOf(node));
    if (isScalar(resolved)) {
      this.count();
      const value = this.scalar(resolved, offset);
      if (typeof value === 'string') return value;
      if (typeof value === 'boolean') return String(value);
      if (typeof value === 'number') {
        const text = scalarText(resolved);
        const resolution = resolveScalar(text, resolved.type === 'PLAIN', resolved.tag ?? '');
        return 'resolved' in resolution && resolution.resolved.kind === 'int' ? intKey(value) : float32Key(value);
      }
      throw new DecodeError(offset, `a mapping key is null (${quoteToken(scalarText(resolved))}); Kubernetes' YAML reader refuses it ("unsupported map key"): give the key a name or quote it`);
    }
    this.value(resolved, depth + 1, at);
    const what = isMap(resolved) ? 'a mapping' : isSeq(resolved) ? 'a list' : 'empty';
    throw new DecodeError(offset, `a mapping key is ${what}; Kubernetes reads only string, number and boolean keys ("unsupported map key")`);
  }

  /** go-yaml v2's merge: mapping values are written in document order, a list of mappings last to first. */
  private merge(node: unknown, object: Record<string, unknown>, depth: number, offset: number): void {
    const resolved = isAlias(node) ? this.target(node.source, startOf(node)) : node;
    const sources = isMap(resolved) ? [node] : isSeq(resolved) ? [...resolved.items].reverse() : undefined;
    if (sources === undefined) throw new DecodeError(offset, 'map merge requires map or sequence of maps as the value (of `<<`)');
    for (const source of sources) {
      const target = isAlias(source) ? this.target(source.source, startOf(source)) : source;
      if (!isMap(target)) throw new DecodeError(offset, 'map merge requires map or sequence of maps as the value (of `<<`)');
      const merged = this.value(source, depth + 1) as Record<string, unknown>;
      for (const key of Object.keys(merged)) setOwn(object, key, merged[key]);
    }
  }
}

/** Records the text of a plain scalar that YAML read as something other than that text (`n` → false). */
function keepToken(container: object, key: string | number, node: unknown, value: unknown): void {
  if (typeof value === 'string' || value === null || !isScalar(node) || node.type !== 'PLAIN') return;
  const text = scalarText(node);
  if (text !== String(value)) recordToken(container, key, text);
}

function intKey(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

function startOf(node: unknown): number {
  return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}

/** The scalar's text as go-yaml sees it before resolution (the `yaml` failsafe schema leaves every value a string). */
function scalarText(node: Scalar): string {
  return node.value === null || node.value === undefined ? '' : String(node.value);
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || scalarText(key) !== '<<') return false;
  return (key.type === 'PLAIN' && !key.tag) || key.tag === `${YAML_TAG_PREFIX}merge`;
}

/** The anchors a document defines (for the message on an alias to an earlier document). */
export function anchorsOf(doc: Document): string[] {
  const anchors: string[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.push(anchor);
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (isPair(item)) pending.push(item.key, item.value);
        else pending.push(item);
      }
    }
  }
  return anchors;
}

/**
 * The JSON value of `doc` as Kubernetes builds it.
 * @throws DecodeError for what Kubernetes' reader refuses, with the offset of the node in the file
 */
export function decodeDocument(doc: Document, earlierAnchors: ReadonlySet<string> = new Set()): unknown {
  return new Decoder(earlierAnchors).value(doc.contents, 0);
}

/** The JSON value of one node (an item of a large `kind: List`, parsed apart from the others). */
export function decodeNode(node: Node): unknown {
  return new Decoder(new Set()).value(node, 0);
}

/** The JSON key an unquoted, untagged key becomes (`on` → `true`, `0x10` → `16`); the text itself for most keys. */
export function plainKeyText(text: string): string {
  const first = text[0];
  if (first !== undefined && !/[-+0-9.yYnNtTfFoO~]/.test(first)) return text;
  const resolution = resolveScalar(text, true, '');
  if ('error' in resolution) return text;
  const { kind, value } = resolution.resolved;
  if (kind === 'int') return intKey(value as number);
  if (kind === 'float') return float32Key(value as number);
  return String(value);
}
