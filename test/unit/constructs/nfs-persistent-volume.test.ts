import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Size, Testing } from 'cdk8s';
import { AccessMode, NfsPersistentVolume, NfsPersistentVolumeProps, ReclaimPolicy, VolumeMode } from '../../../lib/constructs';
import { findObject, newChart } from './helpers';

const base: NfsPersistentVolumeProps = {
  server: 'nfs1',
  path: '/data/volumes/v1',
  capacity: Size.gibibytes(2),
  accessModes: [AccessMode.READ_WRITE_ONCE],
};

function synthPv(props: Partial<NfsPersistentVolumeProps>, chartNamespace?: string): any {
  const chart = newChart({ namespace: chartNamespace });
  new NfsPersistentVolume(chart, 'pv001', { ...base, ...props });
  return findObject(Testing.synth(chart), 'PersistentVolume', props.name ?? 'pv001');
}

describe('NfsPersistentVolume', () => {
  it('defaults: named after the id, Retain, no class, no volume mode, no claimRef', () => {
    const pv = synthPv({});
    assert.deepEqual(pv.spec, {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '2Gi' },
      nfs: { server: 'nfs1', path: '/data/volumes/v1' },
      persistentVolumeReclaimPolicy: 'Retain',
    });
    assert.equal(pv.metadata.namespace, undefined);
  });

  it('carries no namespace even in a namespaced chart', () => {
    const pv = synthPv({}, 'prod');
    assert.equal(pv.metadata.namespace, undefined);
    assert.equal('namespace' in pv.metadata, false);
  });

  it('writes every option', () => {
    const pv = synthPv({
      name: 'fast-pv-1',
      accessModes: [AccessMode.READ_WRITE_MANY, AccessMode.READ_WRITE_ONCE],
      reclaimPolicy: ReclaimPolicy.DELETE,
      storageClassName: 'nfs',
      volumeMode: VolumeMode.FILESYSTEM,
      mountOptions: ['nfsvers=4.1'],
      readOnly: true,
      labels: { tier: 'gold' },
      claimRef: { name: 'data-db-0', namespace: 'prod' },
    });
    assert.deepEqual(pv.metadata.labels, { tier: 'gold' });
    assert.deepEqual(pv.spec, {
      accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
      capacity: { storage: '2Gi' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data-db-0', namespace: 'prod' },
      mountOptions: ['nfsvers=4.1'],
      nfs: { server: 'nfs1', path: '/data/volumes/v1', readOnly: true },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'nfs',
      volumeMode: 'Filesystem',
    });
  });

  it('treats an empty storageClassName as no class', () => {
    assert.equal('storageClassName' in synthPv({ storageClassName: '' }).spec, false);
  });

  const capacities: Array<[string, Size, string]> = [
    ['500 MiB', Size.mebibytes(500), '500Mi'],
    ['2 GiB', Size.gibibytes(2), '2Gi'],
    ['1024 MiB as 1Gi', Size.mebibytes(1024), '1Gi'],
    ['1.5 GiB as Mi', Size.gibibytes(1.5), '1536Mi'],
    ['1536 KiB', Size.kibibytes(1536), '1536Ki'],
    ['half a KiB in bytes', Size.kibibytes(0.5), '512'],
    ['1 TiB', Size.tebibytes(1), '1Ti'],
    ['3 PiB', Size.pebibyte(3), '3Pi'],
    ['2048 TiB as Pi', Size.tebibytes(2048), '2Pi'],
  ];
  for (const [what, size, expected] of capacities) {
    it(`writes a capacity of ${what} exactly as ${expected}`, () => {
      assert.deepEqual(synthPv({ capacity: size }).spec.capacity, { storage: expected });
    });
  }

  const bad: Array<[string, Partial<NfsPersistentVolumeProps>, string]> = [
    ['a zero capacity', { capacity: Size.gibibytes(0) },
      'NfsPersistentVolume "pv001": capacity is zero; give a positive size such as Size.gibibytes(1)'],
    ['a capacity that is not whole bytes', { capacity: Size.kibibytes(0.0001) },
      'NfsPersistentVolume "pv001": capacity 0.0001Ki is not a whole number of bytes; use a size such as Size.mebibytes(500)'],
    ['no access modes', { accessModes: [] },
      'NfsPersistentVolume "pv001": accessModes is empty; give the modes the volume offers, e.g. [AccessMode.READ_WRITE_ONCE]'],
    ['ReadWriteOncePod next to another mode', { accessModes: [AccessMode.READ_WRITE_ONCE_POD, AccessMode.READ_WRITE_ONCE] },
      'NfsPersistentVolume "pv001": spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes; give ReadWriteOncePod alone'],
    ['a relative path', { path: 'data/v1' },
      'NfsPersistentVolume "pv001": path "data/v1" is not absolute; give the exported path, e.g. "/data/volumes/v1"'],
    ['an empty server', { server: '' },
      'NfsPersistentVolume "pv001": server is empty; give the NFS server host name or IP address'],
    ['a claimRef without namespace', { claimRef: { name: 'data-db-0', namespace: '' } },
      'NfsPersistentVolume "pv001": claimRef.namespace is empty; a PV pre-bound without the claim\'s namespace never binds: give the namespace of the claim'],
    ['an invalid name', { name: 'PV_1' },
      'NfsPersistentVolume "PV_1": name is not a DNS-1123 subdomain (lower-case letters, digits, \'-\' and \'.\'); use a name such as "pv-1"'],
  ];
  for (const [what, props, message] of bad) {
    it(`rejects ${what}`, () => {
      assert.throws(() => new NfsPersistentVolume(newChart(), 'pv001', { ...base, ...props }), { message });
    });
  }
});
