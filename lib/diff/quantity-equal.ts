/** Quantity comparison for diffs, on lib/k8s/quantity: `1Gi` and `1024Mi` are the same request. */
import { compareQuantity, parseQuantity } from '../k8s/quantity';

/** -1, 0 or 1 as a < b, a = b, a > b; undefined when either is not a valid quantity. */
export function compareQuantities(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  if ((typeof a !== 'string' && typeof a !== 'number') || (typeof b !== 'string' && typeof b !== 'number')) {
    return undefined;
  }
  const left = parseQuantity(a);
  const right = parseQuantity(b);
  return left && right ? compareQuantity(left, right) : undefined;
}

/** Whether two quantities have the same value; undefined when either is not a valid quantity. */
export function sameQuantity(a: unknown, b: unknown): boolean | undefined {
  const order = compareQuantities(a, b);
  return order === undefined ? undefined : order === 0;
}
