/** Which API group an object belongs to, and whether it is the built-in kind the checks and defaults mean. */

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → '' (the core group). */
export function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string' || !apiVersion.includes('/')) return '';
  return apiVersion.slice(0, apiVersion.indexOf('/'));
}

/** Groups of the built-in kinds `diff` knows; a CRD may reuse a kind name in another group. */
const BUILTIN_GROUPS: Readonly<Record<string, string>> = {
  StatefulSet: 'apps',
  Deployment: 'apps',
  DaemonSet: 'apps',
  ReplicaSet: 'apps',
  Service: '',
  PersistentVolumeClaim: '',
  PersistentVolume: '',
};

/** Whether (kind, group) is the built-in kind of that name (e.g. apps StatefulSet, not example.com StatefulSet). */
export function isBuiltinKind(kind: string, group: string): boolean {
  return BUILTIN_GROUPS[kind] === group;
}
