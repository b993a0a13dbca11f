/**
 * Stable DNS names of StatefulSet pods written into configuration: `<sts>-<i>.<svc>[.<ns>[.svc[.<domain>]]]`
 * (Kubernetes docs, StatefulSet "Stable Network ID"; DNS for Services and Pods). Only names of the StatefulSets
 * given are recognised, so ordinary host names are never mistaken for pod names.
 */

export interface PeerName {
  /** The name as written (without a port). */
  readonly text: string;
  /** Offset in the scanned string. */
  readonly index: number;
  readonly statefulSet: string;
  readonly ordinal: number;
  readonly service: string;
  /** Set when the name spells a namespace (`web-0.nginx.shop` or `....shop.svc...`). */
  readonly namespace?: string;
  /** Set when the name spells the cluster domain (`....svc.cluster.local`). */
  readonly clusterDomain?: string;
}

const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
/** What follows `<sts>` in a pod DNS name: `-<ordinal>.<svc>` and any further labels. */
const AFTER_NAME = new RegExp(`-(\\d+)\\.(${LABEL})((?:\\.${LABEL})*)`, 'y');

/**
 * Where such tails start: every `-` followed by digits, a dot and a label character, in order. Found from the dots
 * (indexOf is fast, and texts have fewer dots than dashes), each dash once: its digits end at exactly one dot.
 */
function tailStarts(value: string): number[] {
  const tails: number[] = [];
  for (let dot = value.indexOf('.'); dot !== -1; dot = value.indexOf('.', dot + 1)) {
    if (!isLabelCharacter(value.charCodeAt(dot + 1))) continue;
    let dash = dot - 1;
    while (dash >= 0 && isDigit(value.charCodeAt(dash))) dash--;
    if (dash < dot - 1 && dash >= 0 && value.charCodeAt(dash) === 0x2d) tails.push(dash);
  }
  return tails;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** [a-z0-9]: how a DNS label starts. */
function isLabelCharacter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || isDigit(code);
}

/** [A-Za-z0-9_.-]: a character that continues a host name, so a StatefulSet name cannot start right after it. */
function isNameCharacter(code: number): boolean {
  return isLabelCharacter(code) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code === 0x2e || code === 0x2d;
}

/**
 * Every pod DNS name of one of `statefulSets` in `value`; names outside the cluster's DNS schema are left out.
 * Where names overlap, the leftmost wins and, at one start, the longest StatefulSet name: a name starts at the
 * beginning of the value or after a character that cannot continue a host name.
 */
export function findPeerNames(value: string, statefulSets: readonly string[]): PeerName[] {
  if (statefulSets.length === 0) return [];
  const tails = tailStarts(value);
  if (tails.length === 0) return [];
  const { names, lengths } = indexOf(statefulSets);
  // Every (start, tail) where value[start, tail) is one of the names: leftmost start first, then the longest name.
  const candidates: Array<{ start: number; tail: number }> = [];
  for (const tail of tails) {
    for (const length of lengths) {
      const start = tail - length;
      if (start < 0 || (start > 0 && isNameCharacter(value.charCodeAt(start - 1)))) continue;
      if (names.has(value.slice(start, tail))) candidates.push({ start, tail });
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.tail - a.tail);
  const found: PeerName[] = [];
  let end = 0;
  for (const { start, tail } of candidates) {
    if (start < end) continue;
    AFTER_NAME.lastIndex = tail;
    const match = AFTER_NAME.exec(value)!;
    end = tail + match[0].length;
    const rest = match[3] === '' ? [] : match[3].slice(1).split('.');
    const parsed = readRest(rest);
    if (parsed === undefined) continue;
    found.push({
      text: value.slice(start, end),
      index: start,
      statefulSet: value.slice(start, tail),
      ordinal: Number(match[1]),
      service: match[2],
      ...parsed,
    });
  }
  return found;
}

/** The labels after `<pod>.<svc>`: nothing, `<ns>`, `<ns>.svc`, `<ns>.svc.<domain>`; anything else is not cluster DNS. */
function readRest(rest: readonly string[]): { namespace?: string; clusterDomain?: string } | undefined {
  if (rest.length === 0) return {};
  if (rest.length === 1) return { namespace: rest[0] };
  if (rest[1] !== 'svc') return undefined;
  if (rest.length === 2) return { namespace: rest[0] };
  return { namespace: rest[0], clusterDomain: rest.slice(2).join('.') };
}

interface NameIndex {
  readonly names: ReadonlySet<string>;
  /** The lengths of the names, each once. */
  readonly lengths: readonly number[];
}

/** One index per list of names (a lint run passes the same list for every StatefulSet): built once, not per text. */
const indexes = new WeakMap<readonly string[], NameIndex>();

function indexOf(statefulSets: readonly string[]): NameIndex {
  let index = indexes.get(statefulSets);
  if (index === undefined) {
    const names = new Set(statefulSets);
    index = { names, lengths: [...new Set(statefulSets.map((name) => name.length))] };
    indexes.set(statefulSets, index);
  }
  return index;
}
