import { Chart, JsonPatch, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AccessMode,
  ClaimRetention,
  ContainerSecurity,
  DisruptionBudget,
  EnvValue,
  PodManagementPolicy,
  Probe,
  StatefulApp,
} from '../lib/constructs';

export interface EtcdChartProps {
  /**
   * Namespace of the cluster; the chart creates it.
   * @default 'etcd'
   */
  readonly namespace?: string;
  /**
   * Cluster members; an odd number keeps a majority through one failure.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * @default 'registry.k8s.io/etcd:3.5.9-0'
   */
  readonly image?: string;
  /**
   * @default 'nfs1'
   */
  readonly nfsServer?: string;
}

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;

/**
 * A 3-member etcd cluster: two claim templates of different sizes (data and write-ahead log), Parallel start,
 * members found by their stable DNS names before they are Ready, a quorum-keeping PodDisruptionBudget, and
 * claims of scaled-away members deleted (a removed member must not rejoin with stale data).
 */
export class EtcdChart extends Chart {
  public readonly app: StatefulApp;

  constructor(scope: Construct, id: string, props: EtcdChartProps = {}) {
    const namespace = props.namespace ?? 'etcd';
    super(scope, id, { namespace });
    const replicas = props.replicas ?? 3;
    const nfsServer = props.nfsServer ?? 'nfs1';

    // Namespace objects are cluster-scoped: drop the namespace the chart stamps on everything.
    new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace } })
      .addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    this.app = new StatefulApp(this, 'etcd', {
      name: 'etcd',
      replicas,
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      publishNotReadyAddresses: true,
      claimRetention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
      disruptionBudget: DisruptionBudget.minAvailable(Math.floor(replicas / 2) + 1),
      containers: [{
        name: 'etcd',
        image: props.image ?? 'registry.k8s.io/etcd:3.5.9-0',
        command: ['etcd'],
        ports: [
          { name: 'client', number: CLIENT_PORT },
          { name: 'peer', number: PEER_PORT },
        ],
        resources: {
          cpu: { request: Cpu.millis(250) },
          memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
        },
        readiness: Probe.httpGet('/health', 'client', { periodSeconds: 5 }),
        liveness: Probe.tcpSocket('client', { initialDelaySeconds: 15 }),
        mounts: [
          { template: 'data', path: '/var/lib/etcd' },
          { template: 'wal', path: '/var/lib/etcd-wal' },
        ],
        security: ContainerSecurity.nonRoot({ user: 65532, group: 65532 }),
      }],
      volumeClaimTemplates: [
        {
          name: 'data',
          size: Size.gibibytes(8),
          accessModes: [AccessMode.READ_WRITE_ONCE],
          nfs: { server: nfsServer, pathPattern: '/data/etcd/data-{n}', namePattern: 'etcd-data-{n}', firstNumber: 0 },
        },
        {
          name: 'wal',
          size: Size.mebibytes(512),
          accessModes: [AccessMode.READ_WRITE_ONCE],
          nfs: {
            server: nfsServer,
            pathPattern: '/data/etcd/wal-{n}',
            namePattern: 'etcd-wal-{n}',
            firstNumber: 0,
            mountOptions: ['nfsvers=4.1', 'hard'],
          },
        },
      ],
    });

    // Every member is told every peer by its stable DNS name: etcd-0=http://etcd-0.etcd.etcd.svc.cluster.local:2380,...
    const peerUrls = this.app.peers('peer').map((hostPort) => `http://${hostPort}`);
    const initialCluster = this.app.podNames.map((pod, i) => `${pod}=${peerUrls[i]}`).join(',');
    const ownHost = `$(ETCD_NAME).${this.app.serviceName}.${this.app.namespace}.svc.${this.app.clusterDomain}`;
    const env: Record<string, string | EnvValue> = {
      ETCD_NAME: EnvValue.fromFieldPath('metadata.name'),
      ETCD_DATA_DIR: '/var/lib/etcd',
      ETCD_WAL_DIR: '/var/lib/etcd-wal',
      ETCD_INITIAL_CLUSTER: initialCluster,
      ETCD_INITIAL_CLUSTER_STATE: 'new',
      ETCD_INITIAL_CLUSTER_TOKEN: `etcd-${this.app.namespace}`,
      ETCD_LISTEN_PEER_URLS: `http://0.0.0.0:${PEER_PORT}`,
      ETCD_LISTEN_CLIENT_URLS: `http://0.0.0.0:${CLIENT_PORT}`,
      ETCD_INITIAL_ADVERTISE_PEER_URLS: `http://${ownHost}:${PEER_PORT}`,
      ETCD_ADVERTISE_CLIENT_URLS: `http://${ownHost}:${CLIENT_PORT}`,
    };
    for (const [name, value] of Object.entries(env)) {
      this.app.addEnv(name, value);
    }
  }
}
