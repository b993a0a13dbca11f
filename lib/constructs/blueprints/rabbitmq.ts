/**
 * A RabbitMQ cluster on a StatefulApp, with what a RabbitMQ operator knows written in for one revision: long node
 * names `rabbit@<pod FQDN>`, a classic_config peer list of every pod, the Erlang cookie from a Secret (required: nodes
 * with different cookies never cluster), pods that start in parallel and find each other before they are Ready,
 * every listener on the pod IP, two minutes or more to stop, a budget that keeps the quorum queues' majority through
 * a drain, one node per Kubernetes node, claims kept when the cluster is deleted and dropped when a node is scaled
 * away (a forgotten node must not come back on its old data). Changes of size between revisions are guarded by
 * `cdk8s-stateful diff` (unsafe-membership-change), which prints the runbook.
 */
import { Size } from 'cdk8s';
import { Cpu, k8s, Topology } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  classicConfigLines, cliErlArgs, PEER_DISCOVERY_BACKEND_KEY, RABBITMQ_MIN_GRACE_SECONDS, RABBITMQ_MIN_READY_SECONDS, RABBITMQ_PORTS,
  rabbitmqNodeName,
  serverErlArgs, type ErlangDistribution,
} from '../../k8s/systems/rabbitmq';
import { ContainerResources, ContainerSecurity, EnvValue, nameOf, ObjectName, Probe } from '../container';
import { constructError } from '../errors';
import type { NfsPoolOptions } from '../nfs-volume-pool';
import { PodScheduling, PodVolume } from '../pod';
import { StatefulApp } from '../stateful-app';
import { AccessMode, ClaimRetention, PodManagementPolicy } from '../types';
import { DisruptionBudget } from '../update-strategy';
import { clusterAnnotation, votingArithmetic, type ClusterMembers } from './cluster';

/** Where the image keeps RabbitMQ: the official `rabbitmq` image, or the Debian `rabbitmq-server` package. */
export enum RabbitMQFlavour {
  /** docker.io/library/rabbitmq: the scripts in /opt/rabbitmq/sbin (on the image's PATH), user rabbitmq = 999. */
  OFFICIAL = 'official',
  /**
   * An image with Debian's `rabbitmq-server` package: /usr/sbin/rabbitmq-server switches to the `rabbitmq` user and
   * writes its output to /var/log/rabbitmq, so the pods call the scripts in /usr/lib/rabbitmq/bin (put first on
   * the PATH) and run as the image's user.
   */
  DEBIAN = 'debian',
}

/** The Erlang cookie: a Secret key holding the shared secret every node and CLI tool of the cluster presents. */
export interface ErlangCookie {
  readonly secret: ObjectName;
  /** @default '.erlang.cookie' */
  readonly key?: string;
}

export interface RabbitMQStorage {
  /** @default 10Gi */
  readonly size?: Size;
  /** @default - the cluster's default class (`''` with `nfs`) */
  readonly storageClassName?: string;
  /** @default [AccessMode.READ_WRITE_ONCE] */
  readonly accessModes?: readonly AccessMode[];
  /** One pre-bound NFS PersistentVolume per node (see `VolumeClaimTemplate.nfs`). @default - none */
  readonly nfs?: NfsPoolOptions;
}

export interface RabbitMQClusterProps {
  /** StatefulSet, Service and ConfigMap name prefix. @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /**
   * Nodes. Quorum queues keep a replica on each (up to their initial group size) and need a majority of them, so
   * an odd number tolerates as many lost nodes as the next even one.
   * @default 3
   */
  readonly nodes?: number;
  /** The Erlang cookie Secret. Required: without a shared cookie no two nodes talk. */
  readonly erlangCookie: ErlangCookie;
  /** @default 'rabbitmq:3.10' (RabbitMQFlavour.OFFICIAL) */
  readonly image?: string;
  /** @default RabbitMQFlavour.OFFICIAL */
  readonly flavour?: RabbitMQFlavour;
  /**
   * How nodes find each other's distribution port (see `ErlangDistribution`): `epmd`, the documented default, or
   * `static-port` for pods that share one network namespace (e.g. `hostNetwork`, or a test that runs the pods on
   * one machine); `static-port` leaves CLI commands that collect answers from several nodes waiting.
   * @default 'epmd'
   */
  readonly distribution?: ErlangDistribution;
  /**
   * More rabbitmq.conf settings, e.g. `{ 'vm_memory_high_watermark.relative': '0.6' }`. Peer discovery
   * (`cluster_formation.*`) and listeners belong to the blueprint.
   * @default - none
   */
  readonly config?: Readonly<Record<string, string>>;
  /** More `erl` arguments for the server (RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS), e.g. `+S 1:1`. @default - none */
  readonly erlArgs?: readonly string[];
  /** @default { size: 10Gi } */
  readonly storage?: RabbitMQStorage;
  /** @default - requests of 250m CPU and 1Gi memory, a 1Gi memory limit (RabbitMQ sizes its watermark from it) */
  readonly resources?: ContainerResources;
  /** At least 120 s. @default 180 */
  readonly terminationGracePeriodSeconds?: number;
  /** Further scheduling; required anti-affinity per node is always added. @default - none */
  readonly scheduling?: PodScheduling;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** @default { app: <name> } */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** UID and GID of the `rabbitmq` user of the official image. */
const OFFICIAL_USER = 999;
const DATA_DIR = '/var/lib/rabbitmq';
const CONFIG_DIR = '/etc/rabbitmq-cluster';
const COOKIE_DIR = '/etc/rabbitmq-cookie';
const DEBIAN_PATH = '/usr/lib/rabbitmq/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const OWNED_CONFIG = /^(?:cluster_formation\.|listeners\.|distribution\.)/;

export class RabbitMQCluster extends Construct implements ClusterMembers {
  public readonly app: StatefulApp;
  /** The ConfigMap holding rabbitmq.conf, enabled_plugins and the start-up script. */
  public readonly configMap: k8s.KubeConfigMap;
  public readonly name: string;
  public readonly nodes: number;
  public readonly podFqdns: readonly string[];
  /** `rabbit@<pod FQDN>` of every node, in ordinal order: the classic_config peer list. */
  public readonly nodeNames: readonly string[];
  public readonly quorum: number;
  public readonly faultTolerance: number;
  /** AMQP URLs' host:port of every node (credentials not included). */
  public readonly amqpEndpoints: readonly string[];

  constructor(scope: Construct, id: string, props: RabbitMQClusterProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const fail = (problem: string) => constructError('RabbitMQCluster', this.name, problem);
    this.nodes = props.nodes ?? 3;
    const grace = props.terminationGracePeriodSeconds ?? 180;
    const distribution = props.distribution ?? 'epmd';
    const flavour = props.flavour ?? RabbitMQFlavour.OFFICIAL;
    checkProps(props, this.nodes, grace, distribution, fail);
    const cookieKey = props.erlangCookie.key ?? '.erlang.cookie';
    ({ quorum: this.quorum, faultTolerance: this.faultTolerance } = votingArithmetic(this.nodes));

    const configName = `${this.name}-config`;
    const official = flavour === RabbitMQFlavour.OFFICIAL;
    this.app = new StatefulApp(this, 'app', {
      name: this.name,
      namespace: props.namespace,
      replicas: this.nodes,
      podLabels: props.podLabels,
      clusterDomain: props.clusterDomain,
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      minReadySeconds: RABBITMQ_MIN_READY_SECONDS,
      publishNotReadyAddresses: true,
      // Kept when the cluster is deleted; dropped on scale-down: a forgotten node must never restart on its old data.
      claimRetention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
      // 1 or 2 nodes survive no loss: any budget would either block every drain or break the quorum queues.
      disruptionBudget: this.nodes >= 3 ? DisruptionBudget.maxUnavailable(1) : undefined,
      terminationGracePeriodSeconds: grace,
      annotations: clusterAnnotation('rabbitmq'),
      securityContext: official ? { fsGroup: OFFICIAL_USER } : undefined,
      scheduling: { ...props.scheduling, separate: [...(props.scheduling?.separate ?? []), { topology: Topology.HOSTNAME }] },
      volumes: [
        PodVolume.fromConfigMap('config', configName, { defaultMode: 0o444 }),
        PodVolume.fromSecret('erlang-cookie', props.erlangCookie.secret, { defaultMode: 0o400, items: { [cookieKey]: { path: 'cookie' } } }),
      ],
      containers: [{
        name: 'rabbitmq',
        image: props.image ?? 'rabbitmq:3.10',
        command: ['sh', `${CONFIG_DIR}/start.sh`],
        ports: [
          { name: 'amqp', number: RABBITMQ_PORTS.amqp },
          { name: 'dist', number: RABBITMQ_PORTS.distribution },
          ...(distribution === 'epmd' ? [{ name: 'epmd', number: RABBITMQ_PORTS.epmd }] : []),
        ],
        resources: props.resources ?? {
          cpu: { request: Cpu.millis(250) },
          memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
        },
        // The AMQP listener opens once the node has booted, which includes joining its cluster.
        readiness: Probe.tcpSocket('amqp', { periodSeconds: 10, timeoutSeconds: 5 }),
        liveness: Probe.tcpSocket('amqp', { periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 6 }),
        // A restarted node waits for the peer that stopped last (10 × 30 s by default) before it serves.
        startup: Probe.tcpSocket('amqp', { periodSeconds: 10, failureThreshold: 60 }),
        mounts: [
          { template: 'data', path: DATA_DIR },
          { volume: 'config', path: CONFIG_DIR, readOnly: true },
          { volume: 'erlang-cookie', path: COOKIE_DIR, readOnly: true },
        ],
        security: official
          ? ContainerSecurity.nonRoot({ user: OFFICIAL_USER, group: OFFICIAL_USER, readOnlyRootFilesystem: false })
          : ContainerSecurity.runAsRoot(),
      }],
      volumeClaimTemplates: [{
        name: 'data',
        size: props.storage?.size ?? Size.gibibytes(10),
        storageClassName: props.storage?.storageClassName,
        accessModes: props.storage?.accessModes ?? [AccessMode.READ_WRITE_ONCE],
        nfs: props.storage?.nfs,
      }],
    });

    const app = this.app;
    this.podFqdns = app.podFqdns;
    this.nodeNames = app.podFqdns.map(rabbitmqNodeName);
    this.amqpEndpoints = app.podFqdns.map((fqdn) => `${fqdn}:${RABBITMQ_PORTS.amqp}`);
    const ownNode = rabbitmqNodeName(`$(POD_NAME).${app.serviceName}.${app.namespace}.svc.${app.clusterDomain}`);
    const serverArgs = [...serverErlArgs(distribution, ownNode), ...(props.erlArgs ?? [])];
    const cliArgs = cliErlArgs(distribution);
    const env: Array<[string, string | EnvValue]> = [
      ['POD_IP', EnvValue.fromFieldPath('status.podIP')],
      ['POD_NAME', EnvValue.fromFieldPath('metadata.name')],
      ...(official ? [] : [['PATH', DEBIAN_PATH] as [string, string]]),
      // The cookie file and the node's data live on the claim; the CLI tools read the cookie from $HOME too.
      ['HOME', DATA_DIR],
      ['RABBITMQ_MNESIA_BASE', `${DATA_DIR}/mnesia`],
      ['RABBITMQ_USE_LONGNAME', 'true'],
      ['RABBITMQ_NODENAME', ownNode],
      // The pod IP, not every interface: nothing else in the pod's network namespace competes for the ports.
      ['RABBITMQ_NODE_IP_ADDRESS', '$(POD_IP)'],
      ['RABBITMQ_NODE_PORT', String(RABBITMQ_PORTS.amqp)],
      ['RABBITMQ_DIST_PORT', String(RABBITMQ_PORTS.distribution)],
      ...(distribution === 'epmd' ? [['ERL_EPMD_ADDRESS', '$(POD_IP)'] as [string, string]] : []),
      ['RABBITMQ_CONFIG_FILE', `${CONFIG_DIR}/rabbitmq.conf`],
      ['RABBITMQ_ENABLED_PLUGINS_FILE', `${CONFIG_DIR}/enabled_plugins`],
      ['RABBITMQ_LOGS', '-'],
      ...(serverArgs.length === 0 ? [] : [['RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS', serverArgs.join(' ')] as [string, string]]),
      ...(cliArgs.length === 0 ? [] : [['RABBITMQ_CTL_ERL_ARGS', cliArgs.join(' ')] as [string, string]]),
    ];
    for (const [name, value] of env) app.addEnv(name, value);

    const config = [
      ...classicConfigLines(this.nodeNames),
      ...Object.entries(props.config ?? {}).map(([key, value]) => `${key} = ${value}`),
    ];
    this.configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: configName, namespace: app.namespace, labels: { ...app.podLabels } },
      data: {
        'rabbitmq.conf': `${config.join('\n')}\n`,
        // Plugins open listeners of their own (management, prometheus) on every interface: none by default.
        enabled_plugins: '[].\n',
        'start.sh': startScript(official ? 'rabbitmq-server' : '/usr/lib/rabbitmq/bin/rabbitmq-server'),
      },
    });
  }

  /** `rabbit@<pod FQDN>` of every node, in ordinal order, as classic_config lists them. */
  public peers(): string[] {
    return [...this.nodeNames];
  }
}

function checkProps(props: RabbitMQClusterProps, nodes: number, grace: number, distribution: string, fail: (p: string) => Error): void {
  if (!Number.isInteger(nodes) || nodes < 1) {
    throw fail(`nodes is ${nodes}; set a whole number >= 1 (3 or 5 for quorum queues that survive a lost node)`);
  }
  if (props.erlangCookie === undefined || nameOf(props.erlangCookie.secret) === '') {
    throw fail('erlangCookie is missing: nodes cluster only when they share one Erlang cookie; name a Secret holding it ' +
      '(e.g. { secret: "rabbitmq-erlang-cookie", key: ".erlang.cookie" }, a random string of 20 or more characters)');
  }
  if (props.erlangCookie.key === '') throw fail('erlangCookie.key is empty; name the Secret key holding the cookie');
  if (!Number.isInteger(grace) || grace < RABBITMQ_MIN_GRACE_SECONDS) {
    throw fail(`terminationGracePeriodSeconds is ${grace}: a node stopping closes its connections, hands quorum-queue ` +
      `leadership over and writes its queue indices, and is killed when the period ends; set at least ${RABBITMQ_MIN_GRACE_SECONDS}`);
  }
  if (distribution !== 'epmd' && distribution !== 'static-port') {
    throw fail(`distribution is "${distribution}"; use "epmd" or "static-port"`);
  }
  for (const key of Object.keys(props.config ?? {})) {
    if (OWNED_CONFIG.test(key) || key === PEER_DISCOVERY_BACKEND_KEY) {
      throw fail(`config sets ${key}, which the blueprint writes (peer discovery from the pod FQDNs, listeners on the pod IP); remove it`);
    }
    if (!/^[a-z0-9_.]+$/i.test(key)) throw fail(`config key "${key}" is not a rabbitmq.conf key (letters, digits, '_' and '.')`);
  }
  for (const [key, value] of Object.entries(props.config ?? {})) {
    if (/[\n\r]/.test(value)) throw fail(`config ${key} spans lines; give one value per key`);
  }
}

/**
 * The container's command: the cookie copied from the Secret to $HOME/.erlang.cookie, owner-only (Erlang refuses a
 * cookie file others can read, and a Secret volume with fsGroup is group-readable), and the Erlang distribution
 * listener bound to the pod IP, which Erlang takes as a tuple: 10.1.2.3 → {10,1,2,3}. POSIX sh built-ins only.
 */
function startScript(server: string): string {
  return [
    '#!/bin/sh',
    'set -eu',
    `cookie="$HOME/.erlang.cookie"`,
    `rm -f "$cookie" && cp ${COOKIE_DIR}/cookie "$cookie" && chmod 600 "$cookie"`,
    'case "$POD_IP" in',
    '  *:*) echo "start.sh: pod IP $POD_IP is IPv6; Erlang distribution is bound to IPv4 pod IPs only" >&2; exit 1 ;;',
    'esac',
    'IFS=.',
    'set -- $POD_IP',
    'unset IFS',
    'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-} -kernel inet_dist_use_interface {$1,$2,$3,$4}"',
    'export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS',
    `exec ${server}`,
    '',
  ].join('\n');
}
