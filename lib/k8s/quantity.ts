/**
 * Kubernetes resource quantities (`10Gi`, `500m`, `1e3`), parsed exactly as rationals of BigInts.
 *
 * Grammar (k8s.io/apimachinery resource.Quantity): `<signed number><suffix>` where the suffix is binary
 * (`Ki Mi Gi Ti Pi Ei`, powers of 1024), decimal (`n u m "" k M G T P E`) or an exponent (`e6`, `E-3`).
 * Like the API server, values are rounded up (away from zero) to a multiple of 1n, and binary values are capped at
 * 2^63-1; surrounding whitespace is ignored (the API server trims JSON strings before parsing).
 */

/** A parsed quantity: value = num / den, den > 0, the fraction reduced. `text` is what the user wrote, if anything. */
export interface Quantity {
  readonly num: bigint;
  readonly den: bigint;
  readonly text?: string;
}

/** The API server's own messages for a quantity it cannot parse. */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';

const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = {
  n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};
const BINARY_EXPONENTS: Readonly<Record<string, number>> = {
  Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60,
};
const BINARY_UNITS = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const DECIMAL_UNITS = ['k', 'M', 'G', 'T', 'P', 'E'] as const;

/**
 * The API server's message for a value that is not a quantity (its grammar, its suffix or its number, as
 * quantityError says), and the quantity the user most likely meant when there is one: `...; did you mean "1Gi"?`.
 */
export function quantityErrorWithHint(value: unknown): string {
  const error = quantityError(value) ?? QUANTITY_FORMAT_ERROR;
  const meant = typeof value === 'string' ? quantitySpelling(value) : undefined;
  return meant === undefined ? error : `${error}; did you mean "${meant}"?`;
}

/**
 * The same amount as `text` spelled as the API server reads it, when `text` is a size it refuses only for its
 * spelling: a suffix in the wrong case (`1gi` → `1Gi`, `1K` → `1k`), a byte unit (`10GB` → `10G`, `2GiB` → `2Gi`)
 * or a space before the suffix (`10 Gi` → `10Gi`). Undefined for anything else, and where the reading is a guess:
 * a lower-case `b` after a unit (`10Gb` is read as gigabits), a fraction suffix after a space (`5 m` is 5 milli,
 * not 5 MB), a negative size.
 */
export function quantitySpelling(text: string): string | undefined {
  const parts = SPELLED_QUANTITY.exec(text);
  if (!parts) return undefined;
  const [, number, space, written] = parts;
  if (number.startsWith('-') || /[^iI]b$/.test(written)) return undefined;
  const asWritten = Object.hasOwn(DECIMAL_EXPONENTS, written) || Object.hasOwn(BINARY_EXPONENTS, written);
  if (asWritten && space !== '' && FRACTION_SUFFIXES.has(written)) return undefined;
  const suffix = asWritten ? written : SUFFIX_SPELLINGS.get(written.toLowerCase());
  if (suffix === undefined) return undefined;
  const meant = `${number}${suffix}`;
  return meant !== text.trim() && parseQuantity(meant) !== undefined ? meant : undefined;
}

const SPELLED_QUANTITY = /^\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(\s*)([a-zA-Z]{1,3})\s*$/;
const FRACTION_SUFFIXES = new Set(['m', 'u', 'n']);
/**
 * Suffixes by their lower case, and with a trailing `b` (`gb`, `gib`). Bare `m` and `e` stay out: `5m` is 5 milli,
 * not 5M, and `e` starts an exponent.
 */
const SUFFIX_SPELLINGS: ReadonlyMap<string, string> = new Map(
  [...DECIMAL_UNITS, ...BINARY_UNITS].flatMap((unit): [string, string][] => {
    const lower = unit.toLowerCase();
    return lower === 'm' || lower === 'e' ? [[`${lower}b`, unit]] : [[lower, unit], [`${lower}b`, unit]];
  }),
);

const NANO = 1_000_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;
/**
 * Exponents beyond this are not computed exactly (10^1000 bytes is beyond any disk): a larger positive exponent is
 * reported as out of range; a more negative one rounds up to 1n like any other tiny value.
 */
const MAX_EXPONENT = 1000;
/** Longer text is refused before any arithmetic (a 100 MB string of digits must not stall a lint run). */
const MAX_TEXT_LENGTH = 100;

const NUMBER_AND_SUFFIX = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/s;
const SUFFIX_SHAPE = /^[eEinumkKMGTP]*[-+]?[0-9]*$/;
const INT64_TEXT = /^[+-]?[0-9]+$/;

type ParseOutcome = { readonly quantity: Quantity } | { readonly error: string };

/**
 * Parse a quantity as the API server does. Numbers (YAML ints and floats) are read through their decimal text.
 * Returns undefined when the API server would reject the value; `quantityError` says why.
 */
export function parseQuantity(input: string | number | bigint): Quantity | undefined {
  const outcome = parse(input);
  return 'quantity' in outcome ? outcome.quantity : undefined;
}

/** The API server's error for a value that is not a valid quantity, or undefined if it is one. */
export function quantityError(input: unknown): string | undefined {
  if (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'bigint') {
    return `a quantity must be a string or a number, not ${input === null ? 'null' : typeof input}`;
  }
  const outcome = parse(input);
  return 'error' in outcome ? outcome.error : undefined;
}

/**
 * Outcomes by input text: a set of manifests repeats a few quantities thousands of times (`10Gi`, `500m`). Bounded:
 * emptied when full.
 */
const outcomes = new Map<string, ParseOutcome>();
const MAX_REMEMBERED = 4096;

function parse(input: string | number | bigint): ParseOutcome {
  if (typeof input === 'number' && !Number.isFinite(input)) return { error: QUANTITY_NUMERIC_ERROR };
  const source = String(input);
  let outcome = outcomes.get(source);
  if (outcome === undefined) {
    if (outcomes.size >= MAX_REMEMBERED) outcomes.clear();
    outcome = parseText(source);
    outcomes.set(source, outcome);
  }
  return outcome;
}

function parseText(source: string): ParseOutcome {
  const text = source.trim();
  if (text.length > MAX_TEXT_LENGTH) {
    return { error: `${QUANTITY_NUMERIC_ERROR}: ${text.length} characters is more than any quantity needs` };
  }
  const parts = NUMBER_AND_SUFFIX.exec(text);
  // The Go parser reads a bare suffix such as "Gi" as zero; we follow the documented grammar (digits required).
  if (!parts || (parts[2] === '' && (parts[3] ?? '') === '')) return { error: QUANTITY_FORMAT_ERROR };
  const [, sign, whole, fraction = '', suffix] = parts;
  if (!SUFFIX_SHAPE.test(suffix)) return { error: QUANTITY_FORMAT_ERROR };

  const mantissa = BigInt((whole + fraction) || '0') * (sign === '-' ? -1n : 1n);
  const fractionScale = 10n ** BigInt(fraction.length);

  let exact: { num: bigint; den: bigint };
  let binary = false;
  if (Object.hasOwn(DECIMAL_EXPONENTS, suffix)) {
    exact = scaleByPowerOfTen(mantissa, fractionScale, DECIMAL_EXPONENTS[suffix]);
  } else if (Object.hasOwn(BINARY_EXPONENTS, suffix)) {
    binary = true;
    exact = { num: mantissa * (1n << BigInt(BINARY_EXPONENTS[suffix])), den: fractionScale };
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && INT64_TEXT.test(suffix.slice(1))) {
    const exponent = BigInt(suffix.slice(1));
    if (exponent > MAX_INT64 || exponent < -MAX_INT64 - 1n) return { error: QUANTITY_SUFFIX_ERROR }; // Go's ParseInt
    if (mantissa === 0n) return { quantity: { num: 0n, den: 1n, text } };
    if (exponent > BigInt(MAX_EXPONENT)) {
      return { error: `${QUANTITY_NUMERIC_ERROR}: exponent ${exponent} is out of range` };
    }
    if (exponent < BigInt(-MAX_EXPONENT)) {
      exact = { num: mantissa < 0n ? -1n : 1n, den: NANO * NANO };
    } else {
      exact = scaleByPowerOfTen(mantissa, fractionScale, Number(exponent));
    }
  } else {
    return { error: QUANTITY_SUFFIX_ERROR };
  }

  let { num, den } = roundUpToNano(exact.num, exact.den);
  if (binary && abs(num) > MAX_INT64 * den) {
    num = num < 0n ? -MAX_INT64 : MAX_INT64;
    den = 1n;
  }
  return { quantity: { ...reduce(num, den), text } };
}

function scaleByPowerOfTen(mantissa: bigint, den: bigint, exponent: number): { num: bigint; den: bigint } {
  return exponent >= 0
    ? { num: mantissa * 10n ** BigInt(exponent), den }
    : { num: mantissa, den: den * 10n ** BigInt(-exponent) };
}

/** Round the magnitude up to a whole number of nano-units, as resource.ParseQuantity does. */
function roundUpToNano(num: bigint, den: bigint): { num: bigint; den: bigint } {
  const magnitude = abs(num) * NANO;
  const nanos = (magnitude + den - 1n) / den;
  return { num: num < 0n ? -nanos : nanos, den: NANO };
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function reduce(num: bigint, den: bigint): { num: bigint; den: bigint } {
  if (num === 0n) return { num: 0n, den: 1n };
  const divisor = gcd(num, den);
  return { num: num / divisor, den: den / divisor };
}

/** A quantity of exactly `value` (an integer count, e.g. bytes), without user text. */
export function quantityOf(value: bigint | number): Quantity {
  return { num: BigInt(value), den: 1n };
}

/** -1, 0 or 1 as a < b, a = b, a > b; exact. */
export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  if (a.den === b.den) return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
  const difference = a.num * b.den - b.num * a.den;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The value rounded up (away from zero) to an integer: resource.Quantity.Value(). */
export function quantityValue(q: Quantity): bigint {
  const whole = abs(q.num) / q.den;
  const magnitude = abs(q.num) % q.den === 0n ? whole : whole + 1n;
  return q.num < 0n ? -magnitude : magnitude;
}

/** True when the value is not a whole number, e.g. `500m` of storage (half a byte; usually meant `500M`). */
export function isFractionalBytes(q: Quantity): boolean {
  return q.den !== 1n;
}

/**
 * A form for messages: the user's own text where there is one, else a canonical form (`2Gi`, `10G`, `500m`); when
 * that form does not use a binary suffix and the value is at least 1Ki, its binary size follows, rounded down so a
 * comparison with a binary request never looks wrong: `10G (9.31Gi)`.
 */
export function formatQuantity(q: Quantity, options: { readonly binaryHint?: boolean } = {}): string {
  const written = q.text ?? canonicalText(q);
  if (options.binaryHint === false || /[KMGTPE]i$/.test(written)) return written;
  const hint = binaryApproximation(q);
  return hint === undefined ? written : `${written} (${hint})`;
}

function canonicalText(q: Quantity): string {
  if (q.den === 1n) {
    if (q.num === 0n) return '0';
    // The shorter of the largest exact binary and decimal forms (10^10 is `10G`, not `9765625Ki`).
    const binary = largestExactUnit(q.num, (i) => 1n << BigInt(10 * i), BINARY_UNITS);
    const decimal = largestExactUnit(q.num, (i) => 1000n ** BigInt(i), DECIMAL_UNITS);
    return decimal.length < binary.length ? decimal : binary;
  }
  for (const [suffix, scale] of [['m', 1000n], ['u', 1_000_000n], ['n', NANO]] as const) {
    if ((q.num * scale) % q.den === 0n) return `${(q.num * scale) / q.den}${suffix}`;
  }
  // Unreachable for parsed quantities (multiples of 1n); keep an exact form for hand-made ones.
  return `${q.num}/${q.den}`;
}

function largestExactUnit(n: bigint, unitValue: (index: number) => bigint, units: readonly string[]): string {
  for (let i = units.length; i >= 1; i--) {
    if (n % unitValue(i) === 0n) return `${n / unitValue(i)}${units[i - 1]}`;
  }
  return n.toString();
}

function binaryApproximation(q: Quantity): string | undefined {
  if (q.num < 1024n * q.den) return undefined;
  let index = 0;
  while (index + 1 < BINARY_UNITS.length && q.num >= (1n << BigInt(10 * (index + 2))) * q.den) index++;
  const unit = 1n << BigInt(10 * (index + 1));
  const hundredths = (q.num * 100n) / (q.den * unit);
  const whole = hundredths / 100n;
  const decimals = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${whole}${decimals ? `.${decimals}` : ''}${BINARY_UNITS[index]}`;
}
