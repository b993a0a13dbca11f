import { defineRule, type Report } from '../core/rule';
import { clusterOf } from './support/cluster';
import { asArray, asRecord, asString, dig } from './support/values';

const MEMBERSHIP_CHANGES: ReadonlyArray<[RegExp, string]> = [
  [/\bmember\s+remove\b/, 'etcdctl member remove'],
  [/\bnodetool\b.*\bdecommission\b/, 'nodetool decommission'],
  [/\bforget_cluster_node\b/, 'rabbitmqctl forget_cluster_node'],
  [/\brs\.remove\s*\(/, 'rs.remove()'],
  [/\breconfig\b.*-remove\b/, 'zkCli reconfig -remove'],
];

const messages = {
  zeroGrace: (d: { sts: string }) =>
    `StatefulSet "${d.sts}" sets terminationGracePeriodSeconds: 0: its pods are killed without a chance to flush ` +
    `or hand over, and the StatefulSet docs call a grace period of 0 unsafe (a pod may be replaced while the old ` +
    `one still runs, breaking at-most-one semantics); give the process time to stop (30 s is the default)`,
  membershipPreStop: (d: { sts: string; container: string; command: string }) =>
    `the preStop hook of container "${d.container}" in StatefulSet "${d.sts}" runs ${d.command}: it runs on every ` +
    `restart, eviction and rolling update, not only on a scale-down, so each routine restart removes a member ` +
    `(and its data) from the cluster; change membership only when scaling down, by hand or in a one-shot Job`,
};

/**
 * A stateful pod must get time to stop cleanly: the StatefulSet docs ("Deployment and Scaling Guarantees") say
 * terminationGracePeriodSeconds 0 is unsafe and strongly discouraged. A preStop hook runs on every termination,
 * so one that removes the member from the cluster turns each restart into a membership change.
 */
export const statefulShutdown = defineRule({
  id: 'stateful-shutdown',
  phase: 'object',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
    'A StatefulSet gives its pods a non-zero termination grace period and no preStop hook that removes the member ' +
    'from its cluster (member remove, decommission, forget_cluster_node).',
    remediation:
    'Remove terminationGracePeriodSeconds: 0; change cluster membership only when scaling down, not in preStop.',
  },
  messages,
  check(manifest, ctx) {
    const name = clusterOf(manifest, ctx).view.name;
    const podSpec = dig(manifest.object, 'spec', 'template', 'spec');
    const findings: Report<typeof messages>[] = [];
    if (dig(podSpec, 'terminationGracePeriodSeconds') === 0) {
      findings.push({ path: ['spec', 'template', 'spec', 'terminationGracePeriodSeconds'], messageId: 'zeroGrace', data: ({ sts: name }) });
    }
    asArray(dig(podSpec, 'containers')).forEach((raw, index) => {
      const container = asRecord(raw);
      const command = asArray(dig(container, 'lifecycle', 'preStop', 'exec', 'command')).map(String).join(' ');
      if (command === '') return; // most containers have no preStop command, and no pattern matches nothing
      const change = MEMBERSHIP_CHANGES.find(([pattern]) => pattern.test(command));
      if (change === undefined) return;
      findings.push({
        path: ['spec', 'template', 'spec', 'containers', index, 'lifecycle', 'preStop'],
        severity: 'warning',
        messageId: 'membershipPreStop', data: ({ sts: name, container: asString(container?.name) ?? `#${index}`, command: change[1] }),
      });
    });
    return findings;
  },
});
