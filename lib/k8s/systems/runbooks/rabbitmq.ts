/**
 * RabbitMQ "Clustering" and "Quorum Queues": a blank node joins through peer discovery, then gets quorum-queue
 * replicas; before one leaves, its replicas move off, and once it has stopped the cluster forgets it (a node that
 * was forgotten must never start again on its old data).
 */
import { rabbitmqNodeName } from '../rabbitmq';
import type { SystemRunbook } from '../runbook';

export const rabbitmqRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'apply', why: `${w.pod} starts blank and joins the cluster through peer discovery` },
    { kind: 'exec', pod: w.pod, command: ['rabbitmqctl', 'await_startup'], why: 'wait until it has joined and booted' },
    {
      kind: 'exec', pod: w.anchor, command: ['rabbitmq-queues', 'grow', rabbitmqNodeName(w.fqdn), 'all'],
      why: 'add quorum-queue replicas on the new node',
    },
  ],
  down: (w) => [
    {
      kind: 'exec', pod: w.pod, command: ['rabbitmq-queues', 'shrink', rabbitmqNodeName(w.fqdn)],
      why: 'move quorum-queue replicas off it; classic queues on it must be drained first',
    },
    { kind: 'manual', text: 'annotate the StatefulSet of the new revision cdk8s-stateful.io/data-moved: "true" to acknowledge' },
    { kind: 'apply' },
    { kind: 'exec', pod: w.anchor, command: ['rabbitmqctl', 'forget_cluster_node', rabbitmqNodeName(w.fqdn)] },
  ],
};
