/**
 * Suppression: `cdk8s-stateful.io/ignore: rule-a,rule-b` on an object silences those rules for findings about
 * that object. The only place the annotation is read.
 */
import type { Manifest } from './types';

export const IGNORE_ANNOTATION = 'cdk8s-stateful.io/ignore';

const cache = new WeakMap<Manifest, ReadonlySet<string>>();

/** The rule ids an object's ignore annotation names (comma-separated, blanks around ids allowed). */
export function ignoredRules(manifest: Manifest): ReadonlySet<string> {
  let ids = cache.get(manifest);
  if (ids === undefined) {
    const annotations = manifest.object.metadata?.annotations;
    const value = annotations instanceof Object ? (annotations as Record<string, unknown>)[IGNORE_ANNOTATION] : undefined;
    ids = new Set(typeof value === 'string' ? value.split(',').map((id) => id.trim()).filter(Boolean) : []);
    cache.set(manifest, ids);
  }
  return ids;
}

/** A finding is suppressed when the object checked or the object it points at ignores its rule. */
export function isSuppressed(rule: string, ...manifests: readonly Manifest[]): boolean {
  return manifests.some((manifest) => ignoredRules(manifest).has(rule));
}
