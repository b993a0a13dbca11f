import { App, Chart, Size } from 'cdk8s';
import { Cpu, FsGroupChangePolicy, k8s, Topology } from 'cdk8s-plus-28';
import {
  AccessMode, ContainerSecurity, EnvValue, Handler, PodVolume, Probe, StatefulApp,
} from 'cdk8s-stateful';

const app = new App();
const chart = new Chart(app, 'postgres', { namespace: 'db' });

// The password lives in a Secret (created by your secret manager; here by hand), the configuration in a ConfigMap.
const secret = new k8s.KubeSecret(chart, 'credentials', {
  metadata: { name: 'pg-credentials' },
  stringData: { password: 'change-me' },
});
const config = new k8s.KubeConfigMap(chart, 'config', {
  metadata: { name: 'pg-config' },
  data: { 'postgresql.conf': "listen_addresses = '*'\nmax_connections = 200\n", POSTGRES_DB: 'app' },
});

const pg = new StatefulApp(chart, 'pg', {
  replicas: 3,
  terminationGracePeriodSeconds: 60,
  // The data directory belongs to the postgres group (GID 999); skip the recursive chown when it already does.
  securityContext: { fsGroup: 999, fsGroupChangePolicy: FsGroupChangePolicy.ON_ROOT_MISMATCH },
  // One pod per node, and spread over zones when possible.
  scheduling: { separate: [{ topology: Topology.HOSTNAME }, { topology: Topology.ZONE, weight: 50 }] },
  automountServiceAccountToken: false,
  volumes: [
    PodVolume.fromConfigMap('config', config),
    PodVolume.fromEmptyDir('run', { sizeLimit: Size.mebibytes(64) }),
  ],
  initContainers: [{
    name: 'init-pgdata',
    image: 'postgres:16.4',
    command: ['sh', '-c', 'mkdir -p /var/lib/postgresql/data/pgdata && chmod 700 /var/lib/postgresql/data/pgdata'],
    mounts: [{ template: 'data', path: '/var/lib/postgresql/data' }],
    security: ContainerSecurity.nonRoot({ user: 999, group: 999 }),
  }],
  containers: [{
    name: 'postgres',
    image: 'postgres:16.4',
    args: ['-c', 'config_file=/etc/postgresql/postgresql.conf'],
    ports: [{ name: 'postgres', number: 5432 }],
    env: {
      PGDATA: '/var/lib/postgresql/data/pgdata',
      POSTGRES_PASSWORD: EnvValue.fromSecretValue({ secret, key: 'password' }),
      POSTGRES_DB: EnvValue.fromConfigMap(config, 'POSTGRES_DB'),
    },
    resources: {
      cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
      memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
    },
    readiness: Probe.exec(['pg_isready', '-U', 'postgres'], { periodSeconds: 5 }),
    liveness: Probe.tcpSocket('postgres', { initialDelaySeconds: 30 }),
    // A fast shutdown before SIGTERM: clients are disconnected, and the data is consistent on disk.
    lifecycle: { preStop: Handler.fromCommand(['pg_ctl', 'stop', '-m', 'fast']) },
    mounts: [
      { template: 'data', path: '/var/lib/postgresql/data' },
      { volume: 'config', path: '/etc/postgresql/postgresql.conf', subPath: 'postgresql.conf', readOnly: true },
      { volume: 'run', path: '/var/run/postgresql' },
    ],
    // The official image runs as user postgres (999) when started so; its entrypoint writes only below PGDATA and /var/run.
    security: ContainerSecurity.nonRoot({ user: 999, group: 999 }),
  }],
  volumeClaimTemplates: [{
    name: 'data',
    size: Size.gibibytes(20),
    accessModes: [AccessMode.READ_WRITE_ONCE],
    storageClassName: 'fast-ssd',
    labels: { backup: 'daily' },
  }],
  clientService: { name: 'pg-client', annotations: { 'example.com/expose': 'internal' } },
});

pg.podFqdns; // ['pg-0.pg.db.svc.cluster.local', ...]
app.synth();
