/**
 * What system a StatefulSet runs. Quorum rules judge a set only when this is known: from the annotation
 * `cdk8s-stateful.io/cluster` (the blueprints set it), else from the image repository together with a setting the
 * system cannot run without, read from env, command, args and the ConfigMaps the pods use. An image alone is not
 * enough (a single-node `bitnami/etcd` is no cluster), nor is a setting alone.
 */
import type { Manifest } from '../../core/types';
import { findSetting, podConfig, type ConfigMapLookup, type PodConfig, type SettingSpec, type SettingValue } from './config';
import { CASSANDRA_IMAGE_ENV } from './cassandra';
import { KRAFT_BOOTSTRAP_SERVERS, KRAFT_VOTERS } from './kafka';
import { at, list, record, text } from './read';

export const CLUSTER_ANNOTATION = 'cdk8s-stateful.io/cluster';

export const SYSTEMS = [
  'etcd',
  'zookeeper',
  'kafka-controller',
  'kafka-broker',
  'mongodb',
  'cassandra',
  'rabbitmq',
  'elasticsearch-master',
  'redis',
] as const;

export type SystemId = (typeof SYSTEMS)[number];

/**
 * Systems whose members vote: a majority must stay up (see quorum.ts). Redis Cluster is not one of them although
 * its failover needs a majority of the masters: the voters are the masters, a role that moves between pods at run
 * time, so arithmetic over the StatefulSet's pods would be wrong both ways (lib/constructs/blueprints/redis.ts
 * counts the masters).
 */
export const MAJORITY_SYSTEMS: ReadonlySet<SystemId> = new Set<SystemId>([
  'etcd',
  'zookeeper',
  'kafka-controller',
  'mongodb',
  'rabbitmq',
  'elasticsearch-master',
]);

export const SYSTEM_NAMES: Readonly<Record<SystemId, string>> = {
  etcd: 'etcd',
  zookeeper: 'ZooKeeper',
  'kafka-controller': 'Kafka KRaft controller',
  'kafka-broker': 'Kafka broker',
  mongodb: 'MongoDB replica set',
  cassandra: 'Cassandra',
  rabbitmq: 'RabbitMQ',
  'elasticsearch-master': 'Elasticsearch master',
  redis: 'Redis Cluster',
};

export interface Identification {
  readonly system: SystemId;
  /** How it was recognised, for messages: `annotation cdk8s-stateful.io/cluster: etcd`, `image bitnami/etcd with ETCD_INITIAL_CLUSTER`. */
  readonly evidence: string;
  readonly config: PodConfig;
  /** The setting that identified it (absent when the annotation did). */
  readonly setting?: SettingValue;
}

/** Settings each system cannot run without, by the images that run it. */
export const SYSTEM_SETTINGS: Readonly<Record<Exclude<SystemId, 'kafka-controller' | 'kafka-broker'>, SettingSpec>> & {
  readonly kafka: SettingSpec;
} = {
  etcd: {
    env: ['ETCD_INITIAL_CLUSTER', 'ETCD_DISCOVERY'],
    flags: ['--initial-cluster', '--discovery'],
    keys: ['initial-cluster', 'discovery'],
  },
  zookeeper: { env: ['ZOO_SERVERS'], flags: ['--servers'], keys: ['server\\.\\d+'] },
  kafka: {
    env: [...KRAFT_VOTERS.env!, ...KRAFT_BOOTSTRAP_SERVERS.env!, 'KAFKA_CFG_ZOOKEEPER_CONNECT', 'KAFKA_ZOOKEEPER_CONNECT'],
    keys: [...KRAFT_VOTERS.keys!, ...KRAFT_BOOTSTRAP_SERVERS.keys!, 'zookeeper\\.connect'],
  },
  mongodb: { env: ['MONGODB_REPLICA_SET_NAME'], flags: ['--replSet'], keys: ['replSetName'] },
  cassandra: { env: [CASSANDRA_IMAGE_ENV.seeds], keys: ['seeds'] },
  rabbitmq: { keys: ['cluster_formation\\.[A-Za-z0-9_.]+'] },
  'elasticsearch-master': {
    env: ['cluster.initial_master_nodes', 'discovery.seed_hosts', 'discovery.zen.ping.unicast.hosts'],
    keys: ['cluster\\.initial_master_nodes', 'discovery\\.seed_hosts', 'discovery\\.zen\\.ping\\.unicast\\.hosts'],
  },
  // redis.conf writes `cluster-enabled yes` (key, space, value); redis-server also takes `--cluster-enabled yes`.
  redis: { flags: ['--cluster-enabled'], keys: ['cluster-enabled'], spaceSeparated: true },
};

const IMAGE_SYSTEMS: ReadonlyArray<[RegExp, keyof typeof SYSTEM_SETTINGS]> = [
  [/etcd/, 'etcd'],
  [/zookeeper/, 'zookeeper'],
  [/kafka/, 'kafka'],
  [/mongo/, 'mongodb'],
  [/cassandra/, 'cassandra'],
  [/rabbitmq/, 'rabbitmq'],
  [/elasticsearch/, 'elasticsearch-master'],
  [/redis/, 'redis'],
];

/** Whether any of IMAGE_SYSTEMS matches: most images (a database, a proxy, busybox) are rejected in one test. */
const ANY_SYSTEM_IMAGE = new RegExp(IMAGE_SYSTEMS.map(([pattern]) => pattern.source).join('|'));

/**
 * The system of a StatefulSet, or undefined (unknown, or annotated `none`). `findConfigMap` finds a ConfigMap of
 * the StatefulSet's namespace in the linted set; `config`, the StatefulSet's podConfig when the caller has it already.
 */
export function identifySystem(
  statefulSet: Manifest,
  findConfigMap: ConfigMapLookup,
  config: PodConfig = podConfig(statefulSet, findConfigMap),
): Identification | undefined {
  const annotated = text(at(statefulSet.object, 'metadata', 'annotations', CLUSTER_ANNOTATION));
  if (annotated !== undefined) {
    const system = SYSTEMS.find((s) => s === annotated.trim());
    return system === undefined ? undefined : { system, evidence: `annotation ${CLUSTER_ANNOTATION}: ${system}`, config };
  }
  for (const image of containerImages(statefulSet)) {
    const repository = imageRepository(image);
    const lastSegment = repository.slice(repository.lastIndexOf('/') + 1);
    if (!ANY_SYSTEM_IMAGE.test(lastSegment)) continue;
    const entry = IMAGE_SYSTEMS.find(([pattern]) => pattern.test(lastSegment));
    if (entry === undefined) continue;
    const [, family] = entry;
    const setting = findSetting(config, SYSTEM_SETTINGS[family]);
    if (setting === undefined) continue;
    const system = family === 'kafka' ? kafkaRole(config, setting) : family === 'redis' ? redisCluster(setting) : masterEligible(family, config);
    if (system === undefined) continue;
    return { system, evidence: `image ${repository} with ${setting.name}`, config, setting };
  }
  return undefined;
}

/** Image repository without registry port confusion, tag or digest: `docker.io/bitnami/etcd:3.5` → `docker.io/bitnami/etcd`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

function containerImages(statefulSet: Manifest): string[] {
  const images: string[] = [];
  for (const container of list(at(statefulSet.object, 'spec', 'template', 'spec', 'containers'))) {
    const image = text(record(container)?.image);
    if (image !== undefined) images.push(image);
  }
  return images;
}

/**
 * KRaft: process.roles containing `controller` makes a voter (combined mode included); `broker` alone, or ZooKeeper
 * mode (zookeeper.connect), a broker. Roles computed at run time: unknown.
 */
function kafkaRole(config: PodConfig, setting: SettingValue): SystemId | undefined {
  if (/zookeeper/i.test(setting.name)) return 'kafka-broker';
  const roles = findSetting(config, {
    env: ['KAFKA_CFG_PROCESS_ROLES', 'KAFKA_PROCESS_ROLES'],
    keys: ['process\\.roles'],
  });
  if (roles === undefined || /\$/.test(roles.value)) return undefined;
  if (/controller/.test(roles.value)) return 'kafka-controller';
  return /broker/.test(roles.value) ? 'kafka-broker' : undefined;
}

/** `cluster-enabled no` (the default) runs a standalone server or a Sentinel-managed replica. */
function redisCluster(setting: SettingValue): SystemId | undefined {
  return setting.value.trim().toLowerCase() === 'yes' ? 'redis' : undefined;
}

/** Elasticsearch nodes are master-eligible unless node.roles omits master (7.9+) or node.master is false (older). */
function masterEligible(family: Exclude<keyof typeof SYSTEM_SETTINGS, 'kafka' | 'redis'>, config: PodConfig): SystemId | undefined {
  if (family !== 'elasticsearch-master') return family;
  const roles = findSetting(config, { env: ['node.roles'], keys: ['node\\.roles'] });
  if (roles !== undefined) return /master/.test(roles.value) && !/\$/.test(roles.value) ? family : undefined;
  const master = findSetting(config, { env: ['node.master', 'NODE_MASTER'], keys: ['node\\.master'] });
  if (master !== undefined) return master.value.trim() === 'true' ? family : undefined;
  return family;
}
