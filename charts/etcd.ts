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
   * Members that bootstrap the cluster together at the first install (initial-cluster-state new). Keep it when you
   * change `replicas` later: pods beyond these join an existing cluster (initial-cluster-state existing) after
   * `etcdctl member add`, one at a time (`cdk8s-stateful diff` prints the runbook).
   * @default 3, or replicas when fewer
   */
  readonly bootstrapMembers?: number;
  /**
   * An image with /bin/sh (the registry.k8s.io/etcd images ship a static bash) and etcd on the PATH.
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
 * members found by their stable DNS names before they are Ready, a quorum-keeping PodDisruptionBudget, one member
 * per node (required anti-affinity), and claims of scaled-away members deleted (a removed member must not rejoin
 * with stale data).
 *
 * Only the bootstrap members start with initial-cluster-state new and the static bootstrap list; a pod beyond them
 * starts with state existing and the list of members 0..its ordinal, which is what `etcdctl member add` returns
 * when members are added one at a time. (Every pod starting as `new` with one static list made a raised replica
 * count fail with "couldn't find local name in the initial cluster configuration".)
 */
export class EtcdChart extends Chart {
  public readonly app: StatefulApp;

  constructor(scope: Construct, id: string, props: EtcdChartProps = {}) {
    const namespace = props.namespace ?? 'etcd';
    super(scope, id, { namespace });
    const replicas = props.replicas ?? 3;
    const bootstrapMembers = props.bootstrapMembers ?? Math.min(3, replicas);
    if (!Number.isInteger(bootstrapMembers) || bootstrapMembers < 1) {
      throw new Error(`EtcdChart: bootstrapMembers must be a positive integer, got ${bootstrapMembers}`);
    }
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
      // 1 or 2 members survive no loss: any budget would either block every drain or let one break the quorum.
      disruptionBudget: replicas >= 3 ? DisruptionBudget.minAvailable(Math.floor(replicas / 2) + 1) : undefined,
      containers: [{
        name: 'etcd',
        image: props.image ?? 'registry.k8s.io/etcd:3.5.9-0',
        command: ['/bin/sh', '-c', START_SCRIPT],
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

    // The bootstrap members by their stable DNS names: etcd-0=http://etcd-0.etcd.etcd.svc.cluster.local:2380,...
    const domain = `${this.app.serviceName}.${this.app.namespace}.svc.${this.app.clusterDomain}`;
    const peerUrl = (pod: string) => `http://${pod}.${domain}:${PEER_PORT}`;
    const initialCluster = this.app.podNames
      .slice(0, bootstrapMembers)
      .map((pod) => `${pod}=${peerUrl(pod)}`)
      .join(',');
    const ownHost = `$(ETCD_NAME).${domain}`;
    const env: Record<string, string | EnvValue> = {
      ETCD_NAME: EnvValue.fromFieldPath('metadata.name'),
      ETCD_DATA_DIR: '/var/lib/etcd',
      ETCD_WAL_DIR: '/var/lib/etcd-wal',
      ETCD_INITIAL_CLUSTER: initialCluster,
      BOOTSTRAP_MEMBERS: String(bootstrapMembers),
      PEER_DOMAIN: domain,
      ETCD_INITIAL_CLUSTER_TOKEN: `etcd-${this.app.namespace}`,
      ETCD_LISTEN_PEER_URLS: `http://0.0.0.0:${PEER_PORT}`,
      ETCD_LISTEN_CLIENT_URLS: `http://0.0.0.0:${CLIENT_PORT}`,
      ETCD_INITIAL_ADVERTISE_PEER_URLS: `http://${ownHost}:${PEER_PORT}`,
      ETCD_ADVERTISE_CLIENT_URLS: `http://${ownHost}:${CLIENT_PORT}`,
    };
    for (const [name, value] of Object.entries(env)) {
      this.app.addEnv(name, value);
    }

    const statefulSet = this.app.statefulSet;
    statefulSet.metadata.addAnnotation('cdk8s-stateful.io/cluster', 'etcd');
    // One member per node: losing a node then costs one member, which the quorum of 3 survives.
    statefulSet.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{
          labelSelector: { matchLabels: this.app.podLabels },
          topologyKey: 'kubernetes.io/hostname',
        }],
      },
    }));
  }
}

/**
 * Start-up: a bootstrap member (ordinal < BOOTSTRAP_MEMBERS) forms the cluster with the static list; any other
 * joins the running cluster with the members 0..its ordinal (added by `etcdctl member add`, one at a time). etcd
 * ignores both settings once its data directory holds a member. Only bash built-ins: the image has no coreutils.
 */
const START_SCRIPT = [
  'ordinal=${ETCD_NAME##*-}',
  'if [ "$ordinal" -lt "$BOOTSTRAP_MEMBERS" ]; then',
  '  export ETCD_INITIAL_CLUSTER_STATE=new',
  'else',
  '  export ETCD_INITIAL_CLUSTER_STATE=existing',
  '  members=""; i=0',
  '  while [ "$i" -le "$ordinal" ]; do',
  `    members="\${members:+$members,}\${ETCD_NAME%-*}-$i=http://\${ETCD_NAME%-*}-$i.$PEER_DOMAIN:${PEER_PORT}"`,
  '    i=$((i + 1))',
  '  done',
  '  export ETCD_INITIAL_CLUSTER="$members"',
  'fi',
  'exec etcd',
].join('\n');
