/**
 * Field-level differences between two normalized objects, each named the way a person reads it
 * (`spec.volumeClaimTemplates[data].spec.resources.requests.storage`) and located by index in both revisions.
 */
import type { Path } from '../core/types';
import { sameQuantity } from './quantity-equal';

export interface FieldChange {
  /** Readable path: list items with a name are shown by name (`containers[app]`), others by index. */
  readonly display: string;
  /** Path into the NEW object (as deep as NEW has it). */
  readonly newPath: Path;
  /** Path into the OLD object (as deep as OLD has it). */
  readonly oldPath: Path;
  /** undefined when the field is absent on that side. */
  readonly oldValue: unknown;
  readonly newValue: unknown;
}

/** Keys whose values are maps of resource quantities (`requests.storage: 1Gi` equals `1024Mi`). */
const QUANTITY_MAPS = new Set(['requests', 'limits', 'capacity']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Where {
  readonly display: string;
  readonly newPath: Path;
  readonly oldPath: Path;
  /** The field's own key; '' for a list item. */
  readonly key: string;
}

/** Every field that differs between `oldValue` and `newValue`, deepest first where both sides have structure. */
export function diffFields(oldValue: unknown, newValue: unknown, root: Path = [], display = ''): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(oldValue, newValue, { display, newPath: root, oldPath: root, key: '' }, changes);
  return changes;
}

function walk(a: unknown, b: unknown, where: Where, out: FieldChange[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      walk(a[key], b[key], {
        display: where.display ? `${where.display}.${key}` : key,
        newPath: [...where.newPath, key],
        oldPath: [...where.oldPath, key],
        key,
      }, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.concat(b).every(isObject)) {
    walkObjectList(a as Json[], b as Json[], where, out);
    return;
  }
  if (!sameLeaf(a, b, where)) {
    out.push({ display: where.display, newPath: where.newPath, oldPath: where.oldPath, oldValue: a, newValue: b });
  }
}

/** Lists of objects: paired by name when every item has one (containers, claim templates, ports), else by index. */
function walkObjectList(a: Json[], b: Json[], where: Where, out: FieldChange[]): void {
  const named = a.concat(b).every((item) => itemName(item) !== undefined);
  if (!named) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      walk(a[i], b[i], {
        display: `${where.display}[${i}]`,
        newPath: [...where.newPath, Math.min(i, Math.max(b.length - 1, 0))],
        oldPath: [...where.oldPath, Math.min(i, Math.max(a.length - 1, 0))],
        key: '',
      }, out);
    }
    return;
  }
  const names = [...new Set([...a.map(itemName), ...b.map(itemName)])] as string[];
  for (const name of names) {
    const oldIndex = a.findIndex((item) => itemName(item) === name);
    const newIndex = b.findIndex((item) => itemName(item) === name);
    walk(a[oldIndex], b[newIndex], {
      display: `${where.display}[${name}]`,
      newPath: newIndex >= 0 ? [...where.newPath, newIndex] : where.newPath,
      oldPath: oldIndex >= 0 ? [...where.oldPath, oldIndex] : where.oldPath,
      key: '',
    }, out);
  }
}

function itemName(item: Json): string | undefined {
  const metadata = item.metadata;
  const name = isObject(metadata) ? metadata.name : item.name;
  return typeof name === 'string' ? name : undefined;
}

/** Equal leaves: resource quantities by value (`1Gi` = `1024Mi`), everything else as written. */
function sameLeaf(a: unknown, b: unknown, where: Where): boolean {
  const segments = where.display.split('.');
  const inQuantityMap = where.key !== '' && QUANTITY_MAPS.has(segments[segments.length - 2] ?? '');
  const same = inQuantityMap ? sameQuantity(a, b) : undefined;
  return same ?? JSON.stringify(a) === JSON.stringify(b);
}

/** A value as a message shows it: scalars as written, structures as compact JSON, absent as `(unset)`. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** `spec.x: old → new` */
export function describeChange(change: FieldChange): string {
  return `${change.display}: ${showValue(change.oldValue)} → ${showValue(change.newValue)}`;
}
