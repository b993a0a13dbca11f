import { defineRule } from '../core/rule';
import { budgetsOf, clusterOf, nameOf } from './support/cluster';

const messages = {
  twoBudgets: (d: { sts: string; budgets: string; count: number }) =>
    `StatefulSet "${d.sts}"'s pods are selected by ${d.count} PodDisruptionBudgets (${d.budgets}): the eviction API ` +
    `refuses such pods with an internal error ("This pod has more than one PodDisruptionBudget, which the eviction ` +
    `subresource does not support."), so kubectl drain stops with "error when evicting pods" and the node is not ` +
    `drained; keep one budget per pod`,
};

/**
 * The eviction subresource refuses a pod selected by more than one PDB with a 500 (kubernetes pkg/registry/core/pod/
 * storage/eviction.go), and kubectl drain retries only a 429 (TooManyRequests), so draining a node that runs these
 * pods fails.
 */
export const pdbOverlap = defineRule({
  id: 'pdb-overlap',
  phase: 'set',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description: 'The pods of a StatefulSet are selected by at most one PodDisruptionBudget of their namespace.',
    remediation: 'Delete or narrow the extra budgets so that exactly one selects the pods.',
  },
  messages,
  check(manifest, ctx) {
    const budgets = budgetsOf(clusterOf(manifest, ctx), ctx);
    if (budgets.length < 2) return [];
    return [{
      path: ['spec', 'template', 'metadata', 'labels'],
      messageId: 'twoBudgets', data: ({
        sts: nameOf(manifest),
        count: budgets.length,
        budgets: budgets.map((b) => `"${nameOf(b)}"`).join(', '),
      }),
    }];
  },
});
