/**
 * How Kubernetes' YAML reader (go-yaml v2, vendored by sigs.k8s.io/yaml as goyaml.v2, file resolve.go) turns a
 * scalar into a value. The `yaml` package's YAML 1.1 schema differs on edge cases that real manifests hit:
 * `.`, `-.` and `+.` are strings to go-yaml (NaN to `yaml`), `1e309` is a string (out of range), `0o17` is 15,
 * `0xFFFFFFFFFFFFFFFFFFFF` is a big integer, `2001-12-14` stays a string, `1:20` is a string.
 */

export type Resolved =
  | { readonly kind: 'null'; readonly value: null }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'timestamp'; readonly value: string };

export const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';
const STR = `${YAML_TAG_PREFIX}str`;
const BINARY = `${YAML_TAG_PREFIX}binary`;
const RESOLVABLE = new Set(['', STR, ...['bool', 'int', 'float', 'null', 'timestamp'].map((t) => YAML_TAG_PREFIX + t)]);

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
/** Longer words are neither booleans nor nulls. */
const LONGEST_WORD = Math.max(...[...BOOLEANS.keys(), ...NULLS].map((word) => word.length));
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, Number.NEGATIVE_INFINITY] as const),
]);

/** go-yaml's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's strconv.ParseFloat accepts for a decimal string starting with `.` (no underscores without a base prefix). */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** go-yaml's first-character hints, by character code: S(ign), D(igit), M(ap), `.`; none for the rest. */
const HINTS: ReadonlyArray<string | undefined> = (() => {
  const hints = new Array<string | undefined>(128).fill(undefined);
  const set = (chars: string, hint: string) => {
    for (const c of chars) hints[c.charCodeAt(0)] = hint;
  };
  set('+-', 'S');
  set('0123456789', 'D');
  set('yYnNtTfFoO~', 'M');
  set('.', '.');
  return hints;
})();

/** The first-character hint of go-yaml: S(ign), D(igit), M(ap), `.`, N for the empty text, or none. */
function hintOf(text: string): string | undefined {
  if (text === '') return 'N';
  const c = text.charCodeAt(0);
  return c < 128 ? HINTS[c] : undefined;
}

/** Whether a plain scalar starting with character code `c` is a string whatever follows (go-yaml gives it no hint). */
export function isWordStart(c: number): boolean {
  return c >= 128 || HINTS[c] === undefined;
}

type IntParse = { value: bigint } | { error: 'syntax' | 'range' };

/** Go's strconv.ParseInt/ParseUint with base 0 (prefixes 0x, 0o, 0b, a leading 0 for octal), on text without `_`. */
function parseGoInt(text: string, signed: boolean): IntParse {
  let rest = text;
  let negative = false;
  if (signed && (rest[0] === '+' || rest[0] === '-')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  let digits = rest;
  let pattern = /^[0-9]+$/;
  let prefix = '';
  if (/^0[xX]/.test(rest)) [prefix, digits, pattern] = ['0x', rest.slice(2), /^[0-9a-fA-F]+$/];
  else if (/^0[bB]/.test(rest)) [prefix, digits, pattern] = ['0b', rest.slice(2), /^[01]+$/];
  else if (/^0[oO]/.test(rest)) [prefix, digits, pattern] = ['0o', rest.slice(2), /^[0-7]+$/];
  else if (/^0[0-9]/.test(rest)) [prefix, digits, pattern] = ['0o', rest.slice(1), /^[0-7]+$/];
  if (!pattern.test(digits)) return { error: 'syntax' };
  const magnitude = BigInt(prefix === '' ? digits : `${prefix}${digits}`);
  const value = negative ? -magnitude : magnitude;
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return { error: 'range' };
  return { value };
}

/** big.Int's SetString(text, 0): an optional sign, then a base prefix or decimal digits. */
function parseBigInt(text: string): bigint | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  let digits = match[2];
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const magnitude = BigInt(digits);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** Go's ParseFloat on text that matched YAML_STYLE_FLOAT or DOT_FLOAT: fails only out of range. */
function parseGoFloat(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Go's time.Parse with go-yaml's timestamp layouts (year first, then `-`). */
const TIMESTAMP = [
  /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/,
  /^\d{4}-\d{1,2}-\d{1,2}$/,
];

function isTimestamp(text: string): boolean {
  return TIMESTAMP.some((layout) => layout.test(text));
}

/**
 * Characters of every int, float and timestamp form below (base prefixes, hex digits, `_`, signs, exponents,
 * timestamp separators): text with any other (`500m`, `1Gi`, `3s`) is a string, found without the expressions.
 */
const NUMBER_OR_TIMESTAMP_CHARS = /^[-+0-9a-fA-FxXoO_.tT:Z ]*$/;

function mayBeNumberOrTimestamp(text: string): boolean {
  return NUMBER_OR_TIMESTAMP_CHARS.test(text);
}

const int = (value: bigint): Resolved => ({ kind: 'int', value: Number(value) });

/**
 * Whether a plain, untagged scalar is certainly a string (most keys and values are), found without building a
 * resolution: the first answers resolveText gives.
 */
export function isPlainString(text: string): boolean {
  const hint = hintOf(text);
  return hint === undefined || (hint === 'M' && (text.length > LONGEST_WORD || (!BOOLEANS.has(text) && !NULLS.has(text))));
}

/** go-yaml's implicit resolution of a plain scalar (and of a resolvable explicit tag). */
function resolveText(text: string, tag: string): Resolved {
  const hint = hintOf(text);
  if (hint === undefined || tag === STR || tag === BINARY) return { kind: 'str', value: text };
  const bool = BOOLEANS.get(text);
  if (bool !== undefined) return { kind: 'bool', value: bool };
  if (NULLS.has(text)) return { kind: 'null', value: null };
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { kind: 'float', value: special };
  if (hint === '.') {
    const value = DOT_FLOAT.test(text) ? parseGoFloat(text) : undefined;
    if (value !== undefined) return { kind: 'float', value };
  } else if (hint === 'D' || hint === 'S') {
    if (!mayBeNumberOrTimestamp(text)) return { kind: 'str', value: text };
    if ((tag === '' || tag === `${YAML_TAG_PREFIX}timestamp`) && isTimestamp(text)) return { kind: 'timestamp', value: text };
    const plain = text.replace(/_/g, '');
    const signed = parseGoInt(plain, true);
    if ('value' in signed) return int(signed.value);
    const unsigned = parseGoInt(plain, false);
    if ('value' in unsigned) return int(unsigned.value);
    if (YAML_STYLE_FLOAT.test(plain)) {
      const value = parseGoFloat(plain);
      if (value !== undefined) return { kind: 'float', value };
    }
    if (plain.startsWith('0b') || plain.startsWith('-0b')) {
      const binary = parseBigInt(plain);
      if (binary !== undefined && binary >= INT64_MIN && binary <= UINT64_MAX) return int(binary);
    }
    if (unsigned.error === 'range') {
      const big = parseBigInt(plain);
      if (big !== undefined) return int(big);
    }
  }
  return { kind: 'str', value: text };
}

export type Resolution = { readonly resolved: Resolved } | { readonly error: string };

const SHORT = (tag: string): string => (tag.startsWith(YAML_TAG_PREFIX) ? `!!${tag.slice(YAML_TAG_PREFIX.length)}` : tag);

/**
 * The value of a scalar with source text `text`: `plain` for an unquoted scalar, `tag` its explicit tag in long
 * form ('' for none). Tags go-yaml does not resolve (`!foo`, `!!binary`, `!!set`) leave the text a string.
 */
export function resolveScalar(text: string, plain: boolean, tag: string): Resolution {
  if (tag === '' && !plain) return { resolved: { kind: 'str', value: text } };
  if (!RESOLVABLE.has(tag)) return { resolved: { kind: 'str', value: text } };
  const resolved = resolveText(text, tag);
  if (tag === '' || tag === STR || `${YAML_TAG_PREFIX}${resolved.kind}` === tag) return { resolved };
  if (tag === `${YAML_TAG_PREFIX}float` && resolved.kind === 'int') return { resolved: { kind: 'float', value: resolved.value } };
  return { error: `cannot decode ${SHORT(`${YAML_TAG_PREFIX}${resolved.kind}`)} \`${text}\` as a ${SHORT(tag)}` };
}
