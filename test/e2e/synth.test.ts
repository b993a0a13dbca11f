import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App, Testing } from 'cdk8s';
import { EtcdChart } from '../../charts/etcd';
import { MyAppChart, MyAppChartProps } from '../../charts/myapp';
import { claimName } from '../../lib/k8s/names';
import { findObject, ofKind } from '../unit/constructs/helpers';
import { parseObjects, repoRoot, synthExampleApp } from './synth-helpers';

const SNAPSHOT_DIR = path.join(repoRoot, 'test/e2e/__snapshots__');

function myapp(props: MyAppChartProps = {}): any[] {
  return Testing.synth(new MyAppChart(new App({ outdir: os.tmpdir() }), 'myapp', props));
}

function etcd(): any[] {
  return Testing.synth(new EtcdChart(new App({ outdir: os.tmpdir() }), 'etcd'));
}

/** Every claim every replica of every StatefulSet makes has exactly one PV pre-bound to it, and that PV fits it. */
function assertEveryClaimHasItsOwnPv(manifests: readonly any[]): number {
  const pvs = ofKind(manifests, 'PersistentVolume');
  let claims = 0;
  for (const sts of ofKind(manifests, 'StatefulSet')) {
    const start = sts.spec.ordinals?.start ?? 0;
    for (let ordinal = start; ordinal < start + sts.spec.replicas; ordinal++) {
      for (const template of sts.spec.volumeClaimTemplates ?? []) {
        const claim = claimName(template.metadata.name, sts.metadata.name, ordinal);
        const bound = pvs.filter((pv) => pv.spec.claimRef?.name === claim && pv.spec.claimRef?.namespace === sts.metadata.namespace);
        assert.equal(bound.length, 1, `claim ${claim} has ${bound.length} PVs pre-bound to it`);
        const [pv] = bound;
        assert.equal(pv.spec.capacity.storage, template.spec.resources.requests.storage, `PV ${pv.metadata.name} capacity`);
        for (const mode of template.spec.accessModes) {
          assert.ok(pv.spec.accessModes.includes(mode), `PV ${pv.metadata.name} lacks ${mode} for ${claim}`);
        }
        assert.equal(pv.spec.storageClassName ?? '', template.spec.storageClassName ?? '', `PV ${pv.metadata.name} class`);
        assert.equal(pv.spec.volumeMode ?? 'Filesystem', template.spec.volumeMode ?? 'Filesystem');
        claims++;
      }
    }
  }
  return claims;
}

describe('myapp chart', () => {
  it('has the headless Service myapp, port 80 named web, selecting app: myapp-pod', () => {
    const svc = findObject(myapp(), 'Service', 'myapp');
    assert.equal(svc.metadata.namespace, 'default');
    assert.equal(svc.spec.clusterIP, 'None');
    assert.deepEqual(svc.spec.selector, { app: 'myapp-pod' });
    assert.deepEqual(svc.spec.ports.map((p: any) => [p.name, p.port]), [['web', 80]]);
  });

  it('has the StatefulSet myapp: 3 replicas of ikubernetes/myapp:v1 with myappdata (RWO, 2Gi) at /usr/share/nginx/html', () => {
    const sts = findObject(myapp(), 'StatefulSet', 'myapp');
    assert.equal(sts.spec.serviceName, 'myapp');
    assert.equal(sts.spec.replicas, 3);
    const [container] = sts.spec.template.spec.containers;
    assert.equal(container.image, 'ikubernetes/myapp:v1');
    assert.deepEqual(container.ports, [{ name: 'web', containerPort: 80, protocol: 'TCP' }]);
    assert.deepEqual(container.volumeMounts, [{ name: 'myappdata', mountPath: '/usr/share/nginx/html' }]);
    assert.equal(container.securityContext.runAsNonRoot, false, 'nginx in this image runs as root');
    const [template] = sts.spec.volumeClaimTemplates;
    assert.equal(template.metadata.name, 'myappdata');
    assert.deepEqual(template.spec.accessModes, ['ReadWriteOnce']);
    assert.equal(template.spec.resources.requests.storage, '2Gi');
  });

  it('has NFS PVs pv001.. on nfs1:/data/volumes/v1.., 2Gi, RWX+RWO, pre-bound to myappdata-myapp-<i-1>', () => {
    const pvs = ofKind(myapp(), 'PersistentVolume');
    assert.deepEqual(pvs.map((pv) => pv.metadata.name), ['pv001', 'pv002', 'pv003']);
    pvs.forEach((pv, i) => {
      assert.deepEqual(pv.spec.nfs, { server: 'nfs1', path: `/data/volumes/v${i + 1}` });
      assert.deepEqual(pv.spec.capacity, { storage: '2Gi' });
      assert.deepEqual(pv.spec.accessModes, ['ReadWriteMany', 'ReadWriteOnce']);
      assert.deepEqual(pv.spec.claimRef, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: `myappdata-myapp-${i}`, namespace: 'default' });
    });
  });

  it('adds pv004 on /data/volumes/v4 when scaled to 4 replicas', () => {
    const manifests = myapp({ replicas: 4 });
    assert.equal(findObject(manifests, 'StatefulSet', 'myapp').spec.replicas, 4);
    const pv004 = findObject(manifests, 'PersistentVolume', 'pv004');
    assert.equal(pv004.spec.nfs.path, '/data/volumes/v4');
    assert.equal(pv004.spec.claimRef.name, 'myappdata-myapp-3');
    assert.equal(ofKind(manifests, 'PersistentVolume').length, 4);
  });

  it('takes image and canary partition as typed settings', () => {
    const sts = findObject(myapp({ image: 'ikubernetes/myapp:v2', partition: 2 }), 'StatefulSet', 'myapp');
    assert.equal(sts.spec.template.spec.containers[0].image, 'ikubernetes/myapp:v2');
    assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
  });

  it('pre-binds to the chosen namespace', () => {
    const manifests = myapp({ namespace: 'shop', replicas: 2 });
    assert.equal(findObject(manifests, 'StatefulSet', 'myapp').metadata.namespace, 'shop');
    assert.deepEqual(ofKind(manifests, 'PersistentVolume').map((pv) => pv.spec.claimRef.namespace), ['shop', 'shop']);
  });

  it('gives every claim of every replica exactly one fitting PV, for 1 to 6 replicas', () => {
    for (let replicas = 1; replicas <= 6; replicas++) {
      assert.equal(assertEveryClaimHasItsOwnPv(myapp({ replicas })), replicas);
    }
  });

  it('rejects a partition above the replica count', () => {
    assert.throws(() => myapp({ replicas: 3, partition: 5 }), {
      message: 'StatefulApp "myapp": updateStrategy partition 5 is greater than replicas 3, so no pod would ever be updated; set a partition from 0 to 3',
    });
  });
});

describe('etcd chart', () => {
  const manifests = etcd();
  const sts = findObject(manifests, 'StatefulSet', 'etcd');

  it('is an EtcdCluster: two claim templates of different sizes, Parallel, a retention policy and a quorum PDB', () => {
    assert.deepEqual(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage]), [['data', '8Gi'], ['wal', '512Mi']]);
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Delete' });
    assert.equal(findObject(manifests, 'PodDisruptionBudget', 'etcd').spec.maxUnavailable, 1);
    assert.equal(sts.metadata.annotations['cdk8s-stateful.io/cluster'], 'etcd');
    assert.equal(findObject(manifests, 'Service', 'etcd').spec.publishNotReadyAddresses, true);
  });

  it('configures the peers from the pods\' stable DNS names', () => {
    const env = sts.spec.template.spec.containers[0].env;
    const initialCluster = env.find((e: any) => e.name === 'ETCD_INITIAL_CLUSTER').value;
    assert.equal(initialCluster, [0, 1, 2].map((i) => `etcd-${i}=http://etcd-${i}.etcd.etcd.svc.cluster.local:2380`).join(','));
  });

  it('gives every claim of every replica exactly one fitting PV', () => {
    assert.equal(assertEveryClaimHasItsOwnPv(manifests), 6);
  });

  it('writes no namespace on cluster-scoped objects', () => {
    assert.equal(findObject(manifests, 'Namespace', 'etcd').metadata.namespace, undefined);
  });
});

describe('cdk8s synth of charts/main.ts', () => {
  const files = synthExampleApp();

  it('writes one YAML file per chart', () => {
    assert.deepEqual([...files.keys()], ['etcd.k8s.yaml', 'myapp.k8s.yaml']);
  });

  it('writes no namespace on any PersistentVolume', () => {
    const pvs = [...files.values()].flatMap(parseObjects).filter((o) => o.kind === 'PersistentVolume');
    assert.equal(pvs.length, 9);
    for (const pv of pvs) {
      assert.equal(pv.metadata.namespace, undefined, `PV ${pv.metadata.name}`);
    }
  });

  // Snapshots: the exact YAML `cdk8s synth` writes. After an intended change, rewrite them with
  // `UPDATE_SNAPSHOTS=1 node --test build/test/e2e/synth.test.js` and review the diff.
  for (const [file, text] of files) {
    it(`matches the snapshot ${file}`, () => {
      const snapshot = path.join(SNAPSHOT_DIR, file);
      if (process.env.UPDATE_SNAPSHOTS === '1') {
        fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
        fs.writeFileSync(snapshot, text);
      }
      assert.ok(fs.existsSync(snapshot), `no snapshot ${snapshot}: run with UPDATE_SNAPSHOTS=1 to write it`);
      assert.equal(text, fs.readFileSync(snapshot, 'utf8'), `${file} differs from its snapshot; if intended, rerun with UPDATE_SNAPSHOTS=1`);
    });
  }
});
