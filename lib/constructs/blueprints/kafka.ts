/**
 * A Kafka cluster in KRaft mode as two StatefulSets: controllers (the metadata quorum) and brokers. What it encodes
 * (Kafka docs "KRaft"): node.id = ordinal + a base per role (controllers from 0, brokers from 100, never
 * overlapping), the quorum from the controllers' stable DNS names (static `controller.quorum.voters` or, Kafka 3.9+,
 * dynamic `controller.quorum.bootstrap.servers` with `--initial-controllers` at format time), the cluster id formatted
 * into an empty log dir once and refused when it changes, replication settings a broker restart survives, and one
 * disruption budget per role.
 */
import { Chart, Size } from 'cdk8s';
import { k8s, Topology } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  faultTolerance, formatInitialControllers, KAFKA_BROKER_LISTENER, KAFKA_BROKER_PORT, KAFKA_CONFIG_ENV,
  KAFKA_CONTROLLER_LISTENER, KAFKA_CONTROLLER_PORT, KAFKA_HOME_ENV, KAFKA_MAX_NODE_ID, kafkaUuidProblem,
  kraftDirectoryId, type KRaftQuorumMode,
} from '../../k8s/systems';
import { ContainerResources, ContainerSecurity, EnvValue, Probe } from '../container';
import { constructError } from '../errors';
import { PodVolume } from '../pod';
import { StatefulApp } from '../stateful-app';
import { ClaimRetention, PodManagementPolicy } from '../types';
import { DisruptionBudget } from '../update-strategy';
import { clusterAnnotation, type ClusterMembers, votingArithmetic } from './cluster';

/** One role's StatefulSet. */
export interface KafkaPoolOptions {
  /** Number of nodes of this role. */
  readonly replicas: number;
  /**
   * node.id of ordinal 0; ordinal i gets base + i.
   * @default 0 for controllers, 100 for brokers
   */
  readonly nodeIdBase?: number;
  /** Size of each node's log-dir claim. @default 1Gi for controllers, 10Gi for brokers */
  readonly storage?: Size;
  /** StorageClass of the claims. @default - the cluster's default class */
  readonly storageClassName?: string;
  /** @default - none */
  readonly resources?: ContainerResources;
}

export interface KafkaKRaftClusterProps {
  /** Prefix of every object: StatefulSets `<name>-controller` and `<name>-broker`. @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /**
   * The cluster id every node's storage is formatted with (`kafka-storage.sh random-uuid` prints one). It can
   * never change: a node whose log dir holds another id refuses to start.
   */
  readonly clusterId: string;
  readonly controllers: KafkaPoolOptions;
  readonly brokers: KafkaPoolOptions;
  /**
   * `dynamic` (KIP-853, Kafka 3.9+): controllers can be added and removed later with kafka-metadata-quorum.sh.
   * `static`: a fixed `controller.quorum.voters`; the controller count can never change.
   * @default 'dynamic'
   */
  readonly quorum?: KRaftQuorumMode;
  /**
   * Dynamic quorum: the controllers that bootstrap it (ordinals 0..n−1, formatted with `--initial-controllers`);
   * controllers beyond them format with `--no-initial-controllers` and join with add-controller. Set it at the first
   * apply and keep it when `controllers.replicas` changes.
   * @default controllers.replicas
   */
  readonly initialControllers?: number;
  /**
   * default.replication.factor and the replication of the internal topics; at most the broker count.
   * @default 3, or the broker count when lower
   */
  readonly replicationFactor?: number;
  /**
   * min.insync.replicas (and transaction.state.log.min.isr); at most replicationFactor − 1, so that writes with
   * acks=all go on while one broker restarts.
   * @default replicationFactor − 1
   */
  readonly minInsyncReplicas?: number;
  /**
   * An image with Kafka under `kafkaHome` and a POSIX `sh` (the official `apache/kafka` image).
   * @default 'apache/kafka:3.9.1'
   */
  readonly image?: string;
  /** Where the image installs Kafka (its `bin/` holds kafka-storage.sh and the tools). @default '/opt/kafka' */
  readonly kafkaHome?: string;
  /** UID and GID the image runs Kafka as (`appuser` in apache/kafka). @default 1000 */
  readonly user?: number;
  /** Further server.properties for every node (not the ones the blueprint owns). @default - none */
  readonly properties?: Readonly<Record<string, string>>;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}

const CONFIG_DIR = '/etc/kafka/blueprint';
const WORK_DIR = '/var/run/kafka';
const DATA_DIR = '/var/lib/kafka/data';
/** A directory below the mount point: a fresh volume's lost+found must not make the log dir look used. */
const LOG_DIR = `${DATA_DIR}/log`;
const DEFAULT_IMAGE = 'apache/kafka:3.9.1';

/** Settings the blueprint writes itself; `properties` may not set them. */
const OWNED_PROPERTIES = [
  'node.id', 'process.roles', 'listeners', 'advertised.listeners', 'controller.listener.names',
  'listener.security.protocol.map', 'inter.broker.listener.name', 'controller.quorum.voters',
  'controller.quorum.bootstrap.servers', 'log.dirs', 'metadata.log.dir', 'default.replication.factor',
  'offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'min.insync.replicas',
  'transaction.state.log.min.isr',
];

type Role = 'controller' | 'broker';

/** A KRaft cluster: controller and broker StatefulSets, their ConfigMap, Services and disruption budgets. */
export class KafkaKRaftCluster extends Construct implements ClusterMembers {
  public readonly name: string;
  public readonly namespace: string;
  public readonly clusterId: string;
  public readonly quorumMode: KRaftQuorumMode;
  /** The controllers' StatefulApp (`<name>-controller`). */
  public readonly controllers: StatefulApp;
  /** The brokers' StatefulApp (`<name>-broker`). */
  public readonly brokers: StatefulApp;
  /** The ConfigMap holding start.sh and each role's server.properties. */
  public readonly configMap: k8s.KubeConfigMap;
  /** FQDNs of the controllers (the voting members), in ordinal order. */
  public readonly podFqdns: readonly string[];
  /** FQDNs of the brokers, in ordinal order. */
  public readonly brokerFqdns: readonly string[];
  /** node.id of each controller, in ordinal order. */
  public readonly controllerIds: readonly number[];
  /** node.id of each broker, in ordinal order. */
  public readonly brokerIds: readonly number[];
  public readonly quorum: number;
  public readonly faultTolerance: number;
  public readonly replicationFactor: number;
  public readonly minInsyncReplicas: number;

  constructor(scope: Construct, id: string, props: KafkaKRaftClusterProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const fail = (problem: string) => constructError('KafkaKRaftCluster', this.name, problem);
    this.clusterId = props.clusterId;
    const uuidProblem = kafkaUuidProblem(props.clusterId ?? '');
    if (uuidProblem !== '') {
      throw fail(`clusterId "${props.clusterId ?? ''}" ${uuidProblem}; generate one with kafka-storage.sh random-uuid and keep it for the life of the cluster`);
    }
    this.quorumMode = props.quorum ?? 'dynamic';
    const controllerCount = requirePositive(props.controllers.replicas, 'controllers.replicas', fail);
    const brokerCount = requirePositive(props.brokers.replicas, 'brokers.replicas', fail);
    const controllerBase = props.controllers.nodeIdBase ?? 0;
    const brokerBase = props.brokers.nodeIdBase ?? 100;
    checkIdRanges(controllerBase, controllerCount, brokerBase, brokerCount, fail);
    this.replicationFactor = props.replicationFactor ?? Math.min(3, brokerCount);
    this.minInsyncReplicas = props.minInsyncReplicas ?? this.replicationFactor - 1;
    checkReplication(this.replicationFactor, this.minInsyncReplicas, brokerCount, fail);
    const initialControllers = props.initialControllers ?? controllerCount;
    if (this.quorumMode === 'static' && props.initialControllers !== undefined) {
      throw fail('initialControllers applies to a dynamic quorum only; a static quorum has exactly controllers.replicas voters');
    }
    if (!Number.isInteger(initialControllers) || initialControllers < 1 || initialControllers > controllerCount) {
      throw fail(`initialControllers is ${initialControllers}; set a whole number from 1 to controllers.replicas (${controllerCount})`);
    }
    const properties = props.properties ?? {};
    const owned = Object.keys(properties).filter((key) => OWNED_PROPERTIES.includes(key));
    if (owned.length > 0) {
      throw fail(`properties sets ${owned.join(', ')}, which the blueprint derives (from the pods, the quorum and the replication options); remove ${owned.length === 1 ? 'it' : 'them'}`);
    }
    const badProperty = Object.entries(properties).find(([key, value]) => !/^[A-Za-z0-9._-]+$/.test(key) || /[\r\n]/.test(value));
    if (badProperty !== undefined) {
      throw fail(`properties entry "${badProperty[0]}" is not a single key=value line; keys are letters, digits, '.', '_' and '-', values one line`);
    }

    const configMapName = `${this.name}-config`;
    const app = (role: Role, options: KafkaPoolOptions, base: number, extraEnv: Record<string, string>): StatefulApp => {
      const replicas = options.replicas;
      const port = role === 'controller'
        ? { name: 'controller', number: KAFKA_CONTROLLER_PORT }
        : { name: 'kafka', number: KAFKA_BROKER_PORT };
      const env: Record<string, string | EnvValue> = {
        POD_NAME: EnvValue.fromFieldPath('metadata.name'),
        POD_IP: EnvValue.fromFieldPath('status.podIP'),
        NODE_ID_BASE: String(base),
        CLUSTER_ID: props.clusterId,
        [KAFKA_HOME_ENV]: props.kafkaHome ?? '/opt/kafka',
        [KAFKA_CONFIG_ENV]: `${WORK_DIR}/server.properties`,
        LOG_DIR: `${WORK_DIR}/logs`,
        ...extraEnv,
      };
      const tool = role === 'controller'
        ? `"$${KAFKA_HOME_ENV}"/bin/kafka-metadata-quorum.sh --bootstrap-controller "$POD_IP":${KAFKA_CONTROLLER_PORT} describe --status`
        : `"$${KAFKA_HOME_ENV}"/bin/kafka-broker-api-versions.sh --bootstrap-server "$POD_IP":${KAFKA_BROKER_PORT}`;
      return new StatefulApp(this, role, {
        name: `${this.name}-${role}`,
        namespace: this.namespace,
        replicas,
        podLabels: { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/component': role },
        annotations: clusterAnnotation(role === 'controller' ? 'kafka-controller' : 'kafka-broker'),
        // Controllers need a quorum of peers to serve: all start at once. Brokers do not wait for one another.
        podManagementPolicy: PodManagementPolicy.PARALLEL,
        publishNotReadyAddresses: true,
        // A removed controller must never restart on its old log; a removed broker was drained first.
        claimRetention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
        disruptionBudget: budgetOf(role, replicas),
        clusterDomain: props.clusterDomain,
        scheduling: { separate: [{ topology: Topology.HOSTNAME }] },
        securityContext: { fsGroup: props.user ?? 1000 },
        volumes: [
          PodVolume.fromConfigMap('config', configMapName),
          PodVolume.fromEmptyDir('work'),
          PodVolume.fromEmptyDir('tmp'),
        ],
        containers: [{
          name: 'kafka',
          image: props.image ?? DEFAULT_IMAGE,
          command: ['sh', `${CONFIG_DIR}/start.sh`, role],
          ports: [port],
          env,
          resources: options.resources,
          startup: Probe.tcpSocket(port.name, { periodSeconds: 10, failureThreshold: 30 }),
          readiness: Probe.exec(['sh', '-c', tool], { periodSeconds: 30, timeoutSeconds: 20 }),
          liveness: Probe.tcpSocket(port.name, { periodSeconds: 10 }),
          mounts: [
            { volume: 'config', path: CONFIG_DIR, readOnly: true },
            { volume: 'work', path: WORK_DIR },
            { volume: 'tmp', path: '/tmp' },
            { template: 'data', path: DATA_DIR },
          ],
          security: ContainerSecurity.nonRoot({ user: props.user ?? 1000, group: props.user ?? 1000 }),
        }],
        volumeClaimTemplates: [{
          name: 'data',
          size: options.storage ?? (role === 'controller' ? Size.gibibytes(1) : Size.gibibytes(10)),
          storageClassName: options.storageClassName,
        }],
      });
    };

    const domain = props.clusterDomain ?? 'cluster.local';
    const controllerName = `${this.name}-controller`;
    const initialEnv = (ns: string): Record<string, string> => {
      if (this.quorumMode !== 'dynamic') return {};
      const list = Array.from({ length: initialControllers }, (_, ordinal) => ({
        id: controllerBase + ordinal,
        host: `${controllerName}-${ordinal}.${controllerName}.${ns}.svc.${domain}`,
        port: KAFKA_CONTROLLER_PORT,
        directoryId: kraftDirectoryId(props.clusterId, controllerBase + ordinal),
      }));
      return { INITIAL_CONTROLLERS: formatInitialControllers(list) };
    };
    // The namespace StatefulApp would pick: the dynamic quorum's env needs the controllers' names before they exist.
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.controllers = app('controller', props.controllers, controllerBase, {
      POD_DOMAIN: `${controllerName}.${this.namespace}.svc.${domain}`,
      ...initialEnv(this.namespace),
    });
    const brokerName = `${this.name}-broker`;
    this.brokers = app('broker', props.brokers, brokerBase, { POD_DOMAIN: `${brokerName}.${this.namespace}.svc.${domain}` });

    this.podFqdns = this.controllers.podFqdns;
    this.brokerFqdns = this.brokers.podFqdns;
    this.controllerIds = this.controllers.ordinals.map((o) => controllerBase + o);
    this.brokerIds = this.brokers.ordinals.map((o) => brokerBase + o);
    ({ quorum: this.quorum, faultTolerance: this.faultTolerance } = votingArithmetic(controllerCount));

    const quorumLine = this.quorumMode === 'static'
      ? `controller.quorum.voters=${this.podFqdns.map((fqdn, i) => `${this.controllerIds[i]}@${fqdn}:${KAFKA_CONTROLLER_PORT}`).join(',')}`
      : `controller.quorum.bootstrap.servers=${this.peers().join(',')}`;
    const common = [
      `controller.listener.names=${KAFKA_CONTROLLER_LISTENER}`,
      `listener.security.protocol.map=${KAFKA_CONTROLLER_LISTENER}:PLAINTEXT,${KAFKA_BROKER_LISTENER}:PLAINTEXT`,
      quorumLine,
      `log.dirs=${LOG_DIR}`,
    ];
    const extra = Object.entries(properties).map(([key, value]) => `${key}=${value}`);
    const header = (role: Role) =>
      `# ${role}s of KafkaKRaftCluster "${this.name}"; start.sh appends node.id, listeners and advertised.listeners per pod.`;
    this.configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: configMapName, namespace: this.namespace, labels: { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': this.name } },
      data: {
        'start.sh': START_SCRIPT,
        'controller.properties': [header('controller'), 'process.roles=controller', ...common, ...extra, ''].join('\n'),
        'broker.properties': [
          header('broker'),
          'process.roles=broker',
          ...common,
          `inter.broker.listener.name=${KAFKA_BROKER_LISTENER}`,
          `default.replication.factor=${this.replicationFactor}`,
          `offsets.topic.replication.factor=${this.replicationFactor}`,
          `transaction.state.log.replication.factor=${this.replicationFactor}`,
          `min.insync.replicas=${this.minInsyncReplicas}`,
          `transaction.state.log.min.isr=${this.minInsyncReplicas}`,
          ...extra,
          '',
        ].join('\n'),
      },
    });
  }

  /** `<controller fqdn>:9093` of every controller: controller.quorum.bootstrap.servers. */
  public peers(): string[] {
    return this.podFqdns.map((fqdn) => `${fqdn}:${KAFKA_CONTROLLER_PORT}`);
  }

  /** `<broker fqdn>:9092` of every broker: a client's bootstrap.servers. */
  public get bootstrapServers(): string[] {
    return this.brokerFqdns.map((fqdn) => `${fqdn}:${KAFKA_BROKER_PORT}`);
  }
}

/** Controllers: as many disruptions as the quorum survives; brokers: one at a time (none for a single node). */
function budgetOf(role: Role, replicas: number): DisruptionBudget | undefined {
  if (role === 'controller') return replicas >= 3 ? DisruptionBudget.maxUnavailable(faultTolerance(replicas)) : undefined;
  return replicas >= 2 ? DisruptionBudget.maxUnavailable(1) : undefined;
}

function requirePositive(value: number, field: string, fail: (problem: string) => Error): number {
  if (!Number.isInteger(value) || value < 1) throw fail(`${field} is ${value}; set a whole number of at least 1`);
  return value;
}

function checkIdRanges(cBase: number, cCount: number, bBase: number, bCount: number, fail: (problem: string) => Error): void {
  for (const [field, base, count] of [['controllers.nodeIdBase', cBase, cCount], ['brokers.nodeIdBase', bBase, bCount]] as const) {
    if (!Number.isInteger(base) || base < 0 || base + count - 1 > KAFKA_MAX_NODE_ID) {
      throw fail(`${field} is ${base}; node ids ${base}..${base + count - 1} must be whole numbers from 0 to ${KAFKA_MAX_NODE_ID}`);
    }
  }
  if (cBase <= bBase + bCount - 1 && bBase <= cBase + cCount - 1) {
    throw fail(`controller node ids ${cBase}..${cBase + cCount - 1} and broker node ids ${bBase}..${bBase + bCount - 1} overlap: ` +
      'every node of a KRaft cluster needs its own node.id; move one range (controllers.nodeIdBase or brokers.nodeIdBase)');
  }
}

function checkReplication(rf: number, minIsr: number, brokers: number, fail: (problem: string) => Error): void {
  if (!Number.isInteger(rf) || rf < 1) throw fail(`replicationFactor is ${rf}; set a whole number of at least 1`);
  if (rf > brokers) {
    throw fail(`replicationFactor ${rf} is more than the ${brokers} broker${brokers === 1 ? '' : 's'}: topics cannot be created; ` +
      `run at least ${rf} brokers or lower replicationFactor to ${brokers}`);
  }
  if (!Number.isInteger(minIsr) || minIsr < 1) {
    throw fail(`minInsyncReplicas is ${minIsr}; set a whole number of at least 1` +
      (rf < 2 ? ` (with replicationFactor ${rf} that is impossible: min.insync.replicas must stay below it, so run replicationFactor 2 or more)` : ''));
  }
  if (minIsr > rf - 1) {
    throw fail(`minInsyncReplicas ${minIsr} with replicationFactor ${rf}: a write with acks=all needs ${minIsr} in-sync replicas, so ` +
      `it fails while ${rf - minIsr === 0 ? 'any' : 'one'} broker restarts; set minInsyncReplicas to at most ${rf - 1}` +
      (rf < 2 ? ' (and replicationFactor 2 or more)' : ''));
  }
}

/**
 * Start-up of every node: write server.properties (the role's file + node.id and listeners of this pod), format
 * the log dir only when it is empty (a log dir holding another cluster id refuses to start; a non-empty one without
 * meta.properties is never formatted over), then run Kafka. Controllers of a dynamic quorum listed in
 * INITIAL_CONTROLLERS format with that list, later ones with --no-initial-controllers (Kafka docs, KRaft
 * "Provisioning Nodes").
 */
const START_SCRIPT = `#!/bin/sh
set -eu
role="$1"
ordinal="\${POD_NAME##*-}"
node_id=$((NODE_ID_BASE + ordinal))
conf="$${KAFKA_CONFIG_ENV}"
if [ "$role" = controller ]; then
  listener=${KAFKA_CONTROLLER_LISTENER}; port=${KAFKA_CONTROLLER_PORT}
else
  listener=${KAFKA_BROKER_LISTENER}; port=${KAFKA_BROKER_PORT}
fi
{
  cat "$(dirname "$0")/$role.properties"
  echo "node.id=$node_id"
  echo "listeners=$listener://$POD_IP:$port"
  echo "advertised.listeners=$listener://$POD_NAME.$POD_DOMAIN:$port"
} > "$conf"
log_dir=$(sed -n 's/^log\\.dirs=//p' "$conf" | cut -d, -f1)
if [ -f "$log_dir/meta.properties" ]; then
  formatted=$(sed -n 's/^cluster\\.id=//p' "$log_dir/meta.properties")
  if [ "$formatted" != "$CLUSTER_ID" ]; then
    echo "$log_dir was formatted for cluster id $formatted, not $CLUSTER_ID: a cluster id never changes; restore clusterId or give this node an empty volume" >&2
    exit 1
  fi
elif [ -d "$log_dir" ] && [ -n "$(ls -A "$log_dir")" ]; then
  echo "$log_dir holds files but no meta.properties: not formatting over them; empty it or restore its meta.properties" >&2
  exit 1
else
  set -- --cluster-id "$CLUSTER_ID" --config "$conf"
  if [ "$role" = controller ] && [ -n "\${INITIAL_CONTROLLERS:-}" ]; then
    case ",$INITIAL_CONTROLLERS" in
      *",$node_id@"*) set -- "$@" --initial-controllers "$INITIAL_CONTROLLERS" ;;
      *) set -- "$@" --no-initial-controllers ;;
    esac
  fi
  "$${KAFKA_HOME_ENV}/bin/kafka-storage.sh" format "$@"
fi
exec "$${KAFKA_HOME_ENV}/bin/kafka-server-start.sh" "$conf"
`;
