/** Tolerant readers for objects parsed from YAML (any shape): a missing or mistyped node reads as undefined. */

export type Json = Record<string, unknown>;

export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A scalar as Kubernetes would need it as a string (YAML numbers and booleans keep their text). */
export function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    const node = record(current);
    if (node === undefined) return undefined;
    current = node[key];
  }
  return current;
}

export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, raw] of Object.entries(record(value) ?? {})) {
    const shown = scalarText(raw);
    if (shown !== undefined) result[key] = shown;
  }
  return result;
}
