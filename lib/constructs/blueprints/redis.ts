/**
 * A Redis Cluster (redis.io "Scale with Redis Cluster" and the cluster specification; redis.conf of 7.0) on one
 * StatefulSet: masters × (1 + replicasPerMaster) pods, each a cluster node keeping its identity in nodes.conf on its
 * claim, announcing its pod FQDN as hostname (clients are redirected to names that survive a restart) and listening
 * on the pod IP. The cluster is formed once by `redis-cli --cluster create`, guarded so that it runs only on fresh
 * nodes, from a Job (or by hand: `createCommand`). Scaling is a runbook (lib/k8s/systems/runbooks/redis.ts) that
 * `diff` prints: a master and its replicas come and go together.
 */
import { createHash } from 'node:crypto';
import { Size } from 'cdk8s';
import { k8s, Topology } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isDns1123Label } from '../../k8s/names';
import {
  REDIS_BUS_PORT, REDIS_LIVENESS_COMMAND, REDIS_PORT, REDIS_READINESS_COMMAND, redisCreateScript,
} from '../../k8s/systems/redis';
import { ContainerResources, ContainerSecurity, EnvValue, Probe, SecretValue, nameOf } from '../container';
import { constructError } from '../errors';
import { PodScheduling, PodVolume } from '../pod';
import { StatefulApp } from '../stateful-app';
import { ClaimRetention, PodManagementPolicy } from '../types';
import { DisruptionBudget } from '../update-strategy';
import { ClusterMembers, clusterAnnotation, votingArithmetic } from './cluster';

/** Failover needs a majority of the masters, and fewer than three masters have none to spare. */
export const REDIS_MIN_MASTERS = 3;
/** The cluster specification's suggested upper bound on nodes. */
export const REDIS_MAX_NODES = 1000;

/** Settings the blueprint writes itself; `settings` may not override them. */
const OWNED_SETTINGS = [
  'port', 'bind', 'dir', 'cluster-enabled', 'cluster-config-file', 'cluster-node-timeout', 'cluster-port',
  'cluster-announce-ip', 'cluster-announce-hostname', 'cluster-announce-port', 'cluster-announce-bus-port',
  'cluster-preferred-endpoint-type', 'requirepass', 'masterauth', 'protected-mode', 'daemonize',
];

const CONFIG_DIR = '/etc/redis-cluster';
const DATA_DIR = '/data';
/** The user of the official image (and of Debian's redis-server package). */
const REDIS_UID = 999;

export interface RedisClusterProps {
  /** StatefulSet, headless Service and PDB name; pods are `<name>-0`, ... @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Masters, each serving a share of the 16384 hash slots; at least 3. @default 3 */
  readonly masters?: number;
  /** Replicas of each master; at least 1, so that every master can fail over. @default 1 */
  readonly replicasPerMaster?: number;
  /**
   * The image; it must run Redis 7.0 or later (`cluster-announce-hostname`, `cluster-preferred-endpoint-type`) and
   * carry `sh`, `redis-cli`, `grep`, `sed`, `awk`, `tr`, `sort` and `wc` (the official images do).
   * @default 'redis:7.0.15'
   */
  readonly image?: string;
  /** Size of each node's claim (nodes.conf and the append-only file). @default Size.gibibytes(8) */
  readonly storage?: Size;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * `cluster-node-timeout`: how long a master may be unreachable before its replica takes over, in milliseconds.
   * @default 15000 (Redis's default)
   */
  readonly nodeTimeoutMs?: number;
  /**
   * The password of the default user, from a Secret: written as `requirepass` and `masterauth`, and given to
   * redis-cli as REDISCLI_AUTH (also in `kubectl exec`, so the runbook works unchanged). Without it the nodes run
   * with `protected-mode no`, which the pods need to reach each other: restrict access with a NetworkPolicy.
   * @default - no password
   */
  readonly password?: SecretValue;
  /** Further redis.conf settings, e.g. `{ maxmemory: '1gb', 'maxmemory-policy': 'allkeys-lru' }`. @default - none */
  readonly settings?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly resources?: ContainerResources;
  /** @default - required anti-affinity: one pod per node */
  readonly scheduling?: PodScheduling;
  /**
   * Run the creation as a Job (`<name>-create-<hash of the script>`, deleted an hour after it finishes). Without
   * it, run `createCommand` once in a pod.
   * @default true
   */
  readonly createJob?: boolean;
  /** Annotations of the StatefulSet, e.g. `cdk8s-stateful.io/data-moved: "true"` after a scale-down runbook. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/** A Redis Cluster: a StatefulApp whose pods form one cluster of masters and replicas. */
export class RedisCluster extends Construct implements ClusterMembers {
  public readonly app: StatefulApp;
  public readonly masters: number;
  public readonly replicasPerMaster: number;
  public readonly podFqdns: readonly string[];
  /** Masters that must be reachable for a failover: a majority of the masters. */
  public readonly quorum: number;
  /** Masters the cluster may lose (each replaced by its replica) and keep serving every slot. */
  public readonly faultTolerance: number;
  /** The command that forms the cluster, to run once in any pod (`kubectl exec <name>-0 -- ...`); idempotent. */
  public readonly createCommand: readonly string[];
  /** The creation Job, unless `createJob` is false. */
  public readonly createJob?: k8s.KubeJob;
  /** The ConfigMap holding redis.conf. */
  public readonly config: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: RedisClusterProps = {}) {
    super(scope, id);
    const name = props.name ?? id;
    const fail = (problem: string) => constructError('RedisCluster', name, problem);
    this.masters = props.masters ?? REDIS_MIN_MASTERS;
    this.replicasPerMaster = props.replicasPerMaster ?? 1;
    const image = props.image ?? 'redis:7.0.15';
    const nodeTimeout = props.nodeTimeoutMs ?? 15000;
    checkShape(this.masters, this.replicasPerMaster, fail);
    checkImage(image, fail);
    if (!Number.isInteger(nodeTimeout) || nodeTimeout < 1) {
      throw fail(`nodeTimeoutMs is ${nodeTimeout}; set a whole number of milliseconds >= 1 (Redis's default is 15000)`);
    }
    const settings = props.settings ?? {};
    checkSettings(settings, fail);
    const replicas = this.masters * (1 + this.replicasPerMaster);

    const auth: Record<string, EnvValue> = props.password === undefined ? {} : { REDISCLI_AUTH: EnvValue.fromSecretValue(props.password) };
    const passwordArgs = props.password === undefined ? [] : ['--requirepass', '$(REDISCLI_AUTH)', '--masterauth', '$(REDISCLI_AUTH)'];

    // The announced FQDN needs the service and namespace StatefulApp settles: POD_FQDN is added once it has.
    this.app = new StatefulApp(this, 'App', {
      name,
      namespace: props.namespace,
      replicas,
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      publishNotReadyAddresses: true,
      disruptionBudget: DisruptionBudget.maxUnavailable(1),
      claimRetention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
      scheduling: props.scheduling ?? { separate: [{ topology: Topology.HOSTNAME }] },
      clusterDomain: props.clusterDomain,
      annotations: { ...clusterAnnotation('redis'), ...(props.annotations ?? {}) },
      securityContext: { fsGroup: REDIS_UID },
      automountServiceAccountToken: false,
      volumes: [PodVolume.fromConfigMap('config', `${name}-config`)],
      containers: [{
        name: 'redis',
        image,
        command: ['redis-server'],
        args: [
          `${CONFIG_DIR}/redis.conf`,
          '--bind', '$(POD_IP)',
          '--cluster-announce-ip', '$(POD_IP)',
          '--cluster-announce-hostname', '$(POD_FQDN)',
          ...passwordArgs,
        ],
        env: {
          POD_NAME: EnvValue.fromFieldPath('metadata.name'),
          POD_IP: EnvValue.fromFieldPath('status.podIP'),
          ...auth,
        },
        ports: [{ name: 'redis', number: REDIS_PORT }, { name: 'cluster-bus', number: REDIS_BUS_PORT }],
        readiness: Probe.exec(REDIS_READINESS_COMMAND, { periodSeconds: 5, timeoutSeconds: 3 }),
        liveness: Probe.exec(REDIS_LIVENESS_COMMAND, { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 }),
        resources: props.resources,
        mounts: [
          { template: 'data', path: DATA_DIR },
          { volume: 'config', path: CONFIG_DIR, readOnly: true },
        ],
        security: ContainerSecurity.nonRoot({ user: REDIS_UID, group: REDIS_UID }),
      }],
      volumeClaimTemplates: [{
        name: 'data',
        size: props.storage ?? Size.gibibytes(8),
        storageClassName: props.storageClassName,
      }],
    });
    const app = this.app;
    app.addEnv('POD_FQDN', `$(POD_NAME).${app.serviceName}.${app.namespace}.svc.${app.clusterDomain}`);
    this.config = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: `${name}-config`, namespace: app.namespace },
      data: { 'redis.conf': redisConf(nodeTimeout, props.password !== undefined, settings) },
    });
    this.podFqdns = app.podFqdns;
    const voting = votingArithmetic(this.masters);
    this.quorum = voting.quorum;
    this.faultTolerance = voting.faultTolerance;

    const script = redisCreateScript(this.podFqdns, this.replicasPerMaster);
    this.createCommand = ['sh', '-c', script];
    if (props.createJob ?? true) {
      this.createJob = creationJob(this, name, app.namespace, image, script, props.password, fail);
    }
  }

  /** `<fqdn>:6379` of every pod, in ordinal order: what clients and `redis-cli --cluster` are given. */
  public peers(): string[] {
    return this.app.peers('redis');
  }
}

function checkShape(masters: number, replicasPerMaster: number, fail: (problem: string) => Error): void {
  if (!Number.isInteger(masters) || masters < REDIS_MIN_MASTERS) {
    throw fail(
      `masters is ${masters}; a Redis Cluster needs at least ${REDIS_MIN_MASTERS} masters: a replica is promoted ` +
      `only when a majority of the masters agree that its master failed, and ${Number.isInteger(masters) && masters > 0 ? masters : 'so few'} ` +
      `masters keep no majority through the loss of one`,
    );
  }
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 1) {
    throw fail(
      `replicasPerMaster is ${replicasPerMaster}; give every master at least 1 replica: a master without one takes ` +
      'its slots down with it, and with cluster-require-full-coverage (the default) the whole cluster stops serving, ' +
      'so not even the one disruption the PodDisruptionBudget allows would be safe',
    );
  }
  const nodes = masters * (1 + replicasPerMaster);
  if (nodes > REDIS_MAX_NODES) {
    throw fail(`${masters} masters × (1 + ${replicasPerMaster} replicas) = ${nodes} nodes; the cluster specification suggests at most ${REDIS_MAX_NODES}`);
  }
}

/** Tags `7`, `7.0.15`, `7.2-alpine`, `6.2.14-bookworm`: a major version before 7 lacks the hostname settings. */
function checkImage(image: string, fail: (problem: string) => Error): void {
  const tag = /:([^:/@]+)(?:@|$)/.exec(image)?.[1];
  const major = tag === undefined ? undefined : /^v?(\d+)(?:[.-]|$)/.exec(tag)?.[1];
  if (major !== undefined && Number(major) < 7) {
    throw fail(
      `image "${image}" runs Redis ${major}: cluster-announce-hostname and cluster-preferred-endpoint-type, which ` +
      'let clients follow redirections to pod names, need Redis 7.0 or later; use e.g. redis:7.0.15',
    );
  }
}

function checkSettings(settings: Readonly<Record<string, string>>, fail: (problem: string) => Error): void {
  for (const [key, value] of Object.entries(settings)) {
    if (!/^[a-z][a-z0-9-]*$/.test(key)) throw fail(`settings key "${key}" is no redis.conf directive (lower-case letters, digits and '-')`);
    if (OWNED_SETTINGS.includes(key)) throw fail(`settings sets "${key}", which the blueprint writes itself (${OWNED_SETTINGS.join(', ')}); leave it out`);
    if (/[\r\n]/.test(value)) throw fail(`settings "${key}" contains a line break; give one value per directive`);
  }
}

function redisConf(nodeTimeout: number, password: boolean, settings: Readonly<Record<string, string>>): string {
  const lines = [
    `port ${REDIS_PORT}`,
    `dir ${DATA_DIR}`,
    'cluster-enabled yes',
    `cluster-config-file ${DATA_DIR}/nodes.conf`,
    `cluster-node-timeout ${nodeTimeout}`,
    // MOVED/ASK redirections and CLUSTER SLOTS name the pod FQDN, which survives a restart; its IP does not.
    'cluster-preferred-endpoint-type hostname',
    'appendonly yes',
    // Replicas and clients connect from other pods; protected mode refuses that when there is no password.
    ...(password ? [] : ['protected-mode no']),
    ...Object.entries(settings).map(([key, value]) => `${key} ${value}`),
  ];
  return `${lines.join('\n')}\n`;
}

function creationJob(
  scope: Construct, name: string, namespace: string, image: string, script: string,
  password: SecretValue | undefined, fail: (problem: string) => Error,
): k8s.KubeJob {
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 8);
  const jobName = `${name}-create-${hash}`;
  if (!isDns1123Label(jobName)) {
    throw fail(`the creation Job's name "${jobName}" is longer than 63 characters; shorten the name or set createJob: false`);
  }
  const env = password === undefined ? undefined : [{
    name: 'REDISCLI_AUTH',
    valueFrom: { secretKeyRef: { name: nameOf(password.secret), key: password.key } },
  }];
  return new k8s.KubeJob(scope, 'Create', {
    metadata: { name: jobName, namespace, labels: { app: `${name}-create` } },
    spec: {
      backoffLimit: 6,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: { app: `${name}-create` } },
        spec: {
          restartPolicy: 'OnFailure',
          automountServiceAccountToken: false,
          containers: [{
            name: 'create',
            image,
            command: ['sh', '-c', script],
            env,
            securityContext: ContainerSecurity.nonRoot({ user: REDIS_UID, group: REDIS_UID })._toKube(),
          }],
        },
      },
    },
  });
}
