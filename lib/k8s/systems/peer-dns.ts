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

/** Every pod DNS name of one of `statefulSets` in `value`; names outside the cluster's DNS schema are left out. */
export function findPeerNames(value: string, statefulSets: readonly string[]): PeerName[] {
  if (statefulSets.length === 0) return [];
  const names = [...statefulSets].sort((a, b) => b.length - a.length).map(escape).join('|');
  const pattern = new RegExp(`(?<![A-Za-z0-9_.-])(${names})-(\\d+)\\.(${LABEL})((?:\\.${LABEL})*)`, 'g');
  const found: PeerName[] = [];
  for (const match of value.matchAll(pattern)) {
    const rest = match[4] === '' ? [] : match[4].slice(1).split('.');
    const parsed = readRest(rest);
    if (parsed === undefined) continue;
    found.push({
      text: match[0],
      index: match.index ?? 0,
      statefulSet: match[1],
      ordinal: Number(match[2]),
      service: match[3],
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

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
