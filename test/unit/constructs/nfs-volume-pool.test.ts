import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Size, Testing } from 'cdk8s';
import { AccessMode, fillNumber, NfsVolumePool, NfsVolumePoolProps, PoolBinding, POOL_LABELS, VolumeMode } from '../../../lib/constructs';
import { findObject, newChart, ofKind } from './helpers';

const base: NfsVolumePoolProps = {
  statefulSet: { name: 'web', namespace: 'shop', replicas: 3 },
  template: { name: 'data', size: Size.gibibytes(2), accessModes: [AccessMode.READ_WRITE_ONCE] },
  server: 'nfs1',
  pathPattern: '/exports/v{n}',
};

function synthPool(props: Partial<NfsVolumePoolProps>): any[] {
  const chart = newChart();
  new NfsVolumePool(chart, 'pool', { ...base, ...props });
  return ofKind(Testing.synth(chart), 'PersistentVolume');
}

describe('NfsVolumePool', () => {
  it('makes one PV per replica, 1-based, pre-bound to <template>-<statefulset>-<ordinal> in the namespace', () => {
    const pvs = synthPool({});
    assert.deepEqual(pvs.map((pv) => pv.metadata.name), ['web-data-1', 'web-data-2', 'web-data-3']);
    assert.deepEqual(pvs.map((pv) => pv.spec.nfs.path), ['/exports/v1', '/exports/v2', '/exports/v3']);
    assert.deepEqual(pvs.map((pv) => pv.spec.claimRef), [0, 1, 2].map((i) => ({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: `data-web-${i}`, namespace: 'shop',
    })));
    for (const pv of pvs) {
      assert.deepEqual(pv.spec.capacity, { storage: '2Gi' });
      assert.deepEqual(pv.spec.accessModes, ['ReadWriteOnce']);
      assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
      assert.deepEqual(pv.metadata.labels, {
        [POOL_LABELS.statefulSet]: 'web', [POOL_LABELS.template]: 'data', [POOL_LABELS.namespace]: 'shop',
      });
    }
  });

  it('honours ordinals.start, 0-based numbering and zero-padded name patterns', () => {
    const pvs = synthPool({
      statefulSet: { name: 'web', namespace: 'shop', replicas: 2, ordinalsStart: 5 },
      firstNumber: 0,
      namePattern: 'pv{nnn}',
      pathPattern: '/exports/{nn}/data',
    });
    assert.deepEqual(pvs.map((pv) => pv.metadata.name), ['pv000', 'pv001']);
    assert.deepEqual(pvs.map((pv) => pv.spec.nfs.path), ['/exports/00/data', '/exports/01/data']);
    assert.deepEqual(pvs.map((pv) => pv.spec.claimRef.name), ['data-web-5', 'data-web-6']);
  });

  it('adds headroom PVs that continue the numbering and are not pre-bound', () => {
    const pvs = synthPool({ headroom: 2 });
    assert.deepEqual(pvs.map((pv) => pv.metadata.name), ['web-data-1', 'web-data-2', 'web-data-3', 'web-data-4', 'web-data-5']);
    assert.deepEqual(pvs.map((pv) => pv.spec.claimRef?.name), ['data-web-0', 'data-web-1', 'data-web-2', undefined, undefined]);
  });

  it('copies class and volume mode from the template, offers wider access modes when asked', () => {
    const pvs = synthPool({
      template: { name: 'data', size: Size.mebibytes(500), accessModes: [AccessMode.READ_WRITE_ONCE], storageClassName: 'nfs', volumeMode: VolumeMode.FILESYSTEM },
      accessModes: [AccessMode.READ_WRITE_MANY, AccessMode.READ_WRITE_ONCE],
      mountOptions: ['nfsvers=4.1'],
    });
    for (const pv of pvs) {
      assert.equal(pv.spec.storageClassName, 'nfs');
      assert.equal(pv.spec.volumeMode, 'Filesystem');
      assert.deepEqual(pv.spec.capacity, { storage: '500Mi' });
      assert.deepEqual(pv.spec.accessModes, ['ReadWriteMany', 'ReadWriteOnce']);
      assert.deepEqual(pv.spec.mountOptions, ['nfsvers=4.1']);
    }
  });

  it('binds by label selector instead of claimRef when asked', () => {
    const chart = newChart();
    const pool = new NfsVolumePool(chart, 'pool', { ...base, binding: PoolBinding.labelSelector() });
    const pvs = ofKind(Testing.synth(chart), 'PersistentVolume');
    assert.equal(pvs.length, 3);
    assert.ok(pvs.every((pv) => pv.spec.claimRef === undefined));
    for (const pv of pvs) {
      for (const [key, value] of Object.entries(pool.selectorLabels)) {
        assert.equal(pv.metadata.labels[key], value);
      }
    }
  });

  it('makes no PV for zero replicas without headroom', () => {
    assert.deepEqual(synthPool({ statefulSet: { name: 'web', namespace: 'shop', replicas: 0 } }), []);
  });

  it('exposes its volumes in ordinal order', () => {
    const chart = newChart({ namespace: 'other' });
    const pool = new NfsVolumePool(chart, 'pool', base);
    assert.deepEqual(pool.volumes.map((v) => v.claimRef?.name), ['data-web-0', 'data-web-1', 'data-web-2']);
    assert.equal(findObject(Testing.synth(chart), 'PersistentVolume', 'web-data-1').metadata.namespace, undefined);
  });

  it('fills {n} as is and {nnn} zero-padded', () => {
    assert.equal(fillNumber('pv{nnn}-{n}', 7), 'pv007-7');
    assert.equal(fillNumber('v{nn}', 123), 'v123');
  });

  const bad: Array<[string, Partial<NfsVolumePoolProps>, string]> = [
    ['access modes that lack the template\'s', { accessModes: [AccessMode.READ_WRITE_MANY] },
      'NfsVolumePool "web/data": accessModes [ReadWriteMany] lack ReadWriteOnce that the claims request; no claim could bind: add ReadWriteOnce'],
    ['a path pattern without placeholder', { pathPattern: '/exports/data' },
      'NfsVolumePool "web/data": pathPattern "/exports/data" has no number placeholder, so every PV would get the same value; add {n} or {nnn}, e.g. "/data/volumes/v{n}"'],
    ['a name pattern without placeholder', { namePattern: 'pv' },
      'NfsVolumePool "web/data": namePattern "pv" has no number placeholder, so every PV would get the same value; add {n} or {nnn}, e.g. "pv{nnn}"'],
    ['negative replicas', { statefulSet: { name: 'web', namespace: 'shop', replicas: -1 } },
      'NfsVolumePool "web/data": statefulSet.replicas is -1; set a whole number >= 0'],
    ['absurd replicas', { statefulSet: { name: 'web', namespace: 'shop', replicas: 1e9 } },
      'NfsVolumePool "web/data": statefulSet.replicas + headroom is 1000000000, more than the 10000 the constructs generate PersistentVolumes for; check the number (a typo?), or split the workload'],
    ['replicas beyond int32', { statefulSet: { name: 'web', namespace: 'shop', replicas: 2 ** 31 } },
      'NfsVolumePool "web/data": statefulSet.replicas is 2147483648: must be less than or equal to 2147483647'],
    ['negative headroom', { headroom: -2 },
      'NfsVolumePool "web/data": headroom is -2; set a whole number >= 0'],
    ['an invalid namespace', { statefulSet: { name: 'web', namespace: 'Shop', replicas: 1 } },
      'NfsVolumePool "web/data": statefulSet.namespace "Shop" is not a valid namespace (a DNS-1123 label)'],
    ['a zero template size', { template: { name: 'data', size: Size.gibibytes(0), accessModes: [AccessMode.READ_WRITE_ONCE] } },
      'NfsVolumePool "web/data": template.size is zero; give a positive size such as Size.gibibytes(1)'],
  ];
  for (const [what, props, message] of bad) {
    it(`rejects ${what}`, () => {
      assert.throws(() => new NfsVolumePool(newChart(), 'pool', { ...base, ...props }), { message });
    });
  }
});
