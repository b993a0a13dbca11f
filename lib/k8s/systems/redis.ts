/**
 * Redis Cluster, as its tutorial and specification describe it (redis.io "Scale with Redis Cluster", "Redis cluster
 * specification"; redis.conf of 7.0): every node serves clients on one port and talks to its peers on the cluster
 * bus, port + 10000; `redis-cli --cluster create` forms the cluster once, `add-node` / `rebalance` / `del-node`
 * change it. The shell scripts below are what the blueprint's creation Job and the runbook run, written once so
 * that a pasted runbook step, the Job and the real-server test run the same text (the runbook's on one line). Each is idempotent: run again, it
 * finds the work done and exits 0. They use only `sh`, `redis-cli`, `grep`, `sed`, `awk`, `tr`, `sort` and `wc` (all in the
 * official image and in Debian's redis-tools).
 */

/** The client port every node listens on. */
export const REDIS_PORT = 6379;
/** The cluster bus port is the client port + 10000 unless `cluster-port` says otherwise. */
export const REDIS_BUS_PORT = REDIS_PORT + 10000;
/** Hash slots of a Redis Cluster (CRC16(key) mod 16384). */
export const REDIS_HASH_SLOTS = 16384;

/** How long the scripts wait for a node (PING) or for the nodes to agree, in one-second steps. */
const WAIT_SECONDS = 300;

/** `redis-cli -h "<host>" -p 6379 <args>`; `host` may be a shell variable (`$h`). */
function cli(host: string, args: string): string {
  return `redis-cli -h "${host}" -p ${REDIS_PORT} ${args}`;
}

/** Waits until `host` answers PING. */
function waitForPing(host: string): string {
  return `n=0; until ${cli(host, 'ping')} 2>/dev/null | grep -q PONG; do n=$((n+1)); ` +
    `[ $n -lt ${WAIT_SECONDS} ] || { echo "${host}:${REDIS_PORT} does not answer PING" >&2; exit 1; }; sleep 1; done`;
}

/** Sets `known` to the cluster_known_nodes of `host` (1: a fresh node that belongs to no cluster). */
function knownNodes(host: string): string {
  return `known=$(${cli(host, 'cluster info')} | tr -d '\\r' | sed -n 's/^cluster_known_nodes://p'); ` +
    `case "$known" in ''|*[!0-9]*) echo "cannot read cluster_known_nodes from ${host}" >&2; exit 1;; esac`;
}

/**
 * Waits until every node `anchor` lists knows as many nodes as every other (gossip has spread a join), so that
 * `del-node`'s CLUSTER FORGET reaches no node that never heard of the leaving one.
 */
function waitForAgreement(anchor: string): string {
  const addresses = `${cli(anchor, 'cluster nodes')} | awk '$3 !~ /fail|handshake|noaddr/ { split($2, a, "@"); print a[1] }'`;
  const counts = `for a in $(${addresses}); do ${cli('${a%:*}', 'cluster info')} | tr -d '\r' | sed -n 's/^cluster_known_nodes://p'; done | sort -u | wc -l`;
  return `n=0; until [ "$(${counts})" -eq 1 ]; do n=$((n+1)); ` +
    `[ $n -lt ${WAIT_SECONDS} ] || { echo "the nodes do not agree on the members of the cluster" >&2; exit 1; }; sleep 1; done`;
}

/**
 * Forms the cluster from fresh nodes: the first `masters` hosts become masters, the rest their replicas
 * (`--cluster-replicas`). When any node already knows another, the cluster exists and the script does nothing.
 */
export function redisCreateScript(hosts: readonly string[], replicasPerMaster: number): string {
  return [
    `hosts="${hosts.join(' ')}"`,
    `for h in $hosts; do ${waitForPing('$h')}; done`,
    `for h in $hosts; do ${knownNodes('$h')}; if [ "$known" != 1 ]; then echo "$h already knows $known nodes: the cluster exists, nothing to do"; exit 0; fi; done`,
    `redis-cli --cluster create ${hosts.map((h) => `${h}:${REDIS_PORT}`).join(' ')} --cluster-replicas ${replicasPerMaster} --cluster-yes`,
  ].join('\n');
}

/**
 * Adds the fresh node `host` through `anchor`: as a replica of the master with the fewest replicas while some
 * master has fewer than another, otherwise as a master that then takes its share of the slots (`rebalance
 * --cluster-use-empty-masters`). Adding a master and then its replicas one node at a time therefore gives every
 * master the same number of replicas again.
 */
export function redisAddNodeScript(host: string, anchor: string): string {
  const replicaOrMaster =
    `$3 ~ /master/ && $3 !~ /fail/ && NF > 8 { m[$1] = 0 } $3 ~ /slave/ { r[$4]++ } ` +
    `END { min = -1; max = 0; for (id in m) { c = r[id] + 0; if (min < 0 || c < min) min = c; if (c > max) max = c } print (min < max) ? "replica" : "master" }`;
  const add = `redis-cli --cluster add-node ${host}:${REDIS_PORT} ${anchor}:${REDIS_PORT}`;
  return [
    waitForPing(host),
    knownNodes(host),
    `if [ "$known" = 1 ]; then role=$(${cli(anchor, 'cluster nodes')} | awk '${replicaOrMaster}'); echo "adding ${host} as a $role"; ` +
      `if [ "$role" = replica ]; then ${add} --cluster-slave || exit 1; else ${add} || exit 1; fi; ` +
      `else echo "${host} already belongs to a cluster of $known nodes"; fi`,
    `id=$(${cli(host, 'cluster myid')} | tr -d '\\r')`,
    // add-node returns once MEET is sent: a slot moved to a node another master does not know yet fails.
    `n=0; until ${cli(anchor, 'cluster nodes')} | grep -q "^$id "; do n=$((n+1)); ` +
      `[ $n -lt ${WAIT_SECONDS} ] || { echo "${anchor} does not see ${host} join" >&2; exit 1; }; sleep 1; done`,
    waitForAgreement(anchor),
    // A master (new, or left without slots by an interrupted run) takes its share; rebalance is a no-op when balanced.
    `if ${cli(host, 'cluster nodes')} | grep -q 'myself,master'; then ` +
      `redis-cli --cluster rebalance ${anchor}:${REDIS_PORT} --cluster-use-empty-masters || ` +
      `{ echo "rebalancing failed: run redis-cli --cluster fix ${anchor}:${REDIS_PORT}, then this step again" >&2; exit 1; }; ` +
      `${cli(anchor, 'cluster nodes')} | awk -v id="$id" '$1 == id && NF > 8 { found = 1 } END { exit !found }' || ` +
      `{ echo "${host} took no slots" >&2; exit 1; }; fi`,
    `redis-cli --cluster check ${anchor}:${REDIS_PORT} >/dev/null`,
  ].join('; ');
}

/**
 * Removes the node `host` through `anchor` while it still runs: its slots first go to the other masters
 * (`rebalance --cluster-weight <id>=0`), then `del-node` makes every node forget it and resets it (CLUSTER RESET
 * SOFT), so a pod that comes back on the same claim starts as a fresh node.
 */
export function redisRemoveNodeScript(host: string, anchor: string): string {
  return [
    waitForPing(host),
    `id=$(${cli(host, 'cluster myid')} | tr -d '\\r')`,
    `${cli(anchor, 'cluster nodes')} | grep -q "^$id " || { echo "${host} ($id) is no member: nothing to do"; exit 0; }`,
    waitForAgreement(anchor),
    `if ${cli(anchor, 'cluster nodes')} | awk -v id="$id" '$1 == id && NF > 8 { found = 1 } END { exit !found }'; ` +
      `then redis-cli --cluster rebalance ${anchor}:${REDIS_PORT} --cluster-weight "$id=0" || exit 1; fi`,
    `redis-cli --cluster del-node ${anchor}:${REDIS_PORT} "$id"`,
  ].join('; ');
}

/**
 * Liveness: the local server answers, PONG or, while it loads its data set, LOADING (a liveness probe that fails
 * during a long AOF load restarts the load for ever). `$POD_IP` comes from the container's environment: the server
 * listens on the pod IP only.
 */
export const REDIS_LIVENESS_COMMAND: readonly string[] = [
  'sh', '-c', `redis-cli -h "$POD_IP" -p ${REDIS_PORT} ping | grep -qE 'PONG|LOADING'`,
];

/**
 * Readiness: the node sees the cluster as ok (every slot served, a majority of masters reachable) and, when it is a
 * replica, its link to its master is up, so a rolling update waits for a restarted node to resync.
 */
export const REDIS_READINESS_COMMAND: readonly string[] = [
  'sh', '-c',
  `redis-cli -h "$POD_IP" -p ${REDIS_PORT} cluster info | grep -q '^cluster_state:ok' && ` +
    `{ r=$(redis-cli -h "$POD_IP" -p ${REDIS_PORT} info replication); ` +
    `echo "$r" | grep -q '^role:master' || echo "$r" | grep -q '^master_link_status:up'; }`,
];
