/**
 * A change of size of an identified cluster (lib/k8s/systems) that its membership protocol cannot follow, and the
 * runbook of commands every size change needs. Raising or lowering `replicas` only creates or deletes pods: etcd,
 * ZooKeeper, MongoDB, KRaft, Cassandra, RabbitMQ, Elasticsearch and Redis Cluster each need membership commands
 * around it.
 */
import { formatRunbookStep, kraftQuorumMode, majority, MAJORITY_SYSTEMS, SYSTEM_NAMES, type SystemId } from '../../k8s/systems';
import { membershipPlanOf, type MembershipPlan } from '../membership';
import { defineRule } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { isObject } from './support';

export const DATA_MOVED_ANNOTATION = 'cdk8s-stateful.io/data-moved';

const DATA_SYSTEMS = new Set<SystemId>(['cassandra', 'kafka-broker', 'rabbitmq', 'redis']);

const messages = {
  change: (d: { system: string; sts: string; before: number; after: number; problem: string; steps: string }) =>
    `${d.system} StatefulSet "${d.sts}" changes from ${d.before} to ${d.after} members: ${d.problem}. Runbook: ${d.steps}`,
};

export const unsafeMembershipChange = defineRule({
  id: 'unsafe-membership-change',
  phase: 'revision',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
      'A change of replicas of an identified cluster (etcd, ZooKeeper, KRaft, MongoDB, Cassandra, RabbitMQ, ' +
      'Elasticsearch masters, Redis Cluster) that its membership can follow: one member at a time, not below the old quorum, not ' +
      '1 → N, no static KRaft controllers, data moved before a data node goes; every size change gets its runbook.',
    remediation: 'Change replicas by one per revision and run the printed membership commands in their order.',
  },
  messages,
  check(pair, ctx) {
    const plan = membershipPlanOf(pair, ctx);
    if (plan === undefined) return [];
    const { system, from: before, to: after } = plan;
    const problem = problemOf(system, before, after, pair, kraftQuorumMode(plan.identification.config));
    return [{
      messageId: 'change',
      severity: problem === undefined ? 'warning' : 'error',
      side: 'new',
      path: ['spec', 'replicas'],
      data: {
        system: SYSTEM_NAMES[system],
        sts: pair.name,
        before,
        after,
        problem: problem ?? "Kubernetes only creates or deletes the pod; the cluster's membership must change with it",
        steps: stepsOf(plan),
      },
    }];
  },
});

function problemOf(
  system: SystemId, before: number, after: number, pair: ObjectPair, kraft: ReturnType<typeof kraftQuorumMode>,
): string | undefined {
  const quorum = MAJORITY_SYSTEMS.has(system);
  if (system === 'kafka-controller' && kraft !== 'dynamic') {
    return 'static KRaft controllers (controller.quorum.voters) cannot change: the voter set is fixed when the ' +
      'cluster is formatted; move to dynamic controllers (controller.quorum.bootstrap.servers, Kafka 3.9+) first';
  }
  if (quorum && before === 1 && after > 1) {
    return 'a single member bootstrapped alone does not grow by raising replicas: the new pods start their own ' +
      'clusters or wait for a membership that was never created; add members one at a time with the runbook';
  }
  if (quorum && after > 0 && after < majority(before)) {
    return `${after} is below the old quorum of ${majority(before)}: once the pods are gone the remaining members ` +
      'cannot commit their removal and the cluster stops; remove members one at a time, changing the membership each time';
  }
  if (Math.abs(after - before) > 1 && (quorum || system === 'cassandra')) {
    return `${Math.abs(after - before)} members at once: membership changes one member at a time (each change ` +
      'must be committed by the quorum of the previous one, and a Cassandra node bootstraps alone); change ' +
      'replicas by one per revision';
  }
  const moved = pair.new?.manifest.object.metadata?.annotations;
  if (after < before && DATA_SYSTEMS.has(system) && !(isObject(moved) && moved[DATA_MOVED_ANNOTATION] === 'true')) {
    return `the data on the removed ${after + 1 === before ? 'node' : 'nodes'} is lost unless it is moved first, and ` +
      `nothing says it was: set the annotation ${DATA_MOVED_ANNOTATION}: "true" once it is`;
  }
  return undefined;
}

/** The first revision's runbook, numbered, on one line; the rest repeat it one revision at a time. */
function stepsOf(plan: MembershipPlan): string {
  const [first] = plan.members;
  const per = first.ordinals.length < Math.abs(plan.to - plan.from) ? ' (for each member, one revision at a time)' : '';
  return first.steps.map((step, i) => `(${i + 1}) ${formatRunbookStep(step, first.change)}`).join('; ') + per;
}
