/** Removing a PersistentVolume with reclaim policy Retain leaves its data on the storage. */
import type { DiffCheck } from '../types';
import { isObject, specOf } from './support';
import { PERSISTENT_VOLUME_SOURCES } from './pv-source';

/** Where a volume's data lives, as far as the manifest says: `nfs nfs1:/data/v1`, `hostPath /mnt/x`, `csi`. */
function describeSource(spec: Record<string, unknown>): string {
  const key = PERSISTENT_VOLUME_SOURCES.find((source) => spec[source] !== undefined);
  const source = key ? spec[key] : undefined;
  if (!key || !isObject(source)) return 'its volume';
  if (key === 'nfs') return `nfs ${String(source.server)}:${String(source.path)}`;
  if (key === 'hostPath' || key === 'local') return `${key} ${String(source.path)}`;
  if (key === 'csi') return `csi ${String(source.driver)} ${String(source.volumeHandle)}`;
  return key;
}

export const removedVolumeRetainsData: DiffCheck = {
  id: 'removed-pv-retains-data',
  description: 'a removed PersistentVolume with reclaim policy Retain leaves its data on the storage',
  kinds: ['PersistentVolume'],
  check(pair) {
    if (!pair.old || pair.new) return [];
    const spec = specOf(pair.old.normalized);
    if (spec.persistentVolumeReclaimPolicy !== 'Retain') return [];
    const ref = isObject(spec.claimRef) ? spec.claimRef : undefined;
    const claim = ref && typeof ref.name === 'string' ? claimOfRef(ref.namespace, ref.name) : undefined;
    const bound = claim ? `; while ${claim} uses it, the PV is only deleted once the claim is gone` : '';
    return [{
      severity: 'warning',
      side: 'old',
      path: ['spec', 'persistentVolumeReclaimPolicy'],
      message: `PersistentVolume "${pair.name}" is removed with reclaim policy Retain: the data on ` +
        `${describeSource(spec)} stays and must be cleaned up or re-attached by hand${bound}`,
    }];
  },
};

/** `claim shop/data-web-0`, or for a claimRef without a namespace (which never binds) just the name. */
function claimOfRef(namespace: unknown, name: string): string {
  return typeof namespace === 'string' && namespace !== '' ? `claim ${namespace}/${name}` : `claim ${name}`;
}
