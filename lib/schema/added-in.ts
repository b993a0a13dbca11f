/**
 * "added in Kubernetes 1.30": for a field unknown to the version a run checks, the later version that added it,
 * read from what the build derived (generated/added-fields.json and the run's generated/…/field-refs.json).
 * Loaded only when an unknown field bears the name of a field some later version added.
 */
import type { Path } from '../core/types';
import { atLeast, type KubernetesVersion } from '../k8s/versions';
import { generatedDir, readGenerated } from './generated-dir';

let added: Record<string, string> | undefined;
let addedNames: ReadonlySet<string> | undefined;
const refsOf = new Map<KubernetesVersion, Record<string, Record<string, string>>>();

/**
 * The later version that added `path`'s last segment (an unknown field) to the definition it sits in, walking
 * from the kind's `definition` along the path, or undefined.
 */
export function addedIn(version: KubernetesVersion, definition: string, fieldPath: Path): string | undefined {
  const field = fieldPath[fieldPath.length - 1];
  if (typeof field !== 'string') return undefined;
  added ??= readGenerated<Record<string, string>>('generated/added-fields.json');
  addedNames ??= new Set(Object.keys(added).map((key) => key.slice(key.indexOf('#') + 1)));
  if (!addedNames.has(field)) return undefined;
  const current = definitionAt(version, definition, fieldPath.slice(0, -1));
  if (current === undefined) return undefined;
  const since = added[`${current}#${field}`];
  return since !== undefined && !atLeast(version, since) ? since : undefined;
}

/** The OpenAPI definition of the node at `nodePath` (a mapping of the object), walking from the kind's `definition`. */
export function definitionAt(version: KubernetesVersion, definition: string, nodePath: Path): string | undefined {
  let refs = refsOf.get(version);
  if (!refs) {
    refs = readGenerated<Record<string, Record<string, string>>>(`${generatedDir(version)}/field-refs.json`);
    refsOf.set(version, refs);
  }
  let current: string | undefined = definition;
  let container: '' | '[]' | '{}' = '';
  for (const segment of nodePath) {
    if (current === undefined) return undefined;
    if (container !== '') {
      // An item of a list or a value of a map: the same definition.
      container = '';
      continue;
    }
    const next: string | undefined = refs[current]?.[String(segment)];
    if (next === undefined) return undefined;
    container = next.startsWith('[]') ? '[]' : next.startsWith('{}') ? '{}' : '';
    current = container === '' ? next : next.slice(2);
  }
  return container === '' ? current : undefined;
}
