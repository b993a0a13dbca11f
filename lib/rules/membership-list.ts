import { podName } from '../k8s/names';
import {
  CASSANDRA_IMAGE_ENV,
  CLASSIC_CONFIG_NODE_KEY,
  findPeerNames,
  findSetting,
  findSettings,
  isDynamic,
  KRAFT_VOTERS,
  parseEtcdInitialCluster,
  parseHostList,
  parseKRaftVoters,
  parseMongoInitiateHosts,
  PEER_DISCOVERY_BACKEND_KEY_PATTERN,
  rabbitmqNodeHost,
  SYSTEM_NAMES,
  type SettingSpec,
  ZOOKEEPER_ID_RANGE,
  zookeeperServerList,
  type SettingValue,
  usesClassicConfig,
} from '../k8s/systems';
import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest } from '../core/types';
import { escapeRegExp } from '../core/text';
import { clusterOf, clusters, plural, type StatefulCluster } from './support/cluster';

const messages = {
  countMismatch: (d: { setting: string; where: string; listed: number; system: string; sts: string; replicas: number; consequence: string }) =>
    `${d.setting} (${d.where}) lists ${plural(d.listed, 'member')}, but ${d.system} StatefulSet "${d.sts}" runs ` +
    `${plural(d.replicas, 'replica')}: ${d.consequence}`,
  notAPod: (d: { setting: string; where: string; member: string; sts: string; first: number; last: number }) =>
    `${d.setting} (${d.where}) names member "${d.member}", but StatefulSet "${d.sts}" runs pods ` +
    `${d.sts}-${d.first}..${d.sts}-${d.last}: that member never starts; list exactly the pods of the set`,
  duplicate: (d: { setting: string; where: string; what: string }) =>
    `${d.setting} (${d.where}) lists ${d.what} twice: each member must appear exactly once`,
  idOutOfRange: (d: { where: string; id: number }) =>
    `server.${d.id} (${d.where}): a ZooKeeper server id must be between 1 and 255 (ZooKeeper Administrator's Guide, ` +
    `"myid"); derive ids as ordinal + 1`,
  idsNotOrdinals: (d: { setting: string; where: string; pairs: string }) =>
    `${d.setting} (${d.where}) gives ids that do not follow the pod ordinals (${d.pairs}): each pod derives its ` +
    `id from its ordinal, so a pod would claim another member's id; use id = ordinal + a fixed base for every pod`,
  staticBootstrap: (d: { where: string; sts: string; replicas: number; next: string; state: string }) =>
    `every pod of etcd StatefulSet "${d.sts}" starts with initial-cluster-state ${d.state} and the same static ` +
    `${d.replicas}-member initial-cluster (${d.where}): a member added by raising replicas is not in an ` +
    `unchanged list and fails with "couldn't find local name in the initial cluster configuration" (or, with the ` +
    `list regenerated, bootstraps a second cluster instead of joining); pods beyond the bootstrap members must ` +
    `start with initial-cluster-state existing after "etcdctl member add ${d.next}", e.g. from a start-up script ` +
    `that picks the state from the ordinal`,
  seedsDiffer: (d: { where: string; sts: string; cluster: string; seeds: string; other: string; otherSeeds: string }) =>
    `the seeds of Cassandra StatefulSet "${d.sts}" (${d.where}: ${d.seeds}) differ from those of StatefulSet ` +
    `"${d.other}" of the same cluster "${d.cluster}" (${d.otherSeeds}): nodes that disagree on their seeds can ` +
    `form separate rings and a node may take itself for a seed and skip bootstrapping; give every node of the ` +
    `cluster the same list`,
  allSeeds: (d: { where: string; sts: string; replicas: number }) =>
    `every node of Cassandra StatefulSet "${d.sts}" (${d.replicas} replicas) is a seed (${d.where}): a seed node ` +
    `never bootstraps, so a replaced or added node joins without streaming its data; make the first one or two ` +
    `ordinals seeds, never all`,
};

/**
 * A static member list must match the StatefulSet it configures: etcd `initial-cluster` (etcd clustering guide:
 * one name=peerURL per member, the name being the member's --name), ZooKeeper `server.N` (ids 1..255, one per
 * server, `myid` from the ordinal), KRaft `controller.quorum.voters` (node.id@host), Cassandra seeds (a subset),
 * Elasticsearch `cluster.initial_master_nodes` (the node names of the masters), MongoDB rs.initiate members,
 * RabbitMQ `cluster_formation.classic_config.nodes.N` (a blank node joins the first listed node it reaches).
 * Lists computed at run time (`$VAR`, scripts) are not judged.
 */
export const membershipList = defineRule({
  id: 'membership-list',
  phase: 'set',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
    "The static member list of an identified system (etcd initial-cluster, ZooKeeper server.N, KRaft voters, " +
    'Cassandra seeds, Elasticsearch initial master nodes, MongoDB rs.initiate, RabbitMQ classic_config nodes) ' +
    'matches the StatefulSet; the StatefulSets of one Cassandra cluster share one seed list.',
    remediation: 'Generate the member list from the StatefulSet: one entry per ordinal, named after the pod.',
  },
  messages,
  check(manifest, ctx) {
    const cluster = clusterOf(manifest, ctx);
    switch (cluster.identification?.system) {
      case 'etcd': return etcd(cluster);
      case 'zookeeper': return zookeeper(cluster);
      case 'kafka-controller': return kraft(cluster);
      case 'cassandra': return cassandra(cluster, ctx);
      case 'elasticsearch-master': return elasticsearch(cluster);
      case 'mongodb': return mongodb(cluster);
      case 'rabbitmq': return rabbitmq(cluster);
      default: return [];
    }
  },
});

type Finding = Report<typeof messages>;
type Problem = Omit<Finding, 'path' | 'manifest' | 'severity'>;

function at(setting: SettingValue, owner: Manifest, problem: Problem, severity?: 'warning'): Finding {
  return {
    ...problem,
    path: setting.source.path,
    manifest: setting.source.manifest === owner ? undefined : setting.source.manifest,
    ...(severity === undefined ? {} : { severity }),
  } as Finding;
}

function range(cluster: StatefulCluster): { first: number; last: number; has: (ordinal: number) => boolean } {
  const first = cluster.view.ordinalsStart;
  const last = first + cluster.view.replicas - 1;
  return { first, last, has: (ordinal) => ordinal >= first && ordinal <= last };
}

/** The ordinal of `<sts>-<i>` (a pod name, or the first label of a pod DNS name), if it names this set's pod. */
function ordinalOf(cluster: StatefulCluster, name: string): number | undefined {
  const match = new RegExp(`^${escapeRegExp(cluster.view.name)}-(\\d+)(?:\\.|$)`).exec(name);
  return match === null ? undefined : Number(match[1]);
}

function config(cluster: StatefulCluster) {
  return cluster.identification!.config;
}

function etcd(cluster: StatefulCluster): Report<typeof messages>[] {
  const settings = findSettings(config(cluster), {
    env: ['ETCD_INITIAL_CLUSTER'], flags: ['--initial-cluster'], keys: ['initial-cluster', 'ETCD_INITIAL_CLUSTER'],
  });
  // A list also computed at run time (a start-up script) makes the static one a bootstrap list: its entries must
  // still be pods of the set, once each, but it may name fewer members than the replicas.
  const bootstrapOnly = settings.some((s) => isDynamic(s.value));
  const setting = settings.find((s) => !isDynamic(s.value));
  if (setting === undefined) return [];
  const members = parseEtcdInitialCluster(setting.value);
  if (members === undefined) return [];
  const owner = cluster.manifest;
  const { name, replicas } = cluster.view;
  const where = setting.source.where;
  const findings: Report<typeof messages>[] = [];
  const ordinals = members.map((m) => ordinalOf(cluster, m.name));
  if (ordinals.some((o) => o === undefined)) return [];
  const seen = new Set<string>();
  for (const member of members) {
    if (seen.has(member.name)) findings.push(at(setting, owner, { messageId: 'duplicate', data: { setting: 'initial-cluster', where, what: `member "${member.name}"` } }));
    seen.add(member.name);
  }
  const { first, last, has } = range(cluster);
  for (const member of members) {
    if (!has(ordinalOf(cluster, member.name)!)) {
      findings.push(at(setting, owner, { messageId: 'notAPod', data: { setting: 'initial-cluster', where, member: member.name, sts: name, first, last } }));
    }
  }
  if (findings.length === 0 && members.length !== replicas && !bootstrapOnly) {
    const missing = Array.from({ length: replicas }, (_, i) => podName(name, first + i)).filter((p) => !seen.has(p));
    findings.push(at(setting, owner, { messageId: 'countMismatch', data: {
      setting: 'initial-cluster', where, listed: members.length, system: 'etcd', sts: name, replicas,
      consequence: missing.length > 0
        ? `${missing.join(', ')} ${missing.length === 1 ? 'is not in the list and fails' : 'are not in the list and fail'} with "couldn't find local name in the initial cluster configuration"`
        : 'the bootstrap waits for members that never start',
    } }));
  }
  if (findings.length > 0 || bootstrapOnly) return findings;
  const state = findSetting(config(cluster), { env: ['ETCD_INITIAL_CLUSTER_STATE'], flags: ['--initial-cluster-state'], keys: ['initial-cluster-state'] });
  if (state !== undefined && state.value === 'new') {
    findings.push(at(state, owner, { messageId: 'staticBootstrap', data: {
      where, sts: name, replicas, state: state.value,
      next: `${podName(name, last + 1)} --peer-urls=${members[0].url.includes(members[0].name) ? members[0].url.replace(members[0].name, podName(name, last + 1)) : '<its peer URL>'}`,
    } }, 'warning'));
  }
  return findings;
}

function zookeeper(cluster: StatefulCluster): Report<typeof messages>[] {
  const owner = cluster.manifest;
  const { name, replicas } = cluster.view;
  const count = findSetting(config(cluster), { flags: ['--servers'] });
  if (count !== undefined && /^\d+$/.test(count.value) && Number(count.value) !== replicas) {
    return [at(count, owner, { messageId: 'countMismatch', data: {
      setting: '--servers', where: count.source.where, listed: Number(count.value), system: 'ZooKeeper', sts: name,
      replicas, consequence: 'the ensemble is configured for pods that do not exist (or leaves pods out) and its quorum is computed over the wrong size',
    } })];
  }
  const list = zookeeperServerList(config(cluster));
  if (list === undefined) return [];
  const { setting, servers } = list;
  const where = setting.source.where;
  const findings: Report<typeof messages>[] = [];
  const ids = new Set<number>();
  for (const server of servers) {
    if (ids.has(server.id)) findings.push(at(setting, owner, { messageId: 'duplicate', data: { setting: 'server.N', where, what: `id ${server.id}` } }));
    ids.add(server.id);
    if (server.id < ZOOKEEPER_ID_RANGE.min || server.id > ZOOKEEPER_ID_RANGE.max) findings.push(at(setting, owner, { messageId: 'idOutOfRange', data: { where, id: server.id } }));
  }
  findings.push(...idsFollowOrdinals(cluster, setting, servers, 'server.N'));
  return findings;
}

/** ids − ordinals constant, and one entry per pod, for lists whose hosts are this set's pods. */
function idsFollowOrdinals(
  cluster: StatefulCluster,
  setting: SettingValue,
  entries: ReadonlyArray<{ readonly id: number; readonly host: string }>,
  label: string,
): Report<typeof messages>[] {
  const pods = entries.map((e) => findPeerNames(e.host, [cluster.view.name])[0]);
  if (pods.some((p) => p === undefined || p.index !== 0)) return [];
  const where = setting.source.where;
  const { name, replicas } = cluster.view;
  const offsets = new Set(entries.map((e, i) => e.id - pods[i]!.ordinal));
  if (offsets.size > 1) {
    const pairs = entries.map((e, i) => `${e.id} → ${podName(name, pods[i]!.ordinal)}`).join(', ');
    return [at(setting, cluster.manifest, { messageId: 'idsNotOrdinals', data: { setting: label, where, pairs } })];
  }
  if (entries.length !== replicas && pods.every((p) => range(cluster).has(p!.ordinal))) {
    return [at(setting, cluster.manifest, { messageId: 'countMismatch', data: {
      setting: label, where, listed: entries.length, system: SYSTEM_NAMES[cluster.identification!.system], sts: name, replicas,
      consequence: entries.length < replicas
        ? 'the pods left out are not voting members and cannot join'
        : 'the quorum is computed over members that do not exist',
    } })];
  }
  return [];
}

function kraft(cluster: StatefulCluster): Report<typeof messages>[] {
  const setting = findSetting(config(cluster), KRAFT_VOTERS);
  if (setting === undefined || isDynamic(setting.value)) return [];
  const voters = parseKRaftVoters(setting.value);
  if (voters === undefined) return [];
  const ids = new Set<number>();
  for (const voter of voters) {
    if (ids.has(voter.id)) {
      return [at(setting, cluster.manifest, { messageId: 'duplicate', data: { setting: 'controller.quorum.voters', where: setting.source.where, what: `node id ${voter.id}` } })];
    }
    ids.add(voter.id);
  }
  return idsFollowOrdinals(cluster, setting, voters, 'controller.quorum.voters');
}

const CASSANDRA_SEEDS: SettingSpec = { env: [CASSANDRA_IMAGE_ENV.seeds], keys: ['seeds'] };
const CASSANDRA_CLUSTER_NAME: SettingSpec = { env: [CASSANDRA_IMAGE_ENV.cluster_name], keys: ['cluster_name'] };

function cassandra(cluster: StatefulCluster, ctx: LintContext): Report<typeof messages>[] {
  const setting = findSetting(config(cluster), CASSANDRA_SEEDS);
  if (setting === undefined || isDynamic(setting.value)) return [];
  const differ = seedsDiffer(cluster, setting, ctx);
  if (differ !== undefined) return [differ];
  if (cluster.view.replicas < 2) return [];
  const hosts = parseHostList(setting.value);
  if (hosts === undefined) return [];
  const seeds = new Set(hosts.map((h) => ordinalOf(cluster, h)).filter((o): o is number => o !== undefined));
  const { first, last } = range(cluster);
  for (let ordinal = first; ordinal <= last; ordinal += 1) if (!seeds.has(ordinal)) return [];
  return [at(setting, cluster.manifest, { messageId: 'allSeeds', data: { where: setting.source.where, sts: cluster.view.name, replicas: cluster.view.replicas } }, 'warning')];
}

/** The first other StatefulSet of the same Cassandra cluster (namespace and cluster_name) with another seed list. */
function seedsDiffer(cluster: StatefulCluster, setting: SettingValue, ctx: LintContext): Finding | undefined {
  const name = findSetting(config(cluster), CASSANDRA_CLUSTER_NAME)?.value;
  const own = parseHostList(setting.value);
  if (name === undefined || own === undefined) return undefined;
  for (const other of clusters(ctx).values()) {
    if (other === cluster || other.namespace !== cluster.namespace || other.identification?.system !== 'cassandra') continue;
    if (findSetting(config(other), CASSANDRA_CLUSTER_NAME)?.value !== name) continue;
    const seeds = findSetting(config(other), CASSANDRA_SEEDS);
    const theirs = seeds === undefined || isDynamic(seeds.value) ? undefined : parseHostList(seeds.value);
    if (theirs === undefined || sameSet(own, theirs)) continue;
    return at(setting, cluster.manifest, { messageId: 'seedsDiffer', data: {
      where: setting.source.where, sts: cluster.view.name, cluster: name, seeds: own.join(','), other: other.view.name, otherSeeds: theirs.join(','),
    } });
  }
  return undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return new Set(a).size === new Set(b).size && a.every((host) => b.includes(host));
}

function elasticsearch(cluster: StatefulCluster): Report<typeof messages>[] {
  const setting = findSetting(config(cluster), { env: ['cluster.initial_master_nodes'], keys: ['cluster\\.initial_master_nodes'] });
  if (setting === undefined || isDynamic(setting.value)) return [];
  const nodes = parseHostList(setting.value);
  if (nodes === undefined) return [];
  const ordinals = nodes.map((n) => (n.includes('.') ? undefined : ordinalOf(cluster, n)));
  if (ordinals.some((o) => o === undefined)) return [];
  const { first, last, has } = range(cluster);
  const where = setting.source.where;
  const outside = nodes.filter((_, i) => !has(ordinals[i]!));
  if (outside.length > 0) {
    return outside.map((member) => at(setting, cluster.manifest, { messageId: 'notAPod', data: { setting: 'cluster.initial_master_nodes', where, member, sts: cluster.view.name, first, last } }));
  }
  if (new Set(ordinals).size !== cluster.view.replicas) {
    return [at(setting, cluster.manifest, { messageId: 'countMismatch', data: {
      setting: 'cluster.initial_master_nodes', where, listed: nodes.length, system: 'Elasticsearch master',
      sts: cluster.view.name, replicas: cluster.view.replicas,
      consequence: 'the first election counts votes over a different set of masters than the one that starts',
    } })];
  }
  return [];
}

function mongodb(cluster: StatefulCluster): Report<typeof messages>[] {
  for (const source of config(cluster).texts) {
    const hosts = parseMongoInitiateHosts(source.text);
    if (hosts === undefined || hosts.length < 2 || isDynamic(hosts.join(','))) continue;
    const ordinals = hosts.map((h) => ordinalOf(cluster, h));
    if (ordinals.some((o) => o === undefined)) continue;
    const setting: SettingValue = { value: hosts.join(','), source, name: 'rs.initiate' };
    const { first, last, has } = range(cluster);
    const outside = hosts.filter((_, i) => !has(ordinals[i]!));
    if (outside.length > 0) {
      return outside.map((member) => at(setting, cluster.manifest, { messageId: 'notAPod', data: { setting: 'rs.initiate members', where: source.where, member, sts: cluster.view.name, first, last } }));
    }
    if (new Set(ordinals).size !== cluster.view.replicas) {
      return [at(setting, cluster.manifest, { messageId: 'countMismatch', data: {
        setting: 'rs.initiate members', where: source.where, listed: hosts.length, system: 'MongoDB replica set',
        sts: cluster.view.name, replicas: cluster.view.replicas,
        consequence: 'pods left out never become members (and listed pods that do not exist count as unreachable voters)',
      } })];
    }
  }
  return [];
}

function rabbitmq(cluster: StatefulCluster): Report<typeof messages>[] {
  const backend = findSetting(config(cluster), { keys: [PEER_DISCOVERY_BACKEND_KEY_PATTERN] });
  if (!usesClassicConfig(backend?.value)) return [];
  const entries = findSettings(config(cluster), { keys: [CLASSIC_CONFIG_NODE_KEY] });
  if (entries.length === 0 || entries.some((e) => isDynamic(e.value))) return [];
  const hosts = entries.map((e) => rabbitmqNodeHost(e.value));
  const ordinals = hosts.map((h) => (h === undefined ? undefined : ordinalOf(cluster, h)));
  if (ordinals.some((o) => o === undefined)) return [];
  const { name, replicas } = cluster.view;
  const { first, last, has } = range(cluster);
  const setting = 'cluster_formation.classic_config.nodes';
  const findings: Report<typeof messages>[] = [];
  const seen = new Set<number>();
  entries.forEach((entry, i) => {
    const where = entry.source.where;
    if (seen.has(ordinals[i]!)) findings.push(at(entry, cluster.manifest, { messageId: 'duplicate', data: { setting, where, what: `node ${entry.value}` } }));
    seen.add(ordinals[i]!);
    if (!has(ordinals[i]!)) {
      findings.push(at(entry, cluster.manifest, { messageId: 'notAPod', data: { setting, where, member: entry.value, sts: name, first, last } }));
    }
  });
  if (findings.length === 0 && seen.size !== replicas) {
    findings.push(at(entries[0], cluster.manifest, { messageId: 'countMismatch', data: {
      setting, where: entries[0].source.where, listed: seen.size, system: 'RabbitMQ', sts: name, replicas,
      consequence: 'a blank node that reaches none of the listed nodes starts a cluster of its own, and a node left ' +
        'out takes no part in the start-up lock, so nodes starting together can form separate clusters',
    } }, 'warning'));
  }
  return findings;
}
