import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  compareQuantity,
  formatQuantity,
  isFractionalBytes,
  parseQuantity,
  Quantity,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_NUMERIC_ERROR,
  QUANTITY_SUFFIX_ERROR,
  quantityError,
  quantityErrorWithHint,
  quantityOf,
  quantitySpelling,
  quantityValue,
} from '../../../lib/k8s/quantity';

function value(input: string | number): [bigint, bigint] {
  const q = parseQuantity(input);
  assert.ok(q, `expected ${JSON.stringify(input)} to parse`);
  return [q.num, q.den];
}

function parsed(input: string): Quantity {
  const q = parseQuantity(input);
  assert.ok(q, `expected ${JSON.stringify(input)} to parse`);
  return q;
}

const GI = 1024n ** 3n;

describe('parseQuantity', () => {
  const valid: Array<[string | number, bigint, bigint]> = [
    ['10Gi', 10n * GI, 1n],
    ['10G', 10n ** 10n, 1n],
    ['1k', 1000n, 1n],
    ['1Ki', 1024n, 1n],
    ['500m', 1n, 2n],
    ['1e3', 1000n, 1n],
    ['1E-3', 1n, 1000n],
    ['1E+3', 1000n, 1n],
    ['1E', 10n ** 18n, 1n],
    ['1.5Gi', 3n * 512n * 1024n * 1024n, 1n],
    ['0.5Ki', 512n, 1n],
    ['.5', 1n, 2n],
    ['1.', 1n, 1n],
    ['+7', 7n, 1n],
    ['-1Ki', -1024n, 1n],
    ['0', 0n, 1n],
    ['-0', 0n, 1n],
    ['000012M', 12_000_000n, 1n],
    ['3u', 3n, 1_000_000n],
    ['7n', 7n, 1_000_000_000n],
    ['0.1n', 1n, 1_000_000_000n], // rounded up to the smallest unit, like the API server
    ['-0.1n', -1n, 1_000_000_000n],
    ['1e-12', 1n, 1_000_000_000n],
    ['5e-2000', 1n, 1_000_000_000n],
    ['0e5000', 0n, 1n],
    ['0.0e999999999999', 0n, 1n],
    ['16Ei', 2n ** 63n - 1n, 1n], // binary values are capped at 2^63-1
    ['20E', 20n * 10n ** 18n, 1n], // decimal ones are not
    [' 2Gi ', 2n * GI, 1n],
    [3, 3n, 1n],
    [1.5, 3n, 2n],
    [1e21, 10n ** 21n, 1n],
    [-2, -2n, 1n],
  ];
  for (const [input, num, den] of valid) {
    it(`reads ${JSON.stringify(input)} as ${num}/${den}`, () => {
      assert.deepEqual(value(input), [num, den]);
    });
  }

  const invalid: Array<[unknown, string]> = [
    ['K', QUANTITY_FORMAT_ERROR],
    ['1K', QUANTITY_SUFFIX_ERROR],
    ['10 gigs', QUANTITY_FORMAT_ERROR],
    ['10 Gi', QUANTITY_FORMAT_ERROR],
    ['', QUANTITY_FORMAT_ERROR],
    ['Gi', QUANTITY_FORMAT_ERROR],
    ['.', QUANTITY_FORMAT_ERROR],
    ['+', QUANTITY_FORMAT_ERROR],
    ['1.2.3', QUANTITY_FORMAT_ERROR],
    ['1e3.5', QUANTITY_FORMAT_ERROR],
    ['1e', QUANTITY_SUFFIX_ERROR],
    ['1e-', QUANTITY_SUFFIX_ERROR],
    ['1Gi3', QUANTITY_SUFFIX_ERROR],
    ['1ki', QUANTITY_SUFFIX_ERROR],
    ['1GB', QUANTITY_FORMAT_ERROR],
    ['1Gb', QUANTITY_FORMAT_ERROR],
    ['1e1001', `${QUANTITY_NUMERIC_ERROR}: exponent 1001 is out of range`],
    ['1e9223372036854775808', QUANTITY_SUFFIX_ERROR],
    ['1'.repeat(101), `${QUANTITY_NUMERIC_ERROR}: 101 characters is more than any quantity needs`],
    [Number.NaN, QUANTITY_NUMERIC_ERROR],
    [Number.POSITIVE_INFINITY, QUANTITY_NUMERIC_ERROR],
    [null, 'a quantity must be a string or a number, not null'],
    [true, 'a quantity must be a string or a number, not boolean'],
  ];
  for (const [input, message] of invalid) {
    it(`rejects ${String(input)} with "${message}"`, () => {
      assert.equal(quantityError(input), message);
      if (typeof input === 'string' || typeof input === 'number') assert.equal(parseQuantity(input), undefined);
    });
  }

  it('keeps the text the user wrote, trimmed', () => {
    assert.equal(parsed(' 10G ').text, '10G');
    assert.equal(parseQuantity(1.5)?.text, '1.5');
  });

  it('says nothing about a valid quantity', () => {
    assert.equal(quantityError('2Gi'), undefined);
  });
});

describe('compareQuantity', () => {
  const cases: Array<[string, string, -1 | 0 | 1]> = [
    ['10Gi', '10G', 1],
    ['10G', '10Gi', -1],
    ['1Ki', '1024', 0],
    ['1000m', '1', 0],
    ['500m', '1', -1],
    ['1e3', '1k', 0],
    ['-1', '0', -1],
    ['1Ei', '1E', 1],
  ];
  for (const [a, b, expected] of cases) {
    it(`${a} vs ${b} is ${expected}`, () => {
      assert.equal(compareQuantity(parsed(a), parsed(b)), expected);
    });
  }
});

describe('formatQuantity', () => {
  const cases: Array<[Quantity, string]> = [
    [parsed('10Gi'), '10Gi'],
    [parsed('10G'), '10G (9.31Gi)'],
    [parsed('2047'), '2047 (1.99Ki)'], // rounded down, never up to the next unit
    [parsed('1073741824'), '1073741824 (1Gi)'],
    [parsed('1000'), '1000'],
    [parsed('500m'), '500m'],
    [quantityOf(10n * GI), '10Gi'],
    [quantityOf(10n ** 10n), '10G (9.31Gi)'],
    [quantityOf(1500), '1500 (1.46Ki)'],
    [quantityOf(1536), '1536 (1.5Ki)'],
    [quantityOf(2048), '2Ki'],
    [quantityOf(3000), '3k (2.92Ki)'],
    [quantityOf(0), '0'],
    [{ num: 1n, den: 2n }, '500m'],
    [{ num: 1n, den: 4000n }, '250u'],
    [{ num: 1n, den: 3n }, '1/3'],
  ];
  for (const [q, expected] of cases) {
    it(`formats ${q.text ?? `${q.num}/${q.den}`} as ${expected}`, () => {
      assert.equal(formatQuantity(q), expected);
    });
  }

  it('leaves the binary size out when asked', () => {
    assert.equal(formatQuantity(parsed('10G'), { binaryHint: false }), '10G');
  });
});

describe('isFractionalBytes and quantityValue', () => {
  const cases: Array<[string, boolean, bigint]> = [
    ['500m', true, 1n],
    ['-500m', true, -1n],
    ['1500m', true, 2n],
    ['2000m', false, 2n],
    ['1', false, 1n],
    ['2Gi', false, 2n * GI],
  ];
  for (const [input, fractional, rounded] of cases) {
    it(`${input}: fractional ${fractional}, value ${rounded}`, () => {
      assert.equal(isFractionalBytes(parsed(input)), fractional);
      assert.equal(quantityValue(parsed(input)), rounded);
    });
  }
});

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const NANO = 1_000_000_000n;

/** The exact value of `<sign><whole>.<fraction><suffix>` straight from the definition. */
function definitionValue(sign: string, whole: string, fraction: string, suffix: string): [bigint, bigint] {
  let num = BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(fraction.length);
  if (suffix in BINARY) num *= 2n ** BigInt(BINARY[suffix]);
  else {
    const exponent = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
    if (exponent >= 0) num *= 10n ** BigInt(exponent);
    else den *= 10n ** BigInt(-exponent);
  }
  return [num, den];
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

const signs = fc.constantFrom('', '+', '-');
const digitString = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
const suffixes = fc.oneof(
  fc.constantFrom(...Object.keys(DECIMAL), ...Object.keys(BINARY)),
  fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 30 })).map(
    ([e, s, n]) => `${e}${s}${n}`,
  ),
);
const quantityParts = fc
  .record({ sign: signs, whole: digitString(12), fraction: fc.option(digitString(12)), suffix: suffixes })
  .filter(({ whole, fraction }) => whole !== '' || (fraction ?? '') !== '');

function textOf(parts: { sign: string; whole: string; fraction: string | null; suffix: string }): string {
  return `${parts.sign}${parts.whole}${parts.fraction === null ? '' : `.${parts.fraction}`}${parts.suffix}`;
}

describe('quantity properties', () => {
  it('agree with the definition, rounded up to a whole number of nano-units (capped for binary)', () => {
    fc.assert(
      fc.property(quantityParts, (parts) => {
        const q = parseQuantity(textOf(parts));
        assert.ok(q);
        const [num, den] = definitionValue(parts.sign, parts.whole, parts.fraction ?? '', parts.suffix);
        const cap = 2n ** 63n - 1n;
        const magnitude = (n: bigint) => (n < 0n ? -n : n);
        if (parts.suffix in BINARY && magnitude(num) > cap * den) {
          assert.equal(magnitude(q.num), cap);
          assert.equal(q.den, 1n);
          return;
        }
        // q = definition rounded away from zero to a multiple of 1e-9: same sign, |q| >= |def|, |q| - |def| < 1e-9.
        assert.equal((q.num * NANO) % q.den, 0n);
        const excess = magnitude(q.num) * den - magnitude(num) * q.den; // (|q| - |def|) * q.den * den
        assert.ok(excess >= 0n);
        assert.ok(excess * NANO < q.den * den);
        if (num !== 0n && q.num !== 0n) assert.equal(q.num < 0n, num < 0n);
      }),
    );
  });

  it('are reduced fractions with a positive denominator', () => {
    fc.assert(
      fc.property(quantityParts, (parts) => {
        const q = parseQuantity(textOf(parts))!;
        assert.ok(q.den > 0n);
        assert.equal(gcd(q.num, q.den), q.num === 0n ? q.den : 1n);
      }),
    );
  });

  it('give equal values for equal amounts written differently', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (n) => {
        assert.equal(compareQuantity(parsed(`${n}Ki`), parsed(`${n * 1024n}`)), 0);
        assert.equal(compareQuantity(parsed(`${n}k`), parsed(`${n}e3`)), 0);
        assert.equal(compareQuantity(parsed(`${n}000m`), parsed(`${n}`)), 0);
        assert.equal(compareQuantity(parsed(`${n}G`), parsed(`${n}000M`)), 0);
      }),
    );
  });

  it('order quantities totally: antisymmetric, transitive, reflexive', () => {
    const q = quantityParts.map((parts) => parseQuantity(textOf(parts))!);
    fc.assert(
      fc.property(q, q, q, (a, b, c) => {
        assert.equal(compareQuantity(a, a), 0);
        assert.equal(compareQuantity(a, b), -compareQuantity(b, a) || 0);
        if (compareQuantity(a, b) <= 0 && compareQuantity(b, c) <= 0) assert.ok(compareQuantity(a, c) <= 0);
        if (compareQuantity(a, b) === 0) assert.equal(compareQuantity(a, c), compareQuantity(b, c));
      }),
    );
  });

  it('read integers exactly', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        assert.deepEqual(value(n), [BigInt(n), 1n]);
      }),
    );
  });

  it('are never below a binary request when formatted binary hint says so (hint rounds down)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1024n, max: 2n ** 62n }), (n) => {
        const text = formatQuantity(quantityOf(n));
        const hint = /\(([0-9.]+)([KMGTPE]i)\)$/.exec(text) ?? /^([0-9]+)([KMGTPE]i)$/.exec(text);
        assert.ok(hint, text);
        assert.ok(compareQuantity(parsed(`${hint[1]}${hint[2]}`), quantityOf(n)) <= 0, text);
      }),
    );
  });
});

describe('quantitySpelling', () => {
  it('mends the spelling of the amount written, and nothing else', () => {
    const cases: [string, string | undefined][] = [
      ['1gi', '1Gi'], ['5mi', '5Mi'], ['2GiB', '2Gi'], ['2gib', '2Gi'], ['10GB', '10G'], ['1K', '1k'],
      ['1KB', '1k'], ['500MB', '500M'], ['1.5 Gi', '1.5Gi'], [' 10 Gi ', '10Gi'], ['5 M', '5M'], ['3TB', '3T'],
      // valid already, or no unit we can be sure of: bits (`Gb`), 5 milli after a space, a negative size
      ['10Gi', undefined], ['500m', undefined], ['5mb', undefined], ['3Tb', undefined], ['10gb', undefined],
      ['5 m', undefined], ['-1gi', undefined], ['5b', undefined], ['1e', undefined], ['1 e3', undefined],
      ['10 gigs', undefined], ['Gi', undefined], ['1.2.3Gi', undefined], ['1,5Gi', undefined], ['', undefined],
    ];
    for (const [text, meant] of cases) assert.equal(quantitySpelling(text), meant, JSON.stringify(text));
  });

  it('only ever suggests a quantity the parser accepts, other than the text', () => {
    const chars = fc.constantFrom(...'0123456789. +-bBeEiIgGkKmMnNpPtTuU'.split(''));
    fc.assert(fc.property(fc.array(chars, { maxLength: 8 }).map((c) => c.join('')), (text) => {
      const meant = quantitySpelling(text);
      if (meant === undefined) return;
      assert.ok(parseQuantity(meant), `${JSON.stringify(text)} -> ${meant} does not parse`);
      assert.notEqual(meant, text.trim());
    }), { numRuns: 5000 });
  });

  it('ends the API server message with the suggestion, and leaves it alone without one', () => {
    assert.equal(quantityErrorWithHint('1gi'), `${QUANTITY_FORMAT_ERROR}; did you mean "1Gi"?`);
    // 1K has the grammar's shape; Go's ParseQuantity refuses its suffix (ErrSuffix), and so does the message.
    assert.equal(quantityErrorWithHint('1K'), `${QUANTITY_SUFFIX_ERROR}; did you mean "1k"?`);
    assert.equal(quantityErrorWithHint('10 gigs'), QUANTITY_FORMAT_ERROR);
    assert.equal(quantityErrorWithHint(7), QUANTITY_FORMAT_ERROR);
  });
});
