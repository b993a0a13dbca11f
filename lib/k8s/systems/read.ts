/** The model's tolerant readers (lib/k8s/values.ts) under the short names the systems modules use. */
export {
  asArray as list,
  asCount as count,
  asRecord as record,
  asString as text,
  asStringMap as stringMap,
  dig as at,
  type Json,
} from '../values';

/** A scalar as Kubernetes would need it as a string (YAML numbers and booleans keep their text). */
export function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
