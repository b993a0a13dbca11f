/**
 * Duplicate keys. Kubernetes' YAML decoder keeps the last value without a word (`replicas: 3` then `replicas: 5`
 * runs 5 replicas), which is almost never what the author meant, so each repeated key is reported.
 */
import { Document, Node, Pair, isAlias, isCollection, isMap, isPair, isScalar } from 'yaml';
import { keyText } from './source-map';
import { KEPT_LIST, KEPT_MAPPING, describeKeptScalar, duplicateKeyMessage } from './duplicate-key-message';

export interface DuplicateKey {
  /** Offset of the repeated key in the document's text. */
  readonly offset: number;
  readonly message: string;
}

/** `5`, `"nginx"`, or a description of a collection: how the kept value reads in a message. */
function describeValue(value: unknown): string {
  if (isScalar(value)) return describeKeptScalar(String(value.value ?? ''), value.type === 'PLAIN' && !value.tag);
  if (isMap(value)) return KEPT_MAPPING;
  if (isCollection(value)) return KEPT_LIST;
  if (isAlias(value)) return `*${value.source}`;
  return 'null';
}

/** Every key that repeats an earlier key of the same mapping, in document order (merge keys `<<` excepted). */
export function findDuplicateKeys(doc: Document): DuplicateKey[] {
  const duplicates: DuplicateKey[] = [];
  const pending: unknown[] = [doc.contents];
  const push = (node: unknown) => {
    if (isCollection(node)) pending.push(node);
  };
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node) && hasRepeatedKey(node.items)) describeRepeats(node.items, duplicates);
    if (isCollection(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          push(item.key);
          push(item.value);
        } else {
          push(item);
        }
      }
    }
  }
  return duplicates.sort((a, b) => a.offset - b.offset);
}

/** The quick check every mapping gets; most have no repeated key. */
function hasRepeatedKey(pairs: Pair[]): boolean {
  const seen = new Set<string>();
  for (const pair of pairs) {
    const key = keyText(pair);
    if (key === undefined || key === '<<') continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

function describeRepeats(pairs: Pair[], duplicates: DuplicateKey[]): void {
  const byKey = new Map<string, Pair[]>();
  for (const pair of pairs) {
    const key = keyText(pair);
    if (key === undefined || key === '<<') continue;
    const same = byKey.get(key);
    if (same) same.push(pair);
    else byKey.set(key, [pair]);
  }
  for (const [key, same] of byKey) {
    if (same.length < 2) continue;
    const kept = describeValue(same[same.length - 1].value);
    for (const repeated of same.slice(1)) {
      duplicates.push({
        offset: (repeated.key as Node).range?.[0] ?? 0,
        message: duplicateKeyMessage(key, kept),
      });
    }
  }
}
