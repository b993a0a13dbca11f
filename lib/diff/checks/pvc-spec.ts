/**
 * A bound PersistentVolumeClaim's spec is immutable except `resources.requests`, which may only grow
 * (core/validation ValidatePersistentVolumeClaimUpdate, 1.28, RecoverVolumeExpansionFailure off).
 */
import { describeChange } from '../changes';
import { compareQuantities } from '../quantity-equal';
import type { RevisionReport } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { invalid, namespaceFlag, specChanges } from './support';

export const PVC_SPEC_FORBIDDEN =
  'spec: Forbidden: spec is immutable after creation except resources.requests for bound claims';
export const PVC_SHRINK_FORBIDDEN =
  'spec.resources.requests.storage: Forbidden: field can not be less than previous value';

const REQUESTS = 'spec.resources.requests';
/** Fields the cluster fills in on a live claim (the binder, the default StorageClass): NEW may spell out their values. */
const FILLED_IN_BY_CLUSTER = new Set(['spec.volumeName', 'spec.storageClassName']);

export const pvcSpecMessages = {
  pvcShrink:
    '{{change}}: {{invalid}}. A volume cannot shrink: keep the old size, or create a new, smaller claim and copy ' +
    'the data over',
  pvcFilledIn:
    '{{change}}: the cluster fills in {{field}} on a claim it binds, so the API server accepts this only if it ' +
    'equals the value the live claim already has; otherwise {{invalid}}. Compare with kubectl get pvc {{name}}' +
    '{{namespaceFlag}} -o yaml',
  pvcSpec:
    '{{change}}: {{invalid}}. To change it, delete the claim (kubectl delete pvc {{name}}{{namespaceFlag}}) and ' +
    're-apply; the data stays on its volume only if the PersistentVolume\'s reclaim policy is Retain',
};

/** A PersistentVolumeClaim spec cannot change, except growing resources.requests. */
export function pvcSpec(pair: ObjectPair): RevisionReport<typeof pvcSpecMessages>[] {
  const findings: RevisionReport<typeof pvcSpecMessages>[] = [];
  const named = { name: pair.name, namespaceFlag: namespaceFlag(pair) };
  for (const change of specChanges(pair)) {
    const path = change.newPath;
    if (change.display === `${REQUESTS}.storage`) {
      if (compareQuantities(change.newValue, change.oldValue) === -1) {
        const data = { change: describeChange(change), invalid: invalid(pair, PVC_SHRINK_FORBIDDEN) };
        findings.push({ messageId: 'pvcShrink', side: 'new', path, data });
      }
      continue;
    }
    if (change.display.startsWith(`${REQUESTS}.`)) continue;
    const data = { change: describeChange(change), invalid: invalid(pair, PVC_SPEC_FORBIDDEN), ...named };
    if (change.oldValue === undefined && FILLED_IN_BY_CLUSTER.has(change.display)) {
      const field = change.display.slice('spec.'.length);
      findings.push({ messageId: 'pvcFilledIn', severity: 'warning', side: 'new', path, data: { ...data, field } });
      continue;
    }
    findings.push({ messageId: 'pvcSpec', side: 'new', path, data });
  }
  return findings;
}
