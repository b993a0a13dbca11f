/**
 * etcd facts shared by the EtcdCluster blueprint, the operator rules and the etcd runbook (one owner per fact).
 * Sources: etcd docs "Configuration flags" (v3.4, v3.5), "Clustering Guide", "Runtime reconfiguration" and "Learner"
 * (learners since 3.4, `member promote` refused until the learner is in sync with the leader); the v3.5 CHANGELOG
 * (v3.5.11: `/livez` and `/readyz`, which kubeadm uses for its probes since Kubernetes 1.31).
 */

/** The ports etcd listens on by convention: clients, peers, and the plain-HTTP metrics/health listener. */
export const ETCD_PORTS = { client: 2379, peer: 2380, metrics: 2381 } as const;

/** A released etcd version, `major.minor.patch`. */
export interface EtcdVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** `3.5.16`, `v3.4.23`; undefined for anything else. */
export function parseEtcdVersion(text: string): EtcdVersion | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  return match === null ? undefined : { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

function atLeast(v: EtcdVersion, major: number, minor: number, patch: number): boolean {
  return v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;
}

/** Oldest etcd with learners (`member add --learner`, `member promote`). */
export const ETCD_LEARNER_SINCE = '3.4.0';

export function etcdHasLearners(v: EtcdVersion): boolean {
  return atLeast(v, 3, 4, 0);
}

/**
 * What a member's probes can ask it. From 3.5.11, `/livez` answers for the process alone and `/readyz` for a member
 * that serves; before, only `/health`, which fails without a leader (a quorum), so a liveness probe can only check
 * the port. Every endpoint is served on the metrics listener too (`--listen-metrics-urls`), in plain HTTP even when
 * clients need TLS, which is where the kubelet can reach it.
 */
export interface EtcdHealth {
  readonly readinessPath: string;
  /** undefined: no process-only HTTP endpoint; probe the client port with TCP. */
  readonly livenessPath?: string;
}

/** First release serving `/livez` and `/readyz`. */
export const ETCD_LIVEZ_SINCE = '3.5.11';

export function etcdHealth(v: EtcdVersion): EtcdHealth {
  const since = parseEtcdVersion(ETCD_LIVEZ_SINCE)!;
  return atLeast(v, since.major, since.minor, since.patch) ? { readinessPath: '/readyz', livenessPath: '/livez' } : { readinessPath: '/health' };
}

/**
 * A POSIX `sh` pipeline (shell built-ins and etcdctl only: the registry.k8s.io/etcd image has no coreutils) printing
 * the hex id of member `name`, matched by name or, for a member that never started (no name yet), by its peer host
 * `host:port`. Fields of `etcdctl member list`: ID, Status, Name, Peer Addrs, Client Addrs, Is Learner (3.4+).
 */
export function etcdMemberIdPipeline(name: string, peerHostPort: string): string {
  return `etcdctl member list | while IFS=", " read -r id status name peer client learner; do ` +
    `if [ "$name" = ${name} ] || [ "\${peer#*://}" = ${peerHostPort} ]; then echo "$id $learner"; fi; done`;
}
