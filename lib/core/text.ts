/** Wording helpers every layer may use. */

/** `1 claim`, `3 claims`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
