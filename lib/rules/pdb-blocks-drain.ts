import { matchesLabelSelector } from '../k8s/selector';
import { labelSelectorOf } from '../k8s/storage';
import { disruptionArithmetic, faultTolerance, MAJORITY_SYSTEMS, SYSTEM_NAMES } from '../k8s/systems';
import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest, Path } from '../core/types';
import { budgetOf, clusters, nameOf, plural, statefulSetsOfBudget } from './support/cluster';
import { dig } from './support/values';

const messages = {
  neverEvicts: (d: { pdb: string; sts: string; replicas: number; budget: string; desired: number; fix: string }) =>
    `PodDisruptionBudget "${d.pdb}" never allows an eviction of ${d.sts} (${plural(d.replicas, 'replica')}, ` +
    `${d.budget}: ${d.desired} of ${d.replicas} must stay healthy, so disruptionsAllowed is 0 even when every pod is ` +
    `Ready): kubectl drain and node upgrades hang on its pods; ${d.fix}`,
  labelNeverSet: (d: { pdb: string; sts: string; missing: string }) =>
    `PodDisruptionBudget "${d.pdb}" matches StatefulSet "${d.sts}"'s pods except for ${d.missing}, which its pod ` +
    `template never sets: unless a controller adds it at run time the budget protects no pod, and if one does, ` +
    `it counts only the pods labelled at that moment (a single primary: no eviction ever allowed); select by ` +
    `labels of spec.template.metadata.labels`,
};

/**
 * A budget that can never allow an eviction blocks every drain (the disruption controller's arithmetic,
 * pkg/controller/disruption: disruptionsAllowed = healthy − desiredHealthy): minAvailable ≥ replicas after rounding
 * up (the 51% of 1 replica of a popular etcd chart), or maxUnavailable 0. And a budget whose selector differs from
 * the pod template only by a label the template never sets (a role label added at run time) protects nothing
 * the linter can see.
 */
export const pdbBlocksDrain = defineRule({
  id: 'pdb-blocks-drain',
  phase: 'set',
  severity: 'warning',
  kinds: ['PodDisruptionBudget'],
  docs: {
    description:
    'A PodDisruptionBudget on a StatefulSet allows at least one eviction when all pods are healthy, and selects ' +
    'by labels the pod template sets.',
    remediation:
    'Lower minAvailable below replicas (or use maxUnavailable: 1), or drop the budget for a single replica; ' +
    'select by pod template labels.',
  },
  messages,
  check(pdb, ctx) {
    const budget = budgetOf(pdb);
    const findings: Report<typeof messages>[] = [];
    // The disruption controller counts every pod the budget selects, across controllers (one budget may cover the
    // StatefulSets of several racks): the arithmetic is over their sum.
    const selected = statefulSetsOfBudget(pdb, ctx);
    const replicas = selected.reduce((sum, cluster) => sum + cluster.view.replicas, 0);
    const arithmetic = disruptionArithmetic(budget, replicas);
    if (replicas > 0 && arithmetic !== undefined && arithmetic.allowed === 0) {
      const path: Path = ['spec', budget.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable'];
      const system = selected.length === 1 ? selected[0].identification?.system : undefined;
      const quorum = system !== undefined && MAJORITY_SYSTEMS.has(system);
      // A quorum survives its fault tolerance; a data store of several sets (Cassandra racks), one node at a time.
      const tolerance = quorum || selected.length === 1 ? Math.max(1, faultTolerance(replicas)) : 1;
      const quorumOfTwo = quorum && replicas === 2;
      const names = selected.map((cluster) => `"${cluster.view.name}"`);
      findings.push({
        path,
        messageId: 'neverEvicts', data: ({
          pdb: nameOf(pdb),
          sts: names.length === 1 ? `StatefulSet ${names[0]}` : `StatefulSets ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`,
          replicas,
          budget: arithmetic.explanation,
          desired: arithmetic.desiredHealthy,
          fix: replicas === 1
            ? 'a single replica cannot stay available through a drain: remove the budget, or run more replicas'
            : quorumOfTwo
              ? `2 ${SYSTEM_NAMES[system!]} members keep no quorum through any loss, so every budget either blocks drains or lets one break the quorum: run 3 members`
              : `set maxUnavailable: ${tolerance} (or minAvailable: ${replicas - tolerance})`,
        }),
      });
    }
    if (selected.length === 0) findings.push(...runTimeLabel(pdb, ctx));
    return findings;
  },
});

/** A selector that would select a StatefulSet's pods if a matchLabels key the template lacks were dropped. */
function runTimeLabel(pdb: Manifest, ctx: LintContext): Report<typeof messages>[] {
  const selector = labelSelectorOf(dig(pdb.object, 'spec', 'selector'));
  const matchLabels = selector?.matchLabels ?? {};
  if (selector === undefined || Object.keys(matchLabels).length < 2) return [];
  const namespace = ctx.namespaceOf(pdb);
  for (const cluster of clusters(ctx).values()) {
    if (cluster.namespace !== namespace) continue;
    const labels = cluster.view.templateLabels;
    const missing = Object.keys(matchLabels).filter((key) => !(key in labels));
    const shared = Object.keys(matchLabels).filter((key) => labels[key] === matchLabels[key]);
    if (missing.length === 0 || shared.length === 0) continue;
    const rest = Object.fromEntries(Object.entries(matchLabels).filter(([key]) => !missing.includes(key)));
    if (!matchesLabelSelector({ ...selector, matchLabels: rest }, labels)) continue;
    return [{
      path: ['spec', 'selector', 'matchLabels', missing[0]],
      messageId: 'labelNeverSet', data: ({
        pdb: nameOf(pdb),
        sts: cluster.view.name,
        missing: missing.map((key) => `${key}=${matchLabels[key]}`).join(', '),
      }),
    }];
  }
  return [];
}
