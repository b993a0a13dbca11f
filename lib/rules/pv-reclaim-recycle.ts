import { defineRule } from '../core/rule';
import { asRecord } from './support/values';

/**
 * `persistentVolumeReclaimPolicy: Recycle` is deprecated: a 1.28 API server accepts the PV with a warning, and only
 * the NFS and hostPath plugins still recycle (a basic `rm -rf` by a recycler pod).
 */
export const pvReclaimRecycle = defineRule({
  id: 'pv-reclaim-recycle',
  phase: 'object',
  severity: 'warning',
  kinds: ['PersistentVolume'],
  docs: {
    description: 'A PersistentVolume does not use the deprecated reclaim policy Recycle.',
    remediation: 'Use persistentVolumeReclaimPolicy: Retain (and clean the volume yourself) or dynamic provisioning.',
  },
  messages: {
    // The API server's own warning on apply, then what to do.
    deprecated:
      'spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended ' +
      'approach is to use dynamic provisioning (the API server warns so on apply); use Retain and clean the ' +
      'volume yourself, or a provisioner',
  },
  check(manifest) {
    if (asRecord(manifest.object.spec)?.persistentVolumeReclaimPolicy !== 'Recycle') return [];
    return [{ messageId: 'deprecated', path: ['spec', 'persistentVolumeReclaimPolicy'] }];
  },
});
