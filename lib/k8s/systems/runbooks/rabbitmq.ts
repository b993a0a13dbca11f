/** RabbitMQ "Clustering" and "Quorum queues": peer discovery joins a node; shrink and forget before one leaves. */
import type { SystemRunbook } from '../runbook';

export const rabbitmqRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'apply', why: `${w.pod} joins through peer discovery` },
    { kind: 'exec', pod: w.anchor, command: ['rabbitmq-queues', 'grow', `rabbit@${w.fqdn}`, 'all'], why: 'add quorum-queue replicas on the new node' },
  ],
  down: (w) => [
    {
      kind: 'exec', pod: w.pod, command: ['rabbitmq-queues', 'shrink', `rabbit@${w.fqdn}`],
      why: 'move quorum-queue replicas off it; classic queues on it must be drained first',
    },
    { kind: 'apply' },
    { kind: 'exec', pod: w.anchor, command: ['rabbitmqctl', 'forget_cluster_node', `rabbit@${w.fqdn}`] },
    { kind: 'manual', text: 'annotate the StatefulSet cdk8s-stateful.io/data-moved: "true" to acknowledge' },
  ],
};
