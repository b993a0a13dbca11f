/**
 * A Cassandra datacenter as one StatefulSet per rack, configured through the official `cassandra` image's
 * environment (docker-entrypoint.sh writes it into cassandra.yaml and cassandra-rackdc.properties). What it encodes
 * (Cassandra docs "Adding, replacing, moving and removing nodes", "Snitches"): GossipingPropertyFileSnitch with the
 * dc and rack of each StatefulSet, the same seed list on every node (the first ordinals of each rack, never all
 * nodes, auto_bootstrap left on), one node bootstrapping at a time per rack (OrderedReady), `nodetool drain` before
 * a pod stops with time to finish it, and at most one node of the datacenter down by voluntary disruption.
 */
import { Chart, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CASSANDRA_CQL_PORT, CASSANDRA_IMAGE_ENV, CASSANDRA_MIN_GRACE_SECONDS, CASSANDRA_STORAGE_PORT, cassandraSeeds,
  GOSSIPING_SNITCH,
} from '../../k8s/systems';
import { isDns1123Label } from '../../k8s/names';
import { ContainerResources, ContainerSecurity, EnvValue, Handler, Probe } from '../container';
import { constructError } from '../errors';
import { StatefulApp } from '../stateful-app';
import { ClaimRetention, PodManagementPolicy } from '../types';
import { clusterAnnotation, type ClusterMembers, votingArithmetic } from './cluster';

/** One rack: a StatefulSet, optionally pinned to a zone. */
export interface CassandraRack {
  /** Rack name (cassandra-rackdc.properties `rack=`), also the StatefulSet's suffix: a DNS-1123 label. */
  readonly name: string;
  readonly replicas: number;
  /**
   * The zone its nodes run in (required node affinity on topology.kubernetes.io/zone).
   * @default - no zone affinity
   */
  readonly zone?: string;
}

export interface CassandraDatacenterProps {
  /** Prefix of the StatefulSets (`<name>-<rack>`) and of the budget. @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** cluster_name, the same on every node of every datacenter. */
  readonly clusterName: string;
  /** The datacenter name (cassandra-rackdc.properties `dc=`). */
  readonly datacenter: string;
  /** The racks, each a StatefulSet; grow one rack at a time, one node per revision. */
  readonly racks: readonly CassandraRack[];
  /** Seeds per rack: its first ordinals. @default 1 */
  readonly seedsPerRack?: number;
  /**
   * Seeds of the other datacenters of the cluster (their `seeds`), after this datacenter's own: every node of every
   * datacenter must get the same list.
   * @default - none
   */
  readonly additionalSeeds?: readonly string[];
  /**
   * The replication factor of your keyspaces in this datacenter (NetworkTopologyStrategy): `quorum` and
   * `faultTolerance` are those of LOCAL_QUORUM over it.
   * @default 3, or the node count when lower
   */
  readonly replicationFactor?: number;
  /** @default 'cassandra:4.1' */
  readonly image?: string;
  /** @default 10Gi */
  readonly storage?: Size;
  /** @default - the cluster's default class */
  readonly storageClassName?: string;
  /** @default - none */
  readonly resources?: ContainerResources;
  /** At least 120: `nodetool drain` flushes every memtable before the process stops. @default 180 */
  readonly terminationGracePeriodSeconds?: number;
  /** num_tokens. @default - the image's cassandra.yaml (16 in 4.x) */
  readonly numTokens?: number;
  /** UID and GID of the `cassandra` user of the image. @default 999 */
  readonly user?: number;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}

const DEFAULT_IMAGE = 'cassandra:4.1';
const DEFAULT_GRACE = 180;
/** docker-entrypoint.sh substitutes values with `sed s/.../<value>/`: these characters would break it. */
const NAME = /^[A-Za-z0-9_.-]+$/;
const CLUSTER_NAME = /^[A-Za-z0-9 _.-]+$/;

/** A Cassandra datacenter: one StatefulSet per rack, one headless Service each, one disruption budget. */
export class CassandraDatacenter extends Construct implements ClusterMembers {
  public readonly name: string;
  public readonly namespace: string;
  public readonly datacenter: string;
  /** The racks' StatefulApps, in the order given. */
  public readonly racks: readonly StatefulApp[];
  /** FQDN of every node, rack by rack, in ordinal order. */
  public readonly podFqdns: readonly string[];
  /** The seeds every node is given: this datacenter's (FQDNs), then `additionalSeeds`. */
  public readonly seeds: readonly string[];
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  public readonly replicationFactor: number;
  public readonly quorum: number;
  public readonly faultTolerance: number;

  constructor(scope: Construct, id: string, props: CassandraDatacenterProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const fail = (problem: string) => constructError('CassandraDatacenter', this.name, problem);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.datacenter = props.datacenter;
    if (!CLUSTER_NAME.test(props.clusterName ?? '')) {
      throw fail(`clusterName "${props.clusterName ?? ''}" must be letters, digits, spaces, '.', '_' or '-' (the image writes it into cassandra.yaml with sed)`);
    }
    if (!NAME.test(props.datacenter ?? '')) {
      throw fail(`datacenter "${props.datacenter ?? ''}" must be letters, digits, '.', '_' or '-' (it is the dc= of cassandra-rackdc.properties and the datacenter name of NetworkTopologyStrategy)`);
    }
    const racks = props.racks ?? [];
    if (racks.length === 0) throw fail('has no racks; give at least one, e.g. racks: [{ name: "r1", replicas: 3 }]');
    const seen = new Set<string>();
    for (const rack of racks) {
      if (!isDns1123Label(rack.name) || !NAME.test(rack.name)) {
        throw fail(`rack name "${rack.name}" must be a DNS-1123 label (lower-case letters, digits, '-'): it names the StatefulSet ${this.name}-${rack.name}`);
      }
      if (seen.has(rack.name)) throw fail(`rack "${rack.name}" is given twice; give every rack its own name`);
      seen.add(rack.name);
      if (!Number.isInteger(rack.replicas) || rack.replicas < 1) {
        throw fail(`rack "${rack.name}" has ${rack.replicas} replicas; set a whole number of at least 1 (remove a rack only after decommissioning its nodes)`);
      }
    }
    const size = racks.reduce((sum, rack) => sum + rack.replicas, 0);
    const seedsPerRack = props.seedsPerRack ?? 1;
    if (!Number.isInteger(seedsPerRack) || seedsPerRack < 1) throw fail(`seedsPerRack is ${seedsPerRack}; set a whole number of at least 1`);
    const grace = props.terminationGracePeriodSeconds ?? DEFAULT_GRACE;
    if (!Number.isInteger(grace) || grace < CASSANDRA_MIN_GRACE_SECONDS) {
      throw fail(`terminationGracePeriodSeconds is ${grace}: the preStop nodetool drain flushes every memtable and is killed when the grace period ends; set at least ${CASSANDRA_MIN_GRACE_SECONDS}`);
    }
    this.replicationFactor = props.replicationFactor ?? Math.min(3, size);
    if (!Number.isInteger(this.replicationFactor) || this.replicationFactor < 1 || this.replicationFactor > size) {
      throw fail(`replicationFactor is ${this.replicationFactor}, but the datacenter runs ${size} node${size === 1 ? '' : 's'}: a keyspace cannot keep more replicas in a datacenter than it has nodes; set 1 to ${size}`);
    }
    ({ quorum: this.quorum, faultTolerance: this.faultTolerance } = votingArithmetic(this.replicationFactor));

    const dcLabels = { 'app.kubernetes.io/name': 'cassandra', 'app.kubernetes.io/instance': this.name };
    const security = ContainerSecurity.custom({ user: props.user ?? 999, group: props.user ?? 999, readOnlyRootFilesystem: false });
    this.racks = racks.map((rack) => {
      const podLabels = { ...dcLabels, 'cdk8s-stateful.io/rack': rack.name };
      const env: Record<string, string | EnvValue> = {
        POD_IP: EnvValue.fromFieldPath('status.podIP'),
        [CASSANDRA_IMAGE_ENV.cluster_name]: props.clusterName,
        [CASSANDRA_IMAGE_ENV.endpoint_snitch]: GOSSIPING_SNITCH,
        [CASSANDRA_IMAGE_ENV.dc]: props.datacenter,
        [CASSANDRA_IMAGE_ENV.rack]: rack.name,
        [CASSANDRA_IMAGE_ENV.listen_address]: '$(POD_IP)',
        [CASSANDRA_IMAGE_ENV.broadcast_address]: '$(POD_IP)',
        [CASSANDRA_IMAGE_ENV.rpc_address]: '$(POD_IP)',
        ...(props.numTokens === undefined ? {} : { [CASSANDRA_IMAGE_ENV.num_tokens]: String(props.numTokens) }),
      };
      return new StatefulApp(this, rack.name, {
        name: `${this.name}-${rack.name}`,
        namespace: this.namespace,
        replicas: rack.replicas,
        podLabels,
        annotations: clusterAnnotation('cassandra'),
        // One node bootstraps at a time (cassandra.consistent.rangemovement): each waits for the previous one.
        podManagementPolicy: PodManagementPolicy.ORDERED_READY,
        // Seeds are looked up by name while they start.
        publishNotReadyAddresses: true,
        // A decommissioned node refuses to rejoin on its old data.
        claimRetention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
        terminationGracePeriodSeconds: grace,
        clusterDomain: props.clusterDomain,
        securityContext: { fsGroup: props.user ?? 999 },
        scheduling: { affinity: affinityOf(dcLabels, rack.zone) },
        containers: [{
          name: 'cassandra',
          image: props.image ?? DEFAULT_IMAGE,
          ports: [
            { name: 'intra-node', number: CASSANDRA_STORAGE_PORT },
            { name: 'cql', number: CASSANDRA_CQL_PORT },
          ],
          env,
          resources: props.resources,
          // The storage port opens when gossip starts; CQL only once the node has joined the ring.
          startup: Probe.tcpSocket('intra-node', { periodSeconds: 10, failureThreshold: 30 }),
          liveness: Probe.tcpSocket('intra-node', { periodSeconds: 10 }),
          readiness: Probe.tcpSocket('cql', { periodSeconds: 10 }),
          lifecycle: { preStop: Handler.fromCommand(['nodetool', 'drain']) },
          mounts: [{ template: 'data', path: '/var/lib/cassandra' }],
          // The image's entrypoint rewrites cassandra.yaml in place: the root filesystem stays writable.
          security,
        }],
        volumeClaimTemplates: [{ name: 'data', size: props.storage ?? Size.gibibytes(10), storageClassName: props.storageClassName }],
      });
    });

    const seeds = cassandraSeeds(this.racks.map((app) => app.podFqdns), seedsPerRack);
    if (size > 1 && seeds.length === size) {
      throw fail(`every one of the ${size} nodes would be a seed (${seedsPerRack} per rack, racks of ${racks.map((r) => r.replicas).join(', ')}): ` +
        'a seed never bootstraps, so a replaced node would join without its data; run more nodes per rack or fewer seeds per rack');
    }
    const additional = props.additionalSeeds ?? [];
    const badSeed = additional.find((seed) => !/^[A-Za-z0-9.-]+(:\d+)?$/.test(seed));
    if (badSeed !== undefined) throw fail(`additionalSeeds entry "${badSeed}" is not a host or host:port`);
    this.seeds = [...seeds, ...additional.filter((seed) => !seeds.includes(seed))];
    for (const app of this.racks) app.addEnv(CASSANDRA_IMAGE_ENV.seeds, this.seeds.join(','));
    this.podFqdns = this.racks.flatMap((app) => app.podFqdns);

    if (size >= 2) {
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'budget', {
        metadata: { name: this.name, namespace: this.namespace, labels: dcLabels },
        spec: { selector: { matchLabels: dcLabels }, minAvailable: k8s.IntOrString.fromNumber(size - 1) },
      });
    }
  }

  /** `<fqdn>:7000` of every node: the intra-node (gossip and streaming) addresses. */
  public peers(): string[] {
    return this.podFqdns.map((fqdn) => `${fqdn}:${CASSANDRA_STORAGE_PORT}`);
  }

  /** `<fqdn>:9042` of every node: a driver's contact points. */
  public get contactPoints(): string[] {
    return this.podFqdns.map((fqdn) => `${fqdn}:${CASSANDRA_CQL_PORT}`);
  }
}

/** One node per Kubernetes node across the whole datacenter, and the rack's zone when it has one. */
function affinityOf(dcLabels: Readonly<Record<string, string>>, zone: string | undefined): k8s.Affinity {
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { ...dcLabels } }, topologyKey: 'kubernetes.io/hostname' }],
    },
    nodeAffinity: zone === undefined ? undefined : {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }],
      },
    },
  };
}
