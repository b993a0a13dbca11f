import { defineRule } from '../core/rule';
import { dig } from './support/values';

const messages = {
  alphaField: (d: { sts: string; value: string }) =>
    `StatefulSet "${d.sts}" sets spec.updateStrategy.rollingUpdate.maxUnavailable: ${d.value}, an alpha field in ` +
    `Kubernetes 1.28 (feature gate MaxUnavailableStatefulSet, off by default): the API server drops it and the ` +
    `controller still updates one pod at a time; remove it, or enable the gate on the API server and the ` +
    `controller manager knowing that it then lets ${d.value} members go down together`,
};

/**
 * `rollingUpdate.maxUnavailable` of a StatefulSet needs the alpha MaxUnavailableStatefulSet feature gate on 1.28
 * (KEP-961; pkg/registry/apps/statefulset/strategy.go drops the field while the gate is off): inert on a default
 * cluster, and a quorum hazard where the gate is on.
 */
export const stsMaxUnavailable = defineRule({
  id: 'sts-max-unavailable',
  phase: 'object',
  severity: 'warning',
  kinds: ['StatefulSet'],
  docs: {
    description:
    'A StatefulSet does not rely on spec.updateStrategy.rollingUpdate.maxUnavailable, alpha and dropped by a ' +
    'default Kubernetes 1.28 API server.',
    remediation: 'Remove rollingUpdate.maxUnavailable (pods are updated one at a time).',
  },
  messages,
  check(manifest) {
    const value = dig(manifest.object, 'spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable');
    if (value === undefined || value === null) return [];
    return [{
      path: ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'],
      messageId: 'alphaField', data: ({ sts: String(manifest.object.metadata?.name ?? ''), value: String(value) }),
    }];
  },
});
