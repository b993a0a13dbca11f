import type { Rule } from '../core/types';

/**
 * `persistentVolumeReclaimPolicy: Recycle` is deprecated: a 1.28 API server accepts the PV with a warning, and only
 * the NFS and hostPath plugins still recycle (a basic `rm -rf` by a recycler pod).
 */
export const pvReclaimRecycle: Rule = {
  id: 'pv-reclaim-recycle',
  severity: 'warning',
  kinds: ['PersistentVolume'],
  description: 'A PersistentVolume does not use the deprecated reclaim policy Recycle.',
  remediation: 'Use persistentVolumeReclaimPolicy: Retain (and clean the volume yourself) or dynamic provisioning.',
  check(manifest) {
    const spec = manifest.object.spec as Record<string, unknown> | undefined;
    if (typeof spec !== 'object' || spec === null || spec.persistentVolumeReclaimPolicy !== 'Recycle') return [];
    return [
      {
        message:
          'spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended ' +
          'approach is to use dynamic provisioning (the API server warns so on apply); use Retain and clean the ' +
          'volume yourself, or a provisioner',
        path: ['spec', 'persistentVolumeReclaimPolicy'],
      },
    ];
  },
};
