/**
 * RabbitMQ facts shared by the RabbitMQCluster blueprint, the membership-list rule and the RabbitMQ runbook (one
 * owner per fact). Sources: RabbitMQ docs "Clustering" (node names `rabbit@<host>`, long names, the Erlang cookie,
 * `forget_cluster_node`), "Cluster Formation and Peer Discovery" (the config-file backend `classic_config`, a blank
 * node joins the first listed node it reaches and otherwise starts a cluster of its own), "Networking" (AMQP 5672,
 * inter-node port = AMQP port + 20000, epmd 4369), "Quorum Queues" (`rabbitmq-queues grow` / `shrink`), the
 * rabbitmqctl(8) and rabbitmq-diagnostics(8) man pages; Erlang/OTP `erl` (`-erl_epmd_port`, `-start_epmd`,
 * `-dist_listen`, since OTP 23) and kernel (`inet_dist_use_interface`).
 */

/** The ports a node listens on: AMQP 0-9-1, Erlang distribution (inter-node and CLI traffic), epmd. */
export const RABBITMQ_PORTS = { amqp: 5672, distribution: 25672, epmd: 4369 } as const;

/**
 * Does a node accept connections on `port` only once it has booted (and so, after a full restart, only once the
 * peer that stopped last is back)? Every client listener (AMQP, management, Prometheus, MQTT, STOMP...) opens at
 * the end of the boot; only the distribution port and epmd open before.
 */
export function rabbitmqListensOnceBooted(port: number): boolean {
  return port !== RABBITMQ_PORTS.distribution && port !== RABBITMQ_PORTS.epmd;
}

/** The name part every node of the documented setups uses; the host part is the pod FQDN (long names). */
export const RABBITMQ_NODE_PREFIX = 'rabbit';

/** `rabbit@<host>`: the node name of a RabbitMQ node on `host` (an FQDN with RABBITMQ_USE_LONGNAME=true). */
export function rabbitmqNodeName(host: string): string {
  return `${RABBITMQ_NODE_PREFIX}@${host}`;
}

/** The host part of a node name (`rabbit@host`), or undefined for anything else. */
export function rabbitmqNodeHost(node: string): string | undefined {
  const match = /^[A-Za-z0-9_-]+@([A-Za-z0-9.-]+)$/.exec(node.trim());
  return match === null ? undefined : match[1];
}

/**
 * A stopping node closes its client connections, hands quorum-queue leadership to other members and writes its
 * queue indices; killed half-way, it recovers every queue on the next start. Two minutes is the least the
 * blueprint grants (the RabbitMQ Cluster Operator waits up to a week in its preStop hook).
 */
export const RABBITMQ_MIN_GRACE_SECONDS = 120;

/**
 * Seconds a restarted node stays Ready before a rolling update stops the next one: its quorum-queue replicas catch
 * up with their leaders in that time. Its AMQP listener opens once it has booted and rejoined, which the readiness
 * probe sees (as the RabbitMQ Cluster Operator's does).
 */
export const RABBITMQ_MIN_READY_SECONDS = 30;

/** rabbitmq.conf key of the peer discovery backend, and the values that select the config-file (classic) backend. */
export const PEER_DISCOVERY_BACKEND_KEY = 'cluster_formation.peer_discovery_backend';
/** The same key as a regular-expression source, for findSetting. */
export const PEER_DISCOVERY_BACKEND_KEY_PATTERN = 'cluster_formation\\.peer_discovery_backend';
const CLASSIC_CONFIG_BACKENDS = ['classic_config', 'rabbit_peer_discovery_classic_config'];

/** rabbitmq.conf keys listing the classic_config peers, as a regular-expression source. */
export const CLASSIC_CONFIG_NODE_KEY = 'cluster_formation\\.classic_config\\.nodes\\.\\d+';

/** Does this backend value (or its absence: the default) select the classic_config peer list? */
export function usesClassicConfig(backend: string | undefined): boolean {
  return backend === undefined || CLASSIC_CONFIG_BACKENDS.includes(backend.trim());
}

/** The rabbitmq.conf lines that make `nodes` the peer list: backend classic_config, `nodes.1 = rabbit@...`, ... */
export function classicConfigLines(nodes: readonly string[]): string[] {
  return [
    `${PEER_DISCOVERY_BACKEND_KEY} = classic_config`,
    ...nodes.map((node, i) => `cluster_formation.classic_config.nodes.${i + 1} = ${node}`),
  ];
}

/**
 * How nodes find each other's distribution port. `epmd`: each node registers with the port mapper daemon of its
 * pod (4369), as every RabbitMQ release documents. `static-port`: no epmd; every node, and every CLI tool, takes
 * 25672 as the port of any node (OTP 23+ `-erl_epmd_port`), which works where pods share one network namespace
 * and so one loopback epmd. CLI tools then open no listener of their own (`-dist_listen false`): commands whose
 * answers come straight from several nodes (`list_queues` without `--local`, `list_connections`) wait for replies
 * that cannot reach them.
 */
export type ErlangDistribution = 'epmd' | 'static-port';

/** Extra `erl` arguments of the server (RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS) for a distribution mode. */
export function serverErlArgs(mode: ErlangDistribution, nodeName: string): string[] {
  if (mode === 'epmd') return [];
  // Distribution starts with the VM (-name), so RabbitMQ's own start-up checks, which open the port on every
  // interface and ask epmd, are skipped: they would fail where another pod holds the same port on its own address.
  return ['-name', nodeName, '-start_epmd', 'false', '-erl_epmd_port', String(RABBITMQ_PORTS.distribution)];
}

/** `erl` arguments of the CLI tools (RABBITMQ_CTL_ERL_ARGS) for a distribution mode. */
export function cliErlArgs(mode: ErlangDistribution): string[] {
  return mode === 'epmd' ? [] : ['-erl_epmd_port', String(RABBITMQ_PORTS.distribution), '-dist_listen', 'false'];
}
