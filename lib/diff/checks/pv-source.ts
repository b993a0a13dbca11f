/**
 * A PersistentVolume's volume source (NFS server and path, CSI handle, hostPath ...) and volumeMode cannot change,
 * nor a nodeAffinity once set (core/validation ValidatePersistentVolumeUpdate, 1.28). Capacity, access modes,
 * reclaim policy, class, mount options and claimRef may change.
 */
import { describeChange, showValue, type FieldChange } from '../changes';
import type { RevisionReport } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { invalid, specChanges, specOf } from './support';

/** The fields of core/v1 PersistentVolumeSource (inlined into PersistentVolumeSpec). */
export const PERSISTENT_VOLUME_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs',
  'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi',
];

export const PV_SOURCE_FORBIDDEN =
  'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation';

const topKey = (change: FieldChange): string => change.display.split(/[.[]/)[1] ?? '';

function cause(pair: ObjectPair, change: FieldChange): string | undefined {
  const key = topKey(change);
  if (PERSISTENT_VOLUME_SOURCES.includes(key)) return PV_SOURCE_FORBIDDEN;
  if (key === 'volumeMode') return `volumeMode: Invalid value: ${JSON.stringify(showValue(change.newValue))}: field is immutable`;
  if (key === 'nodeAffinity' && specOf(pair.old?.normalized).nodeAffinity !== undefined) {
    return 'nodeAffinity: Invalid value: core.VolumeNodeAffinity{...}: field is immutable';
  }
  return undefined;
}

export const pvSourceMessages = {
  pvSource:
    '{{change}}: {{invalid}}. To point the volume elsewhere, create a new ' +
    'PersistentVolume (under a new name, or after kubectl delete pv {{name}} once its claim is gone) ' +
    'and bind the claim to it',
};

/** A PersistentVolume's volume source, volumeMode and nodeAffinity cannot change. */
export function pvSource(pair: ObjectPair): RevisionReport<typeof pvSourceMessages>[] {
  return specChanges(pair).flatMap((change) => {
    const refusal = cause(pair, change);
    if (!refusal) return [];
    return [{
      messageId: 'pvSource' as const,
      side: 'new' as const,
      path: change.newPath,
      data: { change: describeChange(change), invalid: invalid(pair, refusal), name: pair.name },
    }];
  });
}
