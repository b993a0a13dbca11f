/** Removing a PersistentVolume with reclaim policy Retain leaves its data on the storage. */
import { defineRule } from '../../core/rule';
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

export const removedVolumeRetainsData = defineRule({
  id: 'removed-pv-retains-data',
  phase: 'revision',
  severity: 'warning',
  kinds: ['PersistentVolume'],
  docs: {
    description: 'A removed PersistentVolume with reclaim policy Retain leaves its data on the storage.',
    remediation: 'Clean up or re-attach the data on the storage by hand.',
  },
  messages: {
    retained: (d: { name: string; source: string; claim?: string }) =>
      `PersistentVolume "${d.name}" is removed with reclaim policy Retain: the data on ${d.source} stays and must ` +
      'be cleaned up or re-attached by hand' +
      (d.claim === undefined ? '' : `; while claim ${d.claim} uses it, the PV is only deleted once the claim is gone`),
  },
  check(pair) {
    if (!pair.old || pair.new) return [];
    const spec = specOf(pair.old.normalized);
    if (spec.persistentVolumeReclaimPolicy !== 'Retain') return [];
    const ref = isObject(spec.claimRef) ? spec.claimRef : undefined;
    const claim = ref && typeof ref.name === 'string' ? claimOfRef(ref.namespace, ref.name) : undefined;
    return [{
      messageId: 'retained',
      side: 'old',
      path: ['spec', 'persistentVolumeReclaimPolicy'],
      data: { name: pair.name, source: describeSource(spec), claim },
    }];
  },
});

/** `shop/data-web-0`, or for a claimRef without a namespace (which never binds) just the name. */
function claimOfRef(namespace: unknown, name: string): string {
  return typeof namespace === 'string' && namespace !== '' ? `${namespace}/${name}` : name;
}
