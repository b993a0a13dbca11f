/**
 * A bound PersistentVolumeClaim's spec is immutable except `resources.requests`, which may only grow
 * (core/validation ValidatePersistentVolumeClaimUpdate, 1.28, RecoverVolumeExpansionFailure off).
 */
import { describeChange } from '../changes';
import { compareQuantities } from '../quantity-equal';
import type { DiffCheck, DiffFinding } from '../types';
import { invalid, namespaceFlag, specChanges } from './support';

export const PVC_SPEC_FORBIDDEN =
  'spec: Forbidden: spec is immutable after creation except resources.requests for bound claims';
export const PVC_SHRINK_FORBIDDEN =
  'spec.resources.requests.storage: Forbidden: field can not be less than previous value';

const REQUESTS = 'spec.resources.requests';
/** Fields the cluster fills in on a live claim (the binder, the default StorageClass): NEW may spell out their values. */
const FILLED_IN_BY_CLUSTER = new Set(['spec.volumeName', 'spec.storageClassName']);

export const pvcSpec: DiffCheck = {
  id: 'immutable-field',
  description: 'a PersistentVolumeClaim spec cannot change, except growing resources.requests',
  kinds: ['PersistentVolumeClaim'],
  check(pair) {
    const findings: DiffFinding[] = [];
    for (const change of specChanges(pair)) {
      if (change.display === `${REQUESTS}.storage`) {
        if (compareQuantities(change.newValue, change.oldValue) === -1) {
          findings.push({
            severity: 'error',
            side: 'new',
            path: change.newPath,
            message: `${describeChange(change)}: ${invalid(pair, PVC_SHRINK_FORBIDDEN)}. A volume cannot shrink: ` +
              'keep the old size, or create a new, smaller claim and copy the data over',
          });
        }
        continue;
      }
      if (change.display.startsWith(`${REQUESTS}.`)) continue;
      if (change.oldValue === undefined && FILLED_IN_BY_CLUSTER.has(change.display)) {
        findings.push({
          severity: 'warning',
          side: 'new',
          path: change.newPath,
          message: `${describeChange(change)}: the cluster fills in ${change.display.slice('spec.'.length)} on a ` +
            'claim it binds, so the API server accepts this only if it equals the value the live claim already has; ' +
            `otherwise ${invalid(pair, PVC_SPEC_FORBIDDEN)}. Compare with kubectl get pvc ${pair.name}` +
            `${namespaceFlag(pair)} -o yaml`,
        });
        continue;
      }
      findings.push({
        severity: 'error',
        side: 'new',
        path: change.newPath,
        message: `${describeChange(change)}: ${invalid(pair, PVC_SPEC_FORBIDDEN)}. To change it, delete the claim ` +
          `(kubectl delete pvc ${pair.name}${namespaceFlag(pair)}) and re-apply; the data stays on its volume ` +
          'only if the PersistentVolume\'s reclaim policy is Retain',
      });
    }
    return findings;
  },
};
