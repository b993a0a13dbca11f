import { disruptionArithmetic, faultTolerance, majority, SYSTEM_NAMES } from '../k8s/systems';
import { defineRule, type Report } from '../core/rule';
import type { Path } from '../core/types';
import { budgetOf, nameOf, plural, quorumSystemOf, statefulSetsOfBudget } from './support/cluster';

const messages = {
  tooManyDisruptions: (d: {
    pdb: string; system: string; sts: string; replicas: number; quorum: number; tolerance: number; allowed: number;
    budget: string; safe: string;
  }) =>
    `PodDisruptionBudget "${d.pdb}" allows ${plural(d.allowed, 'disruption')} of ${d.system} StatefulSet ` +
    `"${d.sts}" (${plural(d.replicas, 'replica')}, ${d.budget}), but ${d.replicas} members keep their quorum of ` +
    `${d.quorum} through only ${plural(d.tolerance, 'lost member')}: a node drain may evict ${d.allowed} members ` +
    `at once and the cluster stops accepting writes; set ${d.safe}`,
};

/**
 * A budget that allows more evictions than the quorum tolerates lets `kubectl drain` (or a cluster autoscaler)
 * take the cluster down while every check passes. Quorum: ⌊n/2⌋ + 1 (etcd FAQ "failure tolerance", ZooKeeper
 * Administrator's Guide); budget arithmetic: kubernetes pkg/controller/disruption (percentages rounded up). Sets of
 * fewer than 3 members tolerate no loss at all; pdb-blocks-drain covers the budgets they can have.
 */
export const quorumPdb = defineRule({
  id: 'quorum-pdb',
  phase: 'set',
  severity: 'error',
  kinds: ['PodDisruptionBudget'],
  docs: {
    description:
    'A PodDisruptionBudget selecting a quorum StatefulSet (etcd, ZooKeeper, KRaft controllers, MongoDB, RabbitMQ, ' +
    'Elasticsearch masters) allows no more disruptions than the quorum tolerates (n − ⌊n/2⌋ − 1).',
    remediation: 'Set maxUnavailable: 1 (or minAvailable: ⌊n/2⌋ + 1) on the budget of a 3- or 4-member cluster.',
  },
  messages,
  check(pdb, ctx) {
    const budget = budgetOf(pdb);
    const findings: Report<typeof messages>[] = [];
    for (const cluster of statefulSetsOfBudget(pdb, ctx)) {
      const system = quorumSystemOf(cluster, 3);
      const replicas = cluster.view.replicas;
      if (system === undefined) continue;
      const arithmetic = disruptionArithmetic(budget, replicas);
      const tolerance = faultTolerance(replicas);
      if (arithmetic === undefined || arithmetic.allowed <= tolerance) continue;
      const path: Path = ['spec', budget.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable'];
      findings.push({
        path,
        messageId: 'tooManyDisruptions', data: ({
          pdb: nameOf(pdb),
          system: SYSTEM_NAMES[system],
          sts: cluster.view.name,
          replicas,
          quorum: majority(replicas),
          tolerance,
          allowed: arithmetic.allowed,
          budget: `${arithmetic.explanation}: ${arithmetic.desiredHealthy} must stay healthy`,
          safe: `maxUnavailable: ${tolerance} (or minAvailable: ${majority(replicas)})`,
        }),
      });
    }
    return findings;
  },
});
