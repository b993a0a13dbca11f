/**
 * Static member lists in the formats each system documents. Every parser returns undefined for text it cannot read
 * completely, so a rule never judges a list it only half understood.
 */

export interface EtcdMember {
  readonly name: string;
  readonly url: string;
  readonly host: string;
}

/** etcd `--initial-cluster`: `name=peerURL,name=peerURL` (etcd docs, clustering.md "Static"). */
export function parseEtcdInitialCluster(value: string): EtcdMember[] | undefined {
  const entries = splitList(value, /,/);
  const members: EtcdMember[] = [];
  for (const entry of entries) {
    const match = /^([^=\s]+)=([a-z]+:\/\/([^:/\s]+)(?::\d+)?\/?)$/.exec(entry);
    if (match === null) return undefined;
    members.push({ name: match[1], url: match[2], host: match[3] });
  }
  return members.length === 0 ? undefined : members;
}

export interface ZooKeeperServer {
  readonly id: number;
  readonly host: string;
  readonly observer: boolean;
  /** What follows `server.N=` (`host:2888:3888[:role][;[addr:]2181]`); only for server.N lines. */
  readonly entry?: string;
}

/**
 * ZooKeeper `server.N=host:peerPort:electionPort[:participant|observer][;[clientAddress:]clientPort]` lines of zoo.cfg
 * or the official image's ZOO_SERVERS (same entries, space-separated) (ZooKeeper Administrator's Guide, "Cluster
 * Options"); also the Bitnami image's ZOO_SERVERS `host:2888:3888::id,...`.
 */
export function parseZooKeeperServers(value: string): ZooKeeperServer[] | undefined {
  const servers: ZooKeeperServer[] = [];
  const lines = [...value.matchAll(/(?:^|\s)server\.(\d+)\s*=\s*([^\s]+)/g)];
  if (lines.length > 0) {
    for (const line of lines) {
      const parts = line[2].split(';')[0].split(':');
      if (parts.length < 3 || parts[0] === '') return undefined;
      servers.push({ id: Number(line[1]), host: parts[0], observer: parts[3] === 'observer', entry: line[2] });
    }
    return servers;
  }
  for (const entry of splitList(value, /[,;\s]+/)) {
    const match = /^([^:\s]+):\d+:\d+(?::(participant|observer)?)?(?::(\d+))?$/.exec(entry);
    if (match === null || match[3] === undefined) return undefined;
    servers.push({ id: Number(match[3]), host: match[1], observer: match[2] === 'observer' });
  }
  return servers.length === 0 ? undefined : servers;
}

export interface KRaftVoter {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

/** Kafka `controller.quorum.voters`: `id@host:port,...` (Kafka docs, "KRaft", controller.quorum.voters). */
export function parseKRaftVoters(value: string): KRaftVoter[] | undefined {
  const voters: KRaftVoter[] = [];
  for (const entry of splitList(value, /,/)) {
    const match = /^(\d+)@\[?([^\]@\s]+?)\]?:(\d+)$/.exec(entry);
    if (match === null) return undefined;
    voters.push({ id: Number(match[1]), host: match[2], port: Number(match[3]) });
  }
  return voters.length === 0 ? undefined : voters;
}

/**
 * A list of hosts with optional ports, comma- or space-separated, optionally a YAML/JSON flow list:
 * Cassandra seeds, Elasticsearch discovery.seed_hosts and cluster.initial_master_nodes, KRaft bootstrap servers.
 */
export function parseHostList(value: string): string[] | undefined {
  const inner = value.trim().replace(/^\[(.*)\]$/s, '$1');
  const hosts = splitList(inner, /[,\s]+/).map((entry) => entry.replace(/^["']|["']$/g, ''));
  if (hosts.length === 0 || hosts.some((host) => host === '' || /[\s"'[\]{}]/.test(host))) return undefined;
  return hosts.map((host) => host.replace(/:\d+$/, ''));
}

/** The `host` of every member of an `rs.initiate({... members: [...]})` call (MongoDB manual, rs.initiate()). */
export function parseMongoInitiateHosts(value: string): string[] | undefined {
  const call = /rs\.initiate\s*\(([\s\S]*?)\)\s*(?:[;'"\n]|$)/.exec(value);
  if (call === null) return undefined;
  const hosts = [...call[1].matchAll(/\bhost\s*:\s*\\?["']([^"'\\]+)\\?["']/g)].map((m) => m[1].replace(/:\d+$/, ''));
  return hosts.length === 0 ? undefined : hosts;
}

function splitList(value: string, separator: RegExp): string[] {
  return value
    .trim()
    .split(separator)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
