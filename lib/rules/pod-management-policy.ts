import { clusterCheckOf, probesOf, rabbitmqListensOnceBooted, SYSTEM_NAMES, type ProbeView } from '../k8s/systems';
import { defineRule } from '../core/rule';
import { clusterOf } from './support/cluster';

const messages = {
  orderedDeadlock: (d: { system: string; sts: string; why: string }) =>
    `${d.system} StatefulSet "${d.sts}" uses podManagementPolicy OrderedReady (the default): ${d.why}; after a ` +
    `full restart (all pods lost, a cluster upgrade) pod 0 waits for peers that are not created until it is ` +
    `Ready, and the cluster never comes back. podManagementPolicy is immutable: set Parallel before the first apply`,
  parallelBootstrap: (d: { sts: string }) =>
    `Cassandra StatefulSet "${d.sts}" uses podManagementPolicy Parallel: new nodes then bootstrap at the same time, ` +
    `which Cassandra refuses ("Other bootstrapping/leaving/moving nodes detected, cannot bootstrap while ` +
    `cassandra.consistent.rangemovement is true"); without an operator that adds nodes one by one, use ` +
    `OrderedReady (immutable: set it before the first apply)`,
};

const NEEDS_PARALLEL = new Set(['etcd', 'kafka-controller', 'rabbitmq']);

/**
 * podManagementPolicy is immutable, so it must be right at first apply. OrderedReady creates pod i+1 only once pod
 * i is Ready: members that need a quorum to become Ready (etcd, KRaft controllers, RabbitMQ waiting for its peers,
 * or any readiness probe that checks the cluster) deadlock after a full restart (RabbitMQ docs "Clustering:
 * restarting", etcd and Strimzi StatefulSets use Parallel). Cassandra without an operator needs the opposite:
 * one node bootstraps at a time (cassandra.consistent.rangemovement).
 */
export const podManagementPolicy = defineRule({
  id: 'pod-management-policy',
  phase: 'set',
  severity: 'warning',
  kinds: ['StatefulSet'],
  docs: {
    description:
    'podManagementPolicy suits the system: Parallel for members that need their peers to become Ready (etcd, ' +
    'KRaft controllers, RabbitMQ, readiness probes checking the cluster), OrderedReady for Cassandra.',
    remediation:
    'Set podManagementPolicy before the first apply (it is immutable): Parallel for quorum systems, OrderedReady ' +
    'for Cassandra without an operator.',
  },
  messages,
  check(manifest, ctx) {
    const cluster = clusterOf(manifest, ctx);
    const system = cluster.identification?.system;
    if (system === undefined || cluster.view.replicas < 2) return [];
    const path = ['spec', 'podManagementPolicy'];
    if (system === 'cassandra') {
      return cluster.view.parallel ? [{ messageId: 'parallelBootstrap', data: ({ sts: cluster.view.name }), path }] : [];
    }
    if (cluster.view.parallel) return [];
    const probe = probesOf(manifest).find(
      (p) => p.field === 'readinessProbe' && clusterCheckOf(p, system) !== undefined,
    );
    // etcd, KRaft controllers and RabbitMQ serve only once a quorum of peers is up, so any readiness probe that
    // asks the server (not merely its port) waits for pods OrderedReady has not created yet. RabbitMQ opens its
    // client ports only once booted, so a TCP check of one of them asks the server too.
    const asksServer = (p: ProbeView) => p.handler !== 'tcpSocket' ||
      (system === 'rabbitmq' && p.port !== undefined && rabbitmqListensOnceBooted(p.port));
    const servingProbe = probesOf(manifest).some((p) => p.field === 'readinessProbe' && asksServer(p));
    const why = probe !== undefined
      ? `its readiness probe needs the peers (${clusterCheckOf(probe, system)!.describes})`
      : NEEDS_PARALLEL.has(system) && servingProbe
        ? system === 'rabbitmq'
          ? 'its readiness probe asks the node, and a restarted RabbitMQ node waits for the peer that stopped last before it serves'
          : 'its readiness probe asks the server, which serves only once a quorum of its peers is up'
        : undefined;
    if (why === undefined) return [];
    return [{ messageId: 'orderedDeadlock', data: ({ system: SYSTEM_NAMES[system], sts: cluster.view.name, why }), path }];
  },
});
