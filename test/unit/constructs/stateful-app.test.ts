import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Size, Testing } from 'cdk8s';
import {
  AccessMode,
  ClaimRetention,
  ContainerSecurity,
  DisruptionBudget,
  EnvValue,
  PodManagementPolicy,
  PoolBinding,
  Probe,
  StatefulApp,
  StatefulAppProps,
  UpdateStrategy,
} from '../../../lib/constructs';
import { findObject, newChart, ofKind } from './helpers';

const minimal: StatefulAppProps = {
  containers: [{ image: 'nginx:1.25', ports: [{ name: 'web', number: 80 }], mounts: [{ template: 'data', path: '/data' }] }],
  volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1) }],
};

function build(props: Partial<StatefulAppProps> = {}, chartNamespace?: string) {
  const chart = newChart({ namespace: chartNamespace });
  const app = new StatefulApp(chart, 'web', { ...minimal, ...props });
  return { app, chart };
}

function synth(props: Partial<StatefulAppProps> = {}, chartNamespace?: string) {
  const { app, chart } = build(props, chartNamespace);
  const manifests = Testing.synth(chart);
  return { app, manifests, sts: findObject(manifests, 'StatefulSet', app.name), svc: findObject(manifests, 'Service', app.serviceName) };
}

describe('StatefulApp defaults', () => {
  const { app, manifests, sts, svc } = synth();

  it('names the StatefulSet and its headless Service exactly after the id, in the default namespace', () => {
    assert.equal(sts.metadata.name, 'web');
    assert.equal(sts.metadata.namespace, 'default');
    assert.equal(svc.metadata.namespace, 'default');
    assert.equal(sts.spec.serviceName, 'web');
    assert.equal(svc.spec.clusterIP, 'None');
    assert.deepEqual(svc.spec.ports, [{ name: 'web', port: 80, targetPort: 80, protocol: 'TCP' }]);
  });

  it('selects the pods by { app: <name> } everywhere', () => {
    assert.deepEqual(sts.spec.selector, { matchLabels: { app: 'web' } });
    assert.deepEqual(sts.spec.template.metadata.labels, { app: 'web' });
    assert.deepEqual(svc.spec.selector, { app: 'web' });
  });

  it('runs one replica, OrderedReady, rolling update, without ordinals, retention policy or PDB', () => {
    assert.equal(sts.spec.replicas, 1);
    assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate' });
    assert.equal(sts.spec.ordinals, undefined);
    assert.equal(sts.spec.persistentVolumeClaimRetentionPolicy, undefined);
    assert.equal(sts.spec.minReadySeconds, undefined);
    assert.equal(ofKind(manifests, 'PodDisruptionBudget').length, 0);
    assert.equal(ofKind(manifests, 'PersistentVolume').length, 0);
  });

  it('names the first container main and runs it as Pod Security "restricted" asks: non-root, read-only, no capabilities, RuntimeDefault seccomp', () => {
    const [container] = sts.spec.template.spec.containers;
    assert.equal(container.name, 'main');
    assert.deepEqual(container.securityContext, {
      runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.deepEqual(container.volumeMounts, [{ name: 'data', mountPath: '/data' }]);
  });

  it('writes the claim template ReadWriteOnce with the exact size and no class (no pool: the default class)', () => {
    assert.deepEqual(sts.spec.volumeClaimTemplates, [{
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }]);
  });

  it('exposes names, FQDNs, claim names and peers', () => {
    assert.equal(app.serviceName, 'web');
    assert.deepEqual(app.podNames, ['web-0']);
    assert.deepEqual(app.podFqdns, ['web-0.web.default.svc.cluster.local']);
    assert.deepEqual(app.claimNames('data'), ['data-web-0']);
    assert.deepEqual(app.peers('web'), ['web-0.web.default.svc.cluster.local:80']);
    assert.equal(app.apiObject, app.statefulSet);
  });
});

describe('StatefulApp options', () => {
  it('derives every name from replicas, ordinalsStart, serviceName, namespace and cluster domain', () => {
    const { app, sts } = synth({
      name: 'db', serviceName: 'db-peers', namespace: 'shop', replicas: 3, ordinalsStart: 2, clusterDomain: 'k8s.example',
    });
    assert.deepEqual(sts.spec.ordinals, { start: 2 });
    assert.deepEqual(app.podNames, ['db-2', 'db-3', 'db-4']);
    assert.deepEqual(app.podFqdns, [2, 3, 4].map((i) => `db-${i}.db-peers.shop.svc.k8s.example`));
    assert.deepEqual(app.claimNames('data'), ['data-db-2', 'data-db-3', 'data-db-4']);
    assert.deepEqual(app.peers(8080), [2, 3, 4].map((i) => `db-${i}.db-peers.shop.svc.k8s.example:8080`));
  });

  it('uses the chart namespace when none is given', () => {
    const { app, sts, svc } = synth({}, 'prod');
    assert.equal(app.namespace, 'prod');
    assert.equal(sts.metadata.namespace, 'prod');
    assert.equal(svc.metadata.namespace, 'prod');
    assert.deepEqual(app.podFqdns, ['web-0.web.prod.svc.cluster.local']);
  });

  it('writes a rolling update partition, or OnDelete', () => {
    assert.deepEqual(synth({ replicas: 3, updateStrategy: UpdateStrategy.rollingUpdate({ partition: 2 }) }).sts.spec.updateStrategy,
      { type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
    assert.deepEqual(synth({ updateStrategy: UpdateStrategy.onDelete() }).sts.spec.updateStrategy, { type: 'OnDelete' });
  });

  it('writes Parallel, minReadySeconds, the retention policy and publishNotReadyAddresses', () => {
    const { sts, svc } = synth({
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      minReadySeconds: 10,
      claimRetention: { whenScaled: ClaimRetention.DELETE },
      publishNotReadyAddresses: true,
    });
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.equal(sts.spec.minReadySeconds, 10);
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Delete' });
    assert.equal(svc.spec.publishNotReadyAddresses, true);
  });

  it('adds a PodDisruptionBudget selecting the pods', () => {
    const { manifests } = synth({ replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(2) });
    const pdb = findObject(manifests, 'PodDisruptionBudget', 'web');
    assert.equal(pdb.metadata.namespace, 'default');
    assert.deepEqual(pdb.spec, { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    const percent = findObject(synth({ disruptionBudget: DisruptionBudget.maxUnavailable('25%') }).manifests, 'PodDisruptionBudget', 'web');
    assert.equal(percent.spec.maxUnavailable, '25%');
  });

  it('runs an image as root when asked', () => {
    const { sts } = synth({
      containers: [{ ...minimal.containers[0], security: ContainerSecurity.runAsRoot() }],
    });
    assert.deepEqual(sts.spec.template.spec.containers[0].securityContext, {
      runAsNonRoot: false, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, privileged: false,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('renders containers: command, args, env in order, resources, probes, sub-path mounts', () => {
    const { sts } = synth({
      containers: [
        {
          name: 'db',
          image: 'postgres:16',
          command: ['postgres'],
          args: ['-c', 'fsync=on'],
          env: { PGDATA: '/var/lib/postgresql/data/pgdata', POD: EnvValue.fromFieldPath('metadata.name') },
          ports: [{ name: 'pg', number: 5432 }],
          resources: { memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
          readiness: Probe.exec(['pg_isready'], { periodSeconds: 5 }),
          liveness: Probe.tcpSocket('pg'),
          startup: Probe.httpGet('/healthz', 8080, { failureThreshold: 30 }),
          mounts: [{ template: 'data', path: '/var/lib/postgresql/data', subPath: 'pg' }],
          security: ContainerSecurity.nonRoot({ user: 999, group: 999, readOnlyRootFilesystem: false }),
        },
        { name: 'exporter', image: 'exporter:1', ports: [{ name: 'metrics', number: 9187, expose: false }] },
      ],
    });
    const [db, exporter] = sts.spec.template.spec.containers;
    assert.deepEqual(db.command, ['postgres']);
    assert.deepEqual(db.args, ['-c', 'fsync=on']);
    assert.deepEqual(db.env, [
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    assert.deepEqual(db.resources, { requests: { memory: '256Mi' }, limits: { memory: '1Gi' } });
    assert.deepEqual(db.readinessProbe, { exec: { command: ['pg_isready'] }, periodSeconds: 5 });
    assert.deepEqual(db.livenessProbe, { tcpSocket: { port: 'pg' } });
    assert.deepEqual(db.startupProbe, { httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 30 });
    assert.deepEqual(db.volumeMounts, [{ name: 'data', mountPath: '/var/lib/postgresql/data', subPath: 'pg' }]);
    assert.deepEqual(db.securityContext, {
      runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, privileged: false,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.equal(exporter.name, 'exporter');
    const svc = findObject(synth().manifests, 'Service', 'web');
    assert.deepEqual(svc.spec.ports.map((p: any) => p.name), ['web']);
  });

  it('adds environment variables after construction, e.g. a peer list', () => {
    const { app, chart } = build({ replicas: 2 });
    app.addEnv('PEERS', app.peers('web').join(','));
    const sts = findObject(Testing.synth(chart), 'StatefulSet', 'web');
    assert.deepEqual(sts.spec.template.spec.containers[0].env, [
      { name: 'PEERS', value: 'web-0.web.default.svc.cluster.local:80,web-1.web.default.svc.cluster.local:80' },
    ]);
    assert.throws(() => app.addEnv('PEERS', 'x'), { message: 'StatefulApp "web": container "main" already has an environment variable "PEERS"' });
    assert.throws(() => app.addEnv('X', 'x', 'sidecar'), { message: 'StatefulApp "web": has no container "sidecar" (containers: main)' });
  });

  it('makes an NFS pool per template, pre-bound to its claims, and asks for no class', () => {
    const { app, manifests, sts } = synth({
      replicas: 2,
      ordinalsStart: 1,
      namespace: 'shop',
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(5), nfs: { server: 'nfs1', pathPattern: '/v{n}', namePattern: 'pv{nn}' } }],
    });
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.storageClassName, '');
    const pvs = ofKind(manifests, 'PersistentVolume');
    assert.deepEqual(pvs.map((pv) => [pv.metadata.name, pv.spec.nfs.path, pv.spec.claimRef.name, pv.spec.claimRef.namespace]), [
      ['pv01', '/v1', 'data-web-1', 'shop'],
      ['pv02', '/v2', 'data-web-2', 'shop'],
    ]);
    assert.ok(pvs.every((pv) => pv.spec.capacity.storage === '5Gi' && pv.metadata.namespace === undefined));
    assert.equal(app.pool('data').volumes.length, 2);
  });

  it('puts the pool selector on the claim template with label-selector binding', () => {
    const { app, sts } = synth({
      volumeClaimTemplates: [{
        name: 'data', size: Size.gibibytes(1), storageClassName: 'nfs',
        nfs: { server: 'nfs1', pathPattern: '/v{n}', binding: PoolBinding.labelSelector() },
      }],
    });
    const spec = sts.spec.volumeClaimTemplates[0].spec;
    assert.equal(spec.storageClassName, 'nfs');
    assert.deepEqual(spec.selector, { matchLabels: { ...app.pool('data').selectorLabels } });
  });

  it('writes a template selector and access modes as given', () => {
    const { sts } = synth({
      volumeClaimTemplates: [{
        name: 'data', size: Size.mebibytes(1536), accessModes: [AccessMode.READ_WRITE_ONCE_POD], selector: { disk: 'ssd' },
      }],
    });
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].spec, {
      accessModes: ['ReadWriteOncePod'], selector: { matchLabels: { disk: 'ssd' } }, resources: { requests: { storage: '1536Mi' } },
    });
  });
});

describe('StatefulApp rejects bad arguments', () => {
  const withContainer = (extra: object) => ({ containers: [{ ...minimal.containers[0], ...extra }] });
  const bad: Array<[string, Partial<StatefulAppProps>, string]> = [
    ['negative replicas', { replicas: -1 }, 'StatefulApp "web": replicas is -1; set a whole number >= 0'],
    ['fractional replicas', { replicas: 1.5 }, 'StatefulApp "web": replicas is 1.5; set a whole number >= 0'],
    ['a negative ordinals start', { ordinalsStart: -1 }, 'StatefulApp "web": ordinalsStart is -1; set a whole number >= 0'],
    ['a partition above replicas', { replicas: 3, updateStrategy: UpdateStrategy.rollingUpdate({ partition: 4 }) },
      'StatefulApp "web": updateStrategy partition 4 is greater than replicas 3, so no pod would ever be updated; set a partition from 0 to 3'],
    ['a negative partition', { updateStrategy: UpdateStrategy.rollingUpdate({ partition: -1 }) },
      'StatefulApp "web": updateStrategy partition is -1; set a whole number from 0 to replicas (1)'],
    ['a name that is not a DNS-1123 label', { name: 'My_App' },
      'StatefulApp "My_App": name is not a DNS-1123 label: lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters; use a name such as "my-app"'],
    ['an ordinals start beyond int32', { ordinalsStart: 10_000_000_000 },
      'StatefulApp "web": ordinalsStart is 10000000000: must be less than or equal to 2147483647'],
    ['replicas beyond int32', { replicas: 2 ** 31 },
      'StatefulApp "web": replicas is 2147483648: must be less than or equal to 2147483647'],
    ['absurd replicas', { replicas: 1e9 },
      'StatefulApp "web": replicas is 1000000000, more than the 10000 the constructs generate pod names and DNS names for; check the number (a typo?), or split the workload'],
    ['a name too long for the controller-revision-hash label', { name: 'a'.repeat(53) },
      `StatefulApp "${'a'.repeat(53)}": name is 53 characters, more than 52: the StatefulSet controller cannot create its pods, because their controller-revision-hash label "<name>-<hash>" would exceed 63 characters; shorten the name to at most 52 characters`],
    ['a zero claim size', { volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(0) }] },
      'StatefulApp "web": claim template "data" size is zero; give a positive size such as Size.gibibytes(1)'],
    ['a mount of an unknown template', withContainer({ mounts: [{ template: 'dta', path: '/data' }] }),
      'StatefulApp "web": container "main" mounts unknown claim template "dta" (templates: data); add it to volumeClaimTemplates or fix the name'],
    ['a relative mount path', withContainer({ mounts: [{ template: 'data', path: 'data' }] }),
      'StatefulApp "web": container "main" mounts "data" at "data", which is not an absolute path'],
    ['no containers', { containers: [] },
      'StatefulApp "web": has no containers; give at least one, e.g. containers: [{ image: "nginx:1.25" }]'],
    ['no exposed port', withContainer({ ports: [] }),
      'StatefulApp "web": exposes no container port; the headless Service needs at least one named port: add ports: [{ name: "web", number: 80 }] to a container'],
    ['an invalid port name', withContainer({ ports: [{ name: 'HTTP', number: 80 }] }),
      'StatefulApp "web": container "main" port name "HTTP" is not valid: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-); must contain at least one letter (a-z)'],
    ['a port name of 20 characters', withContainer({ ports: [{ name: 'abcdefghijklmnopqrst', number: 80 }] }),
      'StatefulApp "web": container "main" port name "abcdefghijklmnopqrst" is not valid: must be no more than 15 characters'],
    ['two containers with one name', { containers: [minimal.containers[0], { name: 'main', image: 'x' }] },
      'StatefulApp "web": container name "main" is used twice; give every container its own name'],
    ['an unnamed second container', { containers: [minimal.containers[0], { image: 'x' }] },
      'StatefulApp "web": containers[1] has no name; every container after the first needs one'],
    ['a duplicate claim template', { volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1) }, { name: 'data', size: Size.gibibytes(2) }] },
      'StatefulApp "web": claim template "data" is defined twice; give every template its own name'],
    ['a minAvailable above replicas', { replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(3) },
      'StatefulApp "web": disruptionBudget minAvailable 3 is greater than replicas 2, which blocks every eviction; set at most 2'],
    ['a malformed PDB percentage', { disruptionBudget: DisruptionBudget.maxUnavailable('half') },
      'StatefulApp "web": disruptionBudget maxUnavailable "half" is not a percentage; use a count or a string such as "50%"'],
    ['two pools making the same PV names', {
      containers: [{ ...minimal.containers[0], mounts: [{ template: 'data', path: '/data' }, { template: 'logs', path: '/logs' }] }],
      volumeClaimTemplates: [
        { name: 'data', size: Size.gibibytes(1), nfs: { server: 'nfs1', pathPattern: '/d/{n}', namePattern: 'pv{nnn}' } },
        { name: 'logs', size: Size.gibibytes(1), nfs: { server: 'nfs1', pathPattern: '/l/{n}', namePattern: 'pv{nnn}' } },
      ],
    }, 'StatefulApp "web": the nfs pools of claim templates "data" and "logs" both make PV "pv001"; give each pool its own namePattern'],
    ['two pools sharing NFS exports', {
      containers: [{ ...minimal.containers[0], mounts: [{ template: 'data', path: '/data' }, { template: 'logs', path: '/logs' }] }],
      volumeClaimTemplates: [
        { name: 'data', size: Size.gibibytes(1), nfs: { server: 'nfs1', pathPattern: '/v{n}' } },
        { name: 'logs', size: Size.gibibytes(1), nfs: { server: 'nfs1', pathPattern: '/v{n}' } },
      ],
    }, 'StatefulApp "web": the nfs pools of claim templates "data" and "logs" both use nfs1:/v1, so their data would mix; give each pool its own pathPattern'],
    ['a zero memory limit', withContainer({ resources: { memory: { limit: Size.mebibytes(0) } } }),
      'StatefulApp "web": container "main" memory limit is zero; give a positive size such as Size.gibibytes(1)'],
    ['empty pod labels', { podLabels: {} },
      'StatefulApp "web": podLabels is empty; give the pods at least one label, e.g. { app: "myapp" }, to select them by'],
  ];
  for (const [what, props, message] of bad) {
    it(`rejects ${what}`, () => {
      assert.throws(() => build(props), { message });
    });
  }

  it('rejects questions about unknown templates and ports', () => {
    const { app } = build();
    assert.throws(() => app.claimNames('logs'), { message: 'StatefulApp "web": has no claim template "logs" (templates: data)' });
    assert.throws(() => app.peers('grpc'), { message: 'StatefulApp "web": has no container port named "grpc" (ports: web)' });
    assert.throws(() => app.pool('data'), { message: 'StatefulApp "web": claim template "data" has no nfs pool' });
  });
});
