/** Helpers shared by the diff checks: field changes of a pair and the API server's wording. */
import type { KubeObject } from '../../core/types';
import { diffFields, type FieldChange } from '../changes';
import type { ObjectPair } from '../types';

type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `obj.spec` (normalized) as a plain object, `{}` when absent. */
export function specOf(object: KubeObject | undefined): Json {
  return isObject(object?.spec) ? object.spec : {};
}

/**
 * Changes under `spec` of a pair present in both revisions, leaving out the top-level spec keys in `except`. Several
 * changes inside `spec.selector` (a label renamed) are one change of the selector, as the API server refuses it once.
 */
export function specChanges(pair: ObjectPair, except: readonly string[] = []): FieldChange[] {
  if (!pair.old || !pair.new) return [];
  const strip = (spec: Json): Json =>
    Object.fromEntries(Object.entries(spec).filter(([key]) => !except.includes(key)));
  const [oldSpec, newSpec] = [strip(specOf(pair.old.normalized)), strip(specOf(pair.new.normalized))];
  const changes = diffFields(oldSpec, newSpec, ['spec'], 'spec');
  const inSelector = (change: FieldChange) => change.display.startsWith('spec.selector.');
  const first = changes.findIndex(inSelector);
  if (first === -1 || changes.filter(inSelector).length === 1) return changes;
  const selector: FieldChange = {
    display: 'spec.selector',
    oldPath: ['spec', 'selector'],
    newPath: ['spec', 'selector'],
    oldValue: oldSpec.selector,
    newValue: newSpec.selector,
  };
  return [...changes.slice(0, first), selector, ...changes.slice(first).filter((change) => !inSelector(change))];
}

/** How the API server names a kind in errors: `StatefulSet.apps`, `Service` (core group has no suffix). */
export function groupKind(pair: ObjectPair): string {
  return pair.group ? `${pair.kind}.${pair.group}` : pair.kind;
}

/** `StatefulSet.apps "web" is invalid: <cause>` as a 1.28 API server words a refused update. */
export function invalid(pair: ObjectPair, cause: string): string {
  return `${groupKind(pair)} "${pair.name}" is invalid: ${cause}`;
}

/** `-n ns` for kubectl, empty for cluster-scoped objects. */
export function namespaceFlag(pair: ObjectPair): string {
  return pair.namespace ? ` -n ${pair.namespace}` : '';
}

/**
 * A selector change whose OLD sets no selector: apps/v1 requires one (apps/v1beta1's default is filled in by
 * normalize), so the live object was not created from OLD as written, and only it can say whether the update is
 * refused. The message for a workload's check, which words the kind and the kubectl resource.
 */
export const SELECTOR_UNSET_IN_OLD =
  '{{change}}: OLD sets no spec.selector, which the API server requires (spec.selector: Required value), so the ' +
  'live {{kind}} was not created from OLD as written; the update is refused unless its selector already equals ' +
  'this one ({{invalid}}). Compare with kubectl get {{resource}} {{name}}{{namespaceFlag}} -o yaml';

/** Whether OLD sets no selector (see SELECTOR_UNSET_IN_OLD). */
export function selectorUnsetInOld(pair: ObjectPair): boolean {
  return specOf(pair.old?.normalized).selector === undefined;
}
