/**
 * What Cassandra and its official image define: the environment the image's docker-entrypoint.sh writes into
 * cassandra.yaml (CASSANDRA_SEEDS into seed_provider's `seeds`, CASSANDRA_<KEY> into `<key>`) and into
 * cassandra-rackdc.properties (CASSANDRA_DC, CASSANDRA_RACK), the ports, and the operating rules of the Cassandra
 * docs ("Adding, replacing, moving and removing nodes"): seeds are a few nodes per datacenter, the same list on every
 * node, and a seed never bootstraps.
 */

/** Environment variables of the official `cassandra` image, by the cassandra.yaml key they set. */
export const CASSANDRA_IMAGE_ENV = {
  seeds: 'CASSANDRA_SEEDS',
  cluster_name: 'CASSANDRA_CLUSTER_NAME',
  endpoint_snitch: 'CASSANDRA_ENDPOINT_SNITCH',
  listen_address: 'CASSANDRA_LISTEN_ADDRESS',
  broadcast_address: 'CASSANDRA_BROADCAST_ADDRESS',
  rpc_address: 'CASSANDRA_RPC_ADDRESS',
  broadcast_rpc_address: 'CASSANDRA_BROADCAST_RPC_ADDRESS',
  num_tokens: 'CASSANDRA_NUM_TOKENS',
  /** cassandra-rackdc.properties `dc=` (read by GossipingPropertyFileSnitch). */
  dc: 'CASSANDRA_DC',
  /** cassandra-rackdc.properties `rack=`. */
  rack: 'CASSANDRA_RACK',
} as const;

/** The snitch that reads dc and rack from cassandra-rackdc.properties and gossips them (Cassandra docs, Snitches). */
export const GOSSIPING_SNITCH = 'GossipingPropertyFileSnitch';

export const CASSANDRA_STORAGE_PORT = 7000;
export const CASSANDRA_CQL_PORT = 9042;

/**
 * Seconds a Cassandra pod needs between SIGTERM and SIGKILL: `nodetool drain` flushes every memtable and stops
 * accepting writes, which on a loaded node takes minutes, not the 30 s Kubernetes gives by default.
 */
export const CASSANDRA_MIN_GRACE_SECONDS = 120;

/**
 * The seeds of a datacenter: the first `perRack` ordinals of each rack, in rack order. Every node gets this same
 * list; a node never decides it is a seed by itself.
 */
export function cassandraSeeds<T>(racks: ReadonlyArray<readonly T[]>, perRack: number): T[] {
  return racks.flatMap((nodes) => nodes.slice(0, perRack));
}
