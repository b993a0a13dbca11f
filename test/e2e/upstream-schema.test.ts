import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Size, Testing } from 'cdk8s';
import { Cpu, DnsPolicy, EmptyDirMedium, FsGroupChangePolicy, ImagePullPolicy, TaintEffect, Topology } from 'cdk8s-plus-28';
import {
  AccessMode, ClaimRetention, ContainerSecurity, DisruptionBudget, EnvFrom, EnvValue, Handler, NfsPersistentVolume,
  PodManagementPolicy, PodVolume, PoolBinding, Probe, Protocol, StatefulApp, UpdateStrategy, VolumeMode,
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

  it('validates an app that uses every pod option', () => {
    const chart = newChart({ namespace: 'kitchen' });
    new StatefulApp(chart, 'pod', {
      replicas: 2,
      revisionHistoryLimit: 2,
      annotations: { 'example.com/owner': 'team' },
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      serviceAccount: 'pod-sa',
      automountServiceAccountToken: false,
      imagePullSecrets: ['registry'],
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['backup.local'] }],
      dns: { policy: DnsPolicy.NONE, nameservers: ['10.0.0.10'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }], hostnameAsFqdn: true },
      securityContext: { fsGroup: 999, fsGroupChangePolicy: FsGroupChangePolicy.ON_ROOT_MISMATCH, user: 999, group: 999, ensureNonRoot: true, supplementalGroups: [5], sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
      scheduling: {
        separate: [{ topology: Topology.HOSTNAME }, { topology: Topology.ZONE, weight: 10 }],
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'dedicated', value: 'db', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 30 }, { operator: 'Exists' }],
        topologySpread: [{ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'arch', operator: 'In', values: ['amd64'] }] }] } } },
        priorityClassName: 'high',
      },
      volumes: [
        PodVolume.fromConfigMap('config', 'cfg', { defaultMode: 0o440, items: { a: { path: 'a.conf', mode: 0o400 } }, optional: true }),
        PodVolume.fromSecret('tls', 'tls'),
        PodVolume.fromEmptyDir('run', { medium: EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(64) }),
        PodVolume.fromDownwardApi('info', [{ path: 'labels', fieldPath: 'metadata.labels' }]),
        PodVolume.projected('all', [{ secret: 'tls' }, { configMap: 'cfg', items: { a: { path: 'a' } } }, { downwardApi: [{ path: 'n', fieldPath: 'metadata.name' }] }, { serviceAccountToken: { path: 't', audience: 'vault', expirationSeconds: 600 } }]),
      ],
      initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['true'], mounts: [{ template: 'data', path: '/data' }] }],
      sidecars: [{ name: 'exporter', image: 'exporter:1', ports: [{ name: 'metrics', number: 9187 }], readiness: Probe.tcpSocket('metrics') }],
      containers: [{
        name: 'db', image: 'db:1', imagePullPolicy: ImagePullPolicy.ALWAYS,
        ports: [{ name: 'db', number: 5432 }],
        env: { PASSWORD: EnvValue.fromSecretValue({ secret: 'creds', key: 'password' }), DB: EnvValue.fromConfigMap('cfg', 'db', { optional: true }) },
        envFrom: [EnvFrom.fromSecret('extra', 'X_'), EnvFrom.fromConfigMap('cfg', undefined, { optional: true })],
        lifecycle: { preStop: Handler.fromCommand(['stop']), postStart: Handler.fromHttpGet('/started', 'db') },
        resources: { ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(2) }, extended: { 'example.com/dongle': 1 } },
        mounts: [
          { template: 'data', path: '/data', subPath: 'db' }, { volume: 'config', path: '/etc/db', readOnly: true }, { volume: 'tls', path: '/tls' },
          { volume: 'run', path: '/run' }, { volume: 'info', path: '/info' }, { volume: 'all', path: '/all' },
        ],
        security: ContainerSecurity.custom({ user: 999, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, seccompProfile: { type: 'Localhost', localhostProfile: 'db.json' } }),
      }],
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), storageClassName: 'fast', labels: { backup: 'daily' }, annotations: { 'example.com/tier': 'gold' } }],
      clientService: { ports: [{ name: 'db', port: 5433 }], annotations: { 'example.com/lb': 'internal' } },
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
