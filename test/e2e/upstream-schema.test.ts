import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  AccessMode, ClaimRetention, ContainerSecurity, DisruptionBudget, EnvValue, NfsPersistentVolume, PodManagementPolicy,
  PoolBinding, Probe, Protocol, StatefulApp, UpdateStrategy, VolumeMode,
} from '../../lib/constructs';
import { newChart } from '../unit/constructs/helpers';
import { parseObjects, synthExampleApp } from './synth-helpers';
import { errorsOf, loadValidators, UPSTREAM_SKIP } from './upstream-oracle';

const skip = UPSTREAM_SKIP;
if (skip) {
  console.log(skip);
}

describe('synthesized YAML against the upstream Kubernetes 1.28 definitions (unknown fields rejected)', { skip }, () => {
  const validatorFor = loadValidators();

  it('rejects an unknown field, so the check below means something', () => {
    const object = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { replicaz: 3, serviceName: 'x', selector: {}, template: {} } };
    const validate = validatorFor(object);
    assert.equal(validate(object), false);
    assert.match(errorsOf(validate), /\/spec must NOT have additional properties \{"additionalProperty":"replicaz"\}/);
  });

  it('validates an app that uses every option', () => {
    const chart = newChart({ namespace: 'kitchen' });
    const app = new StatefulApp(chart, 'sink', {
      replicas: 3,
      ordinalsStart: 1,
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      updateStrategy: UpdateStrategy.onDelete(),
      minReadySeconds: 5,
      claimRetention: { whenDeleted: ClaimRetention.DELETE, whenScaled: ClaimRetention.RETAIN },
      publishNotReadyAddresses: true,
      disruptionBudget: DisruptionBudget.maxUnavailable('34%'),
      terminationGracePeriodSeconds: 60,
      containers: [
        {
          image: 'db:1',
          command: ['db'],
          args: ['--serve'],
          workingDir: '/work',
          env: { A: 'a', POD: EnvValue.fromFieldPath('metadata.name') },
          ports: [{ name: 'db', number: 5000 }, { name: 'gossip', number: 7000, protocol: Protocol.UDP }],
          resources: { cpu: { request: Cpu.millis(100), limit: Cpu.units(2) }, memory: { request: Size.mebibytes(64), limit: Size.gibibytes(1) } },
          readiness: Probe.httpGet('/ready', 'db', { periodSeconds: 5, timeoutSeconds: 2 }),
          liveness: Probe.tcpSocket(5000, { failureThreshold: 5 }),
          startup: Probe.exec(['true'], { initialDelaySeconds: 1, successThreshold: 1 }),
          mounts: [{ template: 'data', path: '/data', subPath: 'db' }, { template: 'logs', path: '/logs', readOnly: false }],
          security: ContainerSecurity.nonRoot({ user: 1000, group: 1000 }),
        },
        { name: 'root-helper', image: 'helper:1', security: ContainerSecurity.runAsRoot(), mounts: [{ template: 'logs', path: '/logs', readOnly: true }] },
      ],
      volumeClaimTemplates: [
        { name: 'data', size: Size.gibibytes(10), volumeMode: VolumeMode.FILESYSTEM,
          nfs: { server: '10.0.0.1', pathPattern: '/d/{nnn}', namePattern: 'sink-d{nnn}', headroom: 1, mountOptions: ['nfsvers=4.1'] } },
        { name: 'logs', size: Size.mebibytes(100), accessModes: [AccessMode.READ_WRITE_ONCE_POD], storageClassName: 'slow',
          nfs: { server: 'nfs2', pathPattern: '/l/{n}', binding: PoolBinding.labelSelector() } },
      ],
    });
    app.addEnv('PEERS', app.peers('db').join(','));
    new NfsPersistentVolume(chart, 'extra', {
      server: 'nfs1', path: '/x', capacity: Size.kibibytes(0.5), accessModes: [AccessMode.READ_ONLY_MANY], readOnly: true,
      claimRef: { name: 'other', namespace: 'kitchen' },
    });
    for (const object of Testing.synth(chart)) {
      const validate = validatorFor(object);
      assert.ok(validate(object), `${object.kind}/${object.metadata?.name}:\n${errorsOf(validate)}`);
    }
  });

  for (const [file, text] of synthExampleApp()) {
    it(`validates every document of ${file}`, () => {
      const objects = parseObjects(text);
      assert.ok(objects.length > 0);
      for (const object of objects) {
        const validate = validatorFor(object);
        assert.ok(validate(object), `${file}: ${object.kind}/${object.metadata?.name}:\n${errorsOf(validate)}`);
      }
    });
  }
});
