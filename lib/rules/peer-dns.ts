import { findPeerNames, type PeerName } from '../k8s/systems';
import { defineRule, type Report } from '../core/rule';
import type { LintContext } from '../core/types';
import { clusterOf, clusters, type StatefulCluster } from './support/cluster';

const messages = {
  ordinalOutOfRange: (d: { name: string; where: string; sts: string; first: number; last: number; replicas: number }) =>
    `${d.where} names ${d.name}, but StatefulSet "${d.sts}" runs ordinals ${d.first}..${d.last} ` +
    `(${d.replicas} replicas): ${those(d.name, 'that pod does not exist and its name does not resolve', 'those pods do not exist and their names do not resolve')}; ` +
    `list only existing ordinals or change replicas`,
  wrongService: (d: { name: string; where: string; sts: string; service: string; actual: string }) =>
    `${d.where} names ${d.name} through Service "${d.service}", but StatefulSet "${d.sts}" gives its pods DNS ` +
    `names through its serviceName "${d.actual}": ${those(d.name, 'the name does', 'the names do')} not resolve; ` +
    `write ${d.sts}-<i>.${d.actual}`,
  wrongNamespace: (d: { name: string; where: string; sts: string; spelled: string; actual: string }) =>
    `${d.where} names ${d.name} in namespace "${d.spelled}", but StatefulSet "${d.sts}" runs in namespace ` +
    `"${d.actual}": ${those(d.name, 'the name does', 'the names do')} not resolve there; use the namespace the ` +
    `pods run in (or the short name <pod>.<service>, which resolves in the pod's own namespace)`,
};

/**
 * A pod DNS name in configuration (`<sts>-<i>.<svc>[.<ns>[.svc[.<domain>]]]`, Kubernetes docs "StatefulSet: Stable
 * Network ID") must name a pod that exists: an ordinal in [start, start + replicas), the StatefulSet's serviceName
 * (only the governing Service creates per-pod records), and its namespace (a chart that hard-codes
 * `default.svc.cluster.local` breaks when installed elsewhere).
 */
export const peerDns = defineRule({
  id: 'peer-dns',
  phase: 'set',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
    'Pod DNS names of StatefulSets written in env, command, args or ConfigMaps name existing ordinals, the ' +
    "StatefulSet's serviceName and its namespace.",
    remediation: 'Write peer names as <sts>-<ordinal>.<serviceName>.<namespace>.svc.cluster.local for ordinals that exist.',
  },
  messages,
  check(manifest, ctx) {
    const own = clusterOf(manifest, ctx);
    const config = own.config;
    const names = ctx.memo('rules/peer-dns/names', () => [...new Set([...clusters(ctx).values()].map((c) => c.view.name))]);
    const findings: Report<typeof messages>[] = [];
    for (const source of config.texts) {
      const peers = findPeerNames(source.text, names);
      if (peers.length === 0) continue;
      // One finding per source and kind of problem, naming every name it concerns.
      const grouped = new Map<string, Problem>();
      for (const peer of peers) {
        const problem = problemOf(peer, own, ctx, source);
        if (problem === undefined) continue;
        const key = JSON.stringify({ ...problem, data: { ...problem.data, name: '' } });
        const earlier = grouped.get(key);
        if (earlier === undefined) grouped.set(key, problem);
        else if (!earlier.data.name.split(', ').includes(peer.text)) {
          grouped.set(key, { ...earlier, data: { ...earlier.data, name: `${earlier.data.name}, ${peer.text}` } } as Problem);
        }
      }
      for (const problem of grouped.values()) {
        findings.push({ ...problem, manifest: source.manifest === manifest ? undefined : source.manifest, path: source.path } as Report<typeof messages>);
      }
    }
    return findings;
  },
});

type Problem = Omit<Report<typeof messages>, 'path' | 'manifest' | 'severity'> & { readonly data: { readonly name: string } };

/** Where a peer name was written (a ConfigText): its `where` is worked out only for a problem found. */
interface Source {
  readonly where: string;
}

function problemOf(peer: PeerName, own: StatefulCluster, ctx: LintContext, source: Source): Problem | undefined {
  const inNamespace = (namespace: string) => clustersByName(ctx).get(namespace)?.get(peer.statefulSet);
  const namespace = peer.namespace ?? own.namespace;
  const target = inNamespace(namespace);
  if (target === undefined) {
    // A namespace is certain only when `.svc` follows it (`web-0.nginx.shop` might be an outside domain).
    const local = peer.namespace !== undefined && spellsSvc(peer) ? inNamespace(own.namespace) : undefined;
    return local === undefined ? undefined : wrongNamespace(peer, local, source);
  }
  const { name, serviceName, ordinalsStart, replicas } = target.view;
  if (serviceName !== undefined && serviceName !== '' && peer.service !== serviceName) {
    return { messageId: 'wrongService', data: { name: peer.text, where: source.where, sts: name, service: peer.service, actual: serviceName } };
  }
  if (peer.ordinal < ordinalsStart || peer.ordinal >= ordinalsStart + replicas) {
    return {
      messageId: 'ordinalOutOfRange',
      data: { name: peer.text, where: source.where, sts: name, first: ordinalsStart, last: ordinalsStart + replicas - 1, replicas },
    };
  }
  return undefined;
}

/** Namespace → StatefulSet name → the first StatefulSet of that name there: built once per run. */
function clustersByName(ctx: LintContext): ReadonlyMap<string, ReadonlyMap<string, StatefulCluster>> {
  return ctx.memo('rules/peer-dns/by-name', () => {
    const index = new Map<string, Map<string, StatefulCluster>>();
    for (const cluster of clusters(ctx).values()) {
      let named = index.get(cluster.namespace);
      if (named === undefined) index.set(cluster.namespace, (named = new Map()));
      if (!named.has(cluster.view.name)) named.set(cluster.view.name, cluster);
    }
    return index;
  });
}

function those(names: string, one: string, many: string): string {
  return names.includes(', ') ? many : one;
}

function spellsSvc(peer: PeerName): boolean {
  return /\.svc(\.|$)/.test(peer.text);
}

function wrongNamespace(peer: PeerName, local: StatefulCluster, source: Source): Problem {
  return {
    messageId: 'wrongNamespace',
    data: { name: peer.text, where: source.where, sts: local.view.name, spelled: peer.namespace ?? '', actual: local.namespace },
  };
}
