/**
 * The schema's quantity pattern and the exact quantity parser (lib/k8s/quantity.ts) are written independently;
 * they must agree on which strings are quantities, or `schema` and the storage rules would disagree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { QUANTITY_PATTERN } from '../../../lib/schema/derive';
import { quantityError } from '../../../lib/k8s/quantity';

const pattern = new RegExp(QUANTITY_PATTERN, 'u');

/** Accepted by the parser, except for exponents it refuses to compute (syntactically fine, out of its range). */
function parserAccepts(text: string): boolean {
  const error = quantityError(text);
  return error === undefined || error.includes('out of range');
}

test('the pattern and the parser agree on quantity-like strings', () => {
  const quantityChars = fc.constantFrom(...'0123456789.+-eEinumkKMGTP '.split(''));
  fc.assert(
    fc.property(fc.array(quantityChars, { maxLength: 8 }), (chars) => {
      const text = chars.join('');
      assert.equal(pattern.test(text), parserAccepts(text), JSON.stringify(text));
    }),
    { numRuns: 5000 },
  );
});

test('the pattern and the parser agree on examples', () => {
  const examples = ['10Gi', '500m', '1e3', '1E-3', '+.5', '5.', ' 1Gi ', '10 gigs', '1K', 'Gi', '.', '1e', '1.2.3', '--1'];
  for (const text of examples) assert.equal(pattern.test(text), parserAccepts(text), JSON.stringify(text));
});
