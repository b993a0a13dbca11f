/**
 * What Kafka in KRaft mode defines (Kafka docs "KRaft": Configuration, Provisioning Nodes, Controller membership
 * changes; org.apache.kafka.common.Uuid): the quorum settings, the id formats, the ports and listener names the
 * KafkaKRaftCluster blueprint writes, and the environment its pods carry so that runbook commands can find the
 * tools and the configuration.
 */
import { findSetting, isDynamic, type PodConfig, type SettingSpec } from './config';

/** Static quorum (`controller.quorum.voters`, `id@host:port,...`): the voter set is fixed when storage is formatted. */
export const KRAFT_VOTERS: SettingSpec = {
  env: ['KAFKA_CFG_CONTROLLER_QUORUM_VOTERS', 'KAFKA_CONTROLLER_QUORUM_VOTERS'],
  keys: ['controller\\.quorum\\.voters'],
};

/** Dynamic quorum (KIP-853, Kafka 3.9+): `controller.quorum.bootstrap.servers`, `host:port,...`. */
export const KRAFT_BOOTSTRAP_SERVERS: SettingSpec = {
  env: ['KAFKA_CFG_CONTROLLER_QUORUM_BOOTSTRAP_SERVERS', 'KAFKA_CONTROLLER_QUORUM_BOOTSTRAP_SERVERS'],
  keys: ['controller\\.quorum\\.bootstrap\\.servers'],
};

export type KRaftQuorumMode = 'static' | 'dynamic';

/**
 * Whether a KRaft node uses a static or a dynamic controller quorum. The docs: a dynamic quorum must not set
 * controller.quorum.voters, so the voters setting decides when both are present.
 */
export function kraftQuorumMode(config: PodConfig): KRaftQuorumMode | undefined {
  if (findSetting(config, KRAFT_VOTERS) !== undefined) return 'static';
  return findSetting(config, KRAFT_BOOTSTRAP_SERVERS) !== undefined ? 'dynamic' : undefined;
}

/** Ports and listener names of the blueprint (the Kafka docs' examples use the same). */
export const KAFKA_BROKER_PORT = 9092;
export const KAFKA_CONTROLLER_PORT = 9093;
export const KAFKA_CONTROLLER_LISTENER = 'CONTROLLER';
export const KAFKA_BROKER_LISTENER = 'PLAINTEXT';

/**
 * Environment of every KafkaKRaftCluster container: the Kafka installation (its bin/ holds the tools) and the
 * generated server.properties. Runbook commands run `sh -c` in a pod and read both, so they need no placeholder.
 */
export const KAFKA_HOME_ENV = 'KAFKA_HOME';
export const KAFKA_CONFIG_ENV = 'KAFKA_CONFIG';

/** The largest node.id: a Java int. */
export const KAFKA_MAX_NODE_ID = 2 ** 31 - 1;

/**
 * Why a string is not a Kafka Uuid as `kafka-storage.sh format --cluster-id` and directory ids need it
 * (Uuid.fromString: URL-safe base64 of 16 bytes; random ids are never all zeros or 1, and never start with '-',
 * which a command line would read as an option), or '' when it is one.
 */
export function kafkaUuidProblem(value: string): string {
  if (!/^[A-Za-z0-9_-]{22}$/.test(value)) {
    return 'is not a Kafka Uuid: 22 characters of URL-safe base64 (A-Z, a-z, 0-9, "-", "_") encoding 16 bytes, ' +
      'as "kafka-storage.sh random-uuid" prints';
  }
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== 16 || bytes.toString('base64url') !== value) {
    return 'does not decode to exactly 16 bytes (its last character carries bits beyond the 128 of a Uuid)';
  }
  if (bytes.subarray(0, 15).every((b) => b === 0) && bytes[15] <= 1) return 'is a reserved Uuid (0 or 1)';
  if (value.startsWith('-')) return 'starts with "-", which kafka-storage.sh reads as an option';
  return '';
}

/**
 * A directory id for a controller of a dynamic quorum, derived from the cluster id and node id so that every
 * controller formats with the same `--initial-controllers` list (Kafka docs "Bootstrap with Multiple Controllers":
 * the list must be the same on all of them). A version-4-shaped Uuid that passes kafkaUuidProblem.
 */
export function kraftDirectoryId(clusterId: string, nodeId: number): string {
  // Loaded here, not with the module: loading node:crypto is ~10 ms of every lint's cold start, and lint never hashes.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  for (let salt = 0; ; salt += 1) {
    const bytes = createHash('sha256').update(`${clusterId}/${nodeId}/${salt}`).digest().subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const id = bytes.toString('base64url');
    if (kafkaUuidProblem(id) === '') return id;
  }
}

export interface InitialController {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly directoryId: string;
}

/** `kafka-storage.sh format --initial-controllers`: `id@host:port:directoryId,...` (Kafka docs, KRaft). */
export function formatInitialControllers(controllers: readonly InitialController[]): string {
  return controllers.map((c) => `${c.id}@${c.host}:${c.port}:${c.directoryId}`).join(',');
}

/** The reverse of formatInitialControllers; undefined for text that is not exactly that format. */
export function parseInitialControllers(value: string): InitialController[] | undefined {
  if (isDynamic(value)) return undefined;
  const entries = value.split(',');
  const parsed: InitialController[] = [];
  for (const entry of entries) {
    const match = /^(\d+)@([^:@\s]+):(\d+):([A-Za-z0-9_-]{22})$/.exec(entry);
    if (match === null) return undefined;
    parsed.push({ id: Number(match[1]), host: match[2], port: Number(match[3]), directoryId: match[4] });
  }
  return parsed;
}
