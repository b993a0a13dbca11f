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
    {
      // Asked from a node that runs: the new pod may not exist yet, and await_startup fails at once while the new
      // node's Erlang VM is not up; retried for two minutes, then it waits for the boot to end.
      kind: 'exec', pod: w.anchor,
      command: ['sh', '-c', `for attempt in $(seq 12); do rabbitmqctl -q -n ${rabbitmqNodeName(w.fqdn)} await_startup && exit 0; sleep 10; done; exit 1`],
      why: `wait until ${w.pod} has joined and booted`,
    },
    {
      kind: 'exec', pod: w.anchor, command: ['rabbitmq-queues', 'grow', rabbitmqNodeName(w.fqdn), 'all'],
      why: 'add quorum-queue replicas on the new node',
    },
  ],
  down: (w) => [
    {
      kind: 'exec', pod: w.anchor, command: ['rabbitmq-queues', 'shrink', rabbitmqNodeName(w.fqdn)],
      why: 'move quorum-queue replicas off it; classic queues on it must be drained first',
    },
    { kind: 'manual', text: 'annotate the StatefulSet of the new revision cdk8s-stateful.io/data-moved: "true" to acknowledge' },
    { kind: 'apply' },
    { kind: 'exec', pod: w.anchor, command: ['rabbitmqctl', 'forget_cluster_node', rabbitmqNodeName(w.fqdn)] },
  ],
};
