/**
 * What a probe asks: the process (a port, `/livez`, a local ping) or the whole cluster (a health call that fails
 * while the quorum is lost). Facts from the systems' docs: etcd "Monitoring" (/health needs a leader, /livez and
 * /readyz since 3.5.11/3.6 do not), Elasticsearch cluster health API (only `wait_for_status` makes it fail: without
 * it a red cluster still answers 200), MongoDB `rs.status()` (replica-set state), `rabbitmqctl await_online_nodes`,
 * Redis `CLUSTER INFO` (cluster_state is fail while a slot is uncovered or the node sits in a minority partition).
 * ZooKeeper answers `srvr` and `stat` with "This ZooKeeper instance is not currently serving requests" until the
 * server has joined a quorum (`ruok` answers `imok` whenever the process runs): ZooKeeper Administrator's Guide,
 * "The Four Letter Words". `nodetool status` is left out on purpose: it exits 0 whatever state the other nodes are in.
 */
import { ETCD_LIVEZ_SINCE } from './etcd';
import type { SystemId } from './identify';
import { at, list, record, scalarText, text } from './read';

export type ProbeField = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export interface ProbeView {
  readonly field: ProbeField;
  readonly container: string;
  /** Index of the container in spec.template.spec.containers. */
  readonly containerIndex: number;
  readonly handler: 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'unknown';
  /** The command joined by spaces, or the HTTP path. */
  readonly text: string;
  /** The port of an httpGet or tcpSocket probe, a port name resolved through the container's ports. */
  readonly port?: number;
}

/** Every probe of the pod template's containers. */
export function probesOf(statefulSet: { readonly object: unknown }): ProbeView[] {
  const probes: ProbeView[] = [];
  list(at(statefulSet.object, 'spec', 'template', 'spec', 'containers')).forEach((raw, containerIndex) => {
    const container = record(raw);
    if (container === undefined) return;
    for (const field of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const probe = record(container[field]);
      if (probe === undefined) continue;
      probes.push({ field, container: text(container.name) ?? `#${containerIndex}`, containerIndex, ...handlerOf(probe), port: portOf(probe, container) });
    }
  });
  return probes;
}

function handlerOf(probe: Record<string, unknown>): Pick<ProbeView, 'handler' | 'text'> {
  if (record(probe.exec) !== undefined) {
    const command = list(at(probe, 'exec', 'command')).map(scalarText).filter((s): s is string => s !== undefined);
    return { handler: 'exec', text: command.join(' ') };
  }
  if (record(probe.httpGet) !== undefined) return { handler: 'httpGet', text: text(at(probe, 'httpGet', 'path')) ?? '/' };
  if (record(probe.tcpSocket) !== undefined) return { handler: 'tcpSocket', text: '' };
  if (record(probe.grpc) !== undefined) return { handler: 'grpc', text: '' };
  return { handler: 'unknown', text: '' };
}

function portOf(probe: Record<string, unknown>, container: Record<string, unknown>): number | undefined {
  const port = at(probe, 'httpGet', 'port') ?? at(probe, 'tcpSocket', 'port');
  if (typeof port === 'number') return port;
  if (typeof port !== 'string') return undefined;
  const named = list(container.ports).map(record).find((p) => text(p?.name) === port);
  const number = named?.containerPort;
  return typeof number === 'number' ? number : /^\d+$/.test(port) ? Number(port) : undefined;
}

interface ClusterCheck {
  readonly pattern: RegExp;
  /** What it does, for messages. */
  readonly describes: string;
  /** The process-only alternative. */
  readonly instead: string;
}

const CLUSTER_CHECKS: readonly ClusterCheck[] = [
  { pattern: /endpoint\s+(?:health|status)\b.*--cluster\b|--cluster\b.*endpoint\s+(?:health|status)\b/, describes: 'etcdctl endpoint health --cluster checks every member', instead: `probe this member only: httpGet /livez on the client port (etcd ${ETCD_LIVEZ_SINCE}+), or etcdctl endpoint health without --cluster` },
  { pattern: /_cluster\/health\?[^\s'"]*wait_for_status/, describes: '_cluster/health?wait_for_status fails until the whole cluster reaches that status', instead: 'probe the local node: a TCP check of the HTTP port, or GET / on it' },
  { pattern: /rs\.status\(\)|replSetGetStatus/, describes: 'rs.status() needs a replica-set configuration and peers', instead: "probe the local mongod: db.adminCommand('ping')" },
  { pattern: /await_online_nodes|cluster_status/, describes: 'it waits for the other RabbitMQ nodes', instead: 'probe the local node: rabbitmq-diagnostics -q ping (liveness) and check_port_connectivity (readiness)' },
];

/** Checks only one system's probes can mean (a word that is ordinary elsewhere, `stat`). */
const SYSTEM_CLUSTER_CHECKS: Partial<Record<SystemId, readonly ClusterCheck[]>> = {
  zookeeper: [{
    pattern: /\b(?:srvr|stat)\b/,
    describes: 'ZooKeeper answers srvr and stat with "not currently serving requests" until the server has joined a quorum',
    instead: 'probe liveness with ruok (imok while the process runs); keep srvr for readiness',
  }],
  redis: [{
    pattern: /\bcluster\s+info\b|cluster_state|--cluster\s+check\b/i,
    describes: 'CLUSTER INFO reports cluster_state:fail while a hash slot is uncovered or this node cannot reach a majority of the masters',
    instead: 'probe the local node: redis-cli ping',
  }],
};

/** The cluster-wide check a probe runs, if it runs one. etcd's httpGet `/health` needs a leader, so a quorum. */
export function clusterCheckOf(probe: ProbeView, system: SystemId): ClusterCheck | undefined {
  const etcd = system === 'etcd';
  if (probe.handler === 'httpGet') {
    if (etcd && /^\/health(?:\?|$)/.test(probe.text)) {
      return { pattern: /\/health/, describes: "etcd's /health fails while the member has no leader, that is without a quorum", instead: `use httpGet /livez for liveness and /readyz for readiness (etcd ${ETCD_LIVEZ_SINCE}+), or a TCP check of the client port` };
    }
    return CLUSTER_CHECKS.find((check) => check === CLUSTER_CHECKS[1] && check.pattern.test(probe.text));
  }
  if (probe.handler !== 'exec') return undefined;
  return [...CLUSTER_CHECKS, ...(SYSTEM_CLUSTER_CHECKS[system] ?? [])].find((check) => check.pattern.test(probe.text));
}
