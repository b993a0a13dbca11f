/** Rows i-2, i-1 and i of editDistance's table, reused across calls (the schema pass measures every known field). */
let distanceRows = new Int32Array(3 * 64);

/**
 * Optimal string alignment distance (insertions, deletions, substitutions, adjacent transpositions), for "did you
 * mean" suggestions; `limit + 1` at once when the lengths alone differ by more than `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  if (distanceRows.length < 3 * width) distanceRows = new Int32Array(3 * width);
  const d = distanceRows;
  for (let j = 0; j < width; j++) d[j] = j;
  let before = 0; // row i-2
  let previous = 0; // row i-1
  let current = width; // row i
  for (let i = 1; i <= a.length; i++) {
    d[current] = i;
    for (let j = 1; j < width; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[previous + j] + 1, d[current + j - 1] + 1, d[previous + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[before + j - 2] + 1);
      d[current + j] = best;
    }
    before = previous;
    previous = current;
    current = (current + width) % (3 * width);
  }
  return d[previous + b.length];
}

