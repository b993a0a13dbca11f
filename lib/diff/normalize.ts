/**
 * Fill in what the API server defaults and drop what it does not distinguish, so that comparing two revisions
 * compares intent: `podManagementPolicy: OrderedReady` spelled out equals it left unset.
 * Quantities are not rewritten here (messages quote them as written); changes.ts compares them by value.
 */
import type { KubeObject } from '../core/types';
import { DEFAULTS, WORKLOADS } from '../k8s/defaults';
import { groupOf, isBuiltinKind } from './identity';

export { DEFAULTS };

type Json = Record<string, unknown>;

const STS = ['StatefulSet'];

/** Fields the API server owns or drops; comparing them would only report noise. */
const STRIPPED: ReadonlyArray<{ kinds: readonly string[] | '*'; path: readonly string[] }> = [
  { kinds: '*', path: ['status'] },
  { kinds: '*', path: ['metadata', 'creationTimestamp'] },
  { kinds: STS, path: ['spec', 'volumeClaimTemplates', '*', 'apiVersion'] },
  { kinds: STS, path: ['spec', 'volumeClaimTemplates', '*', 'kind'] },
  { kinds: STS, path: ['spec', 'volumeClaimTemplates', '*', 'status'] },
  { kinds: STS, path: ['spec', 'volumeClaimTemplates', '*', 'metadata', 'creationTimestamp'] },
  { kinds: WORKLOADS, path: ['spec', 'template', 'metadata', 'creationTimestamp'] },
];

/** Non-pointer Go fields: their zero value is what an absent field decodes to, so the two are the same. */
const ZERO_MEANS_ABSENT: ReadonlyArray<{ kinds: readonly string[]; path: readonly string[]; zero: unknown }> = [
  { kinds: STS, path: ['spec', 'serviceName'], zero: '' },
  { kinds: ['PersistentVolumeClaim'], path: ['spec', 'volumeName'], zero: '' },
  { kinds: ['Service'], path: ['spec', 'clusterIP'], zero: '' },
  { kinds: ['PersistentVolume'], path: ['spec', 'nfs', 'readOnly'], zero: false },
  { kinds: ['PersistentVolume'], path: ['spec', 'hostPath', 'type'], zero: '' },
];

/**
 * Keys whose value is a Go map, a slice, or a struct of maps: the API server stores an empty one as absent,
 * so `labels: {}` equals no labels. (Not every empty object: `emptyDir: {}` selects a volume source.)
 */
const EMPTY_MEANS_ABSENT = new Set([
  'labels', 'annotations', 'matchLabels', 'nodeSelector', 'requests', 'limits', 'capacity', 'resources',
  'data', 'binaryData', 'stringData', 'parameters', 'volumeAttributes', 'metadata', 'securityContext',
]);

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object as the API server would store it, for comparison. Pure: the input is not modified. */
export function normalize(object: KubeObject): KubeObject {
  const named = typeof object.kind === 'string' ? object.kind : '';
  // Defaults are those of the built-in kinds; a custom resource that reuses a kind name gets none.
  const kind = isBuiltinKind(named, groupOf(object.apiVersion)) ? named : '';
  const copy = dropAbsent(structuredClone(object)) as Json;
  for (const entry of STRIPPED) {
    if (entry.kinds === '*' || entry.kinds.includes(kind)) forEachHolder(copy, entry.path, (holder, key) => delete holder[key]);
  }
  for (const entry of ZERO_MEANS_ABSENT) {
    if (!entry.kinds.includes(kind)) continue;
    forEachHolder(copy, entry.path, (holder, key) => {
      if (holder[key] === entry.zero) delete holder[key];
    });
  }
  for (const entry of DEFAULTS) {
    if (!entry.kinds.includes(kind) || (entry.apiVersions && !entry.apiVersions.includes(String(object.apiVersion)))) continue;
    forEachHolder(copy, entry.path, (holder, key) => {
      if (holder[key] !== undefined || (entry.when && !entry.when(holder))) return;
      holder[key] = typeof entry.value === 'function' ? (entry.value as (h: Json) => unknown)(holder) : entry.value;
    });
  }
  return (dropAbsent(copy) ?? {}) as KubeObject;
}

/** Calls `visit` with every object that holds the last key of `path` (visiting each element at '*'). */
function forEachHolder(root: Json, path: readonly string[], visit: (holder: Json, key: string) => void): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    visit(root, head);
    return;
  }
  const next = root[head];
  if (rest[0] === '*') {
    if (!Array.isArray(next) || rest.length === 1) return;
    for (const element of next) if (isObject(element)) forEachHolder(element, rest.slice(1), visit);
    return;
  }
  if (isObject(next)) forEachHolder(next, rest, visit);
}

/** Removes nulls, empty lists and empty maps (see EMPTY_MEANS_ABSENT); returns undefined for a value that is absent. */
function dropAbsent(value: unknown, key = ''): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => dropAbsent(item) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (!isObject(value)) return value;
  const result: Json = {};
  for (const [childKey, child] of Object.entries(value)) {
    const cleaned = dropAbsent(child, childKey);
    if (cleaned !== undefined) result[childKey] = cleaned;
  }
  return Object.keys(result).length === 0 && EMPTY_MEANS_ABSENT.has(key) ? undefined : result;
}
