/**
 * Safe readers for objects parsed from YAML: rules look at any shape (schema validation is another rule's job),
 * so every read tolerates a missing or mistyped node and returns undefined instead.
 */

export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value at a path of keys, or undefined as soon as a step is not a mapping. */
export function dig(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const record = asRecord(current);
    if (record === undefined) return undefined;
    current = record[key];
  }
  return current;
}

/**
 * A map of string values (labels, annotations): YAML numbers and booleans are kept as their text (the schema rule
 * flags them), other values are left out.
 */
export function asStringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  const map = asRecord(value);
  if (map === undefined) return result;
  for (const key of Object.keys(map)) {
    const raw = map[key];
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') result[key] = String(raw);
  }
  return result;
}

/** A non-negative integer or undefined (replicas, ordinals.start). */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The value at a path of keys and array indexes (a finding's path), or undefined. */
export function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      const record = asRecord(current);
      if (record === undefined) return undefined;
      current = record[step];
    }
  }
  return current;
}
