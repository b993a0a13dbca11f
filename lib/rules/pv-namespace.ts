import { defineRule } from '../core/rule';
import { asString } from './support/values';

/** PersistentVolumes are cluster-scoped: a namespace in their metadata is dropped by the API server. */
export const pvNamespace = defineRule({
  id: 'pv-namespace',
  phase: 'object',
  severity: 'warning',
  kinds: ['PersistentVolume'],
  docs: {
    description: 'A PersistentVolume (cluster-scoped) sets no metadata.namespace, which the API server would ignore.',
    remediation:
      'Remove metadata.namespace from the PersistentVolume; to reserve it for a claim, set spec.claimRef with ' +
      "the claim's namespace.",
  },
  messages: {
    ignored:
      'PersistentVolumes are cluster-scoped: metadata.namespace "{{namespace}}" is ignored and does not limit ' +
      'which claims can bind this PV',
  },
  check(manifest) {
    const namespace = asString(manifest.object.metadata?.namespace);
    if (namespace === undefined || namespace === '') return [];
    return [
      { messageId: 'ignored', data: { namespace }, path: ['metadata', 'namespace'] },
    ];
  },
});
