/**
 * The text a user wrote for a value YAML turned into something else: `n` read as `false`, `0x1F` as `31`,
 * `1e3` as `1000`. The loader records it; messages print it, so a user sees their own token.
 */
const tokens = new WeakMap<object, Map<string | number, string>>();

export function recordToken(container: object, key: string | number, token: string): void {
  let byKey = tokens.get(container);
  if (byKey === undefined) tokens.set(container, (byKey = new Map()));
  byKey.set(key, token);
}

/** The token behind `container[key]`, if the loader recorded one. */
export function tokenOf(container: unknown, key: string | number): string | undefined {
  return container instanceof Object ? tokens.get(container)?.get(key) : undefined;
}

/** Keeps the tokens of `from` on its copy `to` (for code that copies an object it read). */
export function copyTokens(from: object, to: object): void {
  const byKey = tokens.get(from);
  if (byKey !== undefined) tokens.set(to, new Map(byKey));
}
