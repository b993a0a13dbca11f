/** Whether a paired object is the built-in kind the checks and defaults mean (asked of the one catalogue). */
import { builtInKind } from '../k8s/kinds';

export { groupOf } from '../k8s/kinds';

/** Whether (kind, group) is the built-in kind of that name (e.g. apps StatefulSet, not example.com StatefulSet). */
export function isBuiltinKind(kind: string, group: string): boolean {
  return builtInKind(group, kind) !== undefined;
}
