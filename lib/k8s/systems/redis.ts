/**
 * Redis Cluster, as its tutorial and specification describe it (redis.io "Scale with Redis Cluster", "Redis cluster
 * specification"; redis.conf of 7.0): every node serves clients on one port and talks to its peers on the cluster
 * bus, port + 10000; `redis-cli --cluster create` forms the cluster once, `add-node` / `rebalance` / `del-node`
 * change it. The shell scripts below are what the blueprint's creation Job and the runbook run, written once so
 * that a pasted runbook step, the Job and the real-server test run the same text (the runbook's on one line). Each
 * is idempotent. They use only `sh`, `redis-cli`, `grep`, `sed`, `awk`, `tr`, `sort` and `wc` (all in the official
 * image and in Debian's redis-tools).
 */

/** The client port every node listens on. */
export const REDIS_PORT = 6379;
/** The cluster bus port is the client port + 10000 unless `cluster-port` says otherwise. */
export const REDIS_BUS_PORT = REDIS_PORT + 10000;
/** Hash slots of a Redis Cluster (CRC16(key) mod 16384). */
export const REDIS_HASH_SLOTS = 16384;

/** How long the scripts wait for a node to answer or for the nodes to agree, in one-second steps. */
const WAIT_SECONDS = 300;

/**
 * Shell functions the scripts share: `w CONDITION` waits until a shell condition holds (at most WAIT_SECONDS),
 * `known HOST` prints cluster_known_nodes (1: a fresh node in no cluster), `agree HOST` holds when every node HOST
 * lists knows as many nodes as every other, that is when gossip has spread a join: moving a slot to a node one
 * master has not heard of fails ("ERR Unknown node"), and so does CLUSTER FORGET of such a node. redis-cli's
 * default port is REDIS_PORT.
 */
const WAIT = `w() { i=0; until eval "$1"; do i=$((i+1)); [ $i -lt ${WAIT_SECONDS} ] || { echo "gave up after ${WAIT_SECONDS} s: $1" >&2; exit 1; }; sleep 1; done; }`;
const KNOWN = 'known() { redis-cli -h "$1" cluster info | tr -d "\\r" | sed -n "s/^cluster_known_nodes://p"; }';
const AGREE = `agree() { [ "$(for a in $(redis-cli -h "$1" cluster nodes | awk '$3 !~ /fail|handshake|noaddr/ { split($2, a, "@"); sub(/:[0-9]+$/, "", a[1]); print a[1] }'); do known "$a"; done | sort -u | wc -l)" -eq 1 ]; }`;

function answers(host: string): string {
  return `w "redis-cli -h ${host} ping 2>/dev/null | grep -q PONG"`;
}

/**
 * Forms the cluster from fresh nodes: the first `masters` hosts become masters, the rest their replicas
 * (`--cluster-replicas`). When any node already knows another, the cluster exists and the script does nothing.
 */
export function redisCreateScript(hosts: readonly string[], replicasPerMaster: number): string {
  const list = hosts.join(' ');
  return [
    WAIT,
    KNOWN,
    `for h in ${list}; do ${answers('$h')}; done`,
    `for h in ${list}; do k=$(known $h); case "$k" in 1) ;; ''|*[!0-9]*) echo "cannot read cluster_known_nodes of $h" >&2; exit 1;; ` +
      `*) echo "$h already knows $k nodes: the cluster exists, nothing to do"; exit 0;; esac; done`,
    `redis-cli --cluster create ${hosts.map((h) => `${h}:${REDIS_PORT}`).join(' ')} --cluster-replicas ${replicasPerMaster} --cluster-yes`,
  ].join('\n');
}

/**
 * Adds the fresh node `host` through `anchor`: as a replica of the master with the fewest replicas while some
 * master has fewer than another, otherwise as a master that takes its share of the slots once every node knows it
 * (`rebalance --cluster-use-empty-masters`). Adding a master and then its replicas one node at a time gives every
 * master the same number of replicas again. Run again, it adds nothing and rebalances only what is unbalanced.
 */
export function redisAddNodeScript(host: string, anchor: string): string {
  const role =
    `$3 ~ /master/ && $3 !~ /fail/ && NF > 8 { m[$1] = 0 } $3 ~ /slave/ { r[$4]++ } ` +
    `END { for (id in m) { c = r[id] + 0; if (min == "" || c < min) min = c; if (c > max) max = c } print (min < max) ? "replica" : "master" }`;
  return [
    WAIT,
    KNOWN,
    AGREE,
    answers(host),
    `if [ "$(known ${host})" = 1 ]; then role=$(redis-cli -h ${anchor} cluster nodes | awk '${role}'); echo "adding ${host} as a $role"; ` +
      `flag=; [ "$role" = replica ] && flag=--cluster-slave; ` +
      `redis-cli --cluster add-node ${host}:${REDIS_PORT} ${anchor}:${REDIS_PORT} $flag || exit 1; fi`,
    `id=$(redis-cli -h ${host} cluster myid | tr -d "\\r")`,
    // A node that has not yet seen every slot served reports CLUSTERDOWN, and keys migrated to it fail.
    `w "redis-cli -h ${anchor} cluster nodes | grep -q ^$id && agree ${anchor} && redis-cli -h ${host} cluster info | grep -q ^cluster_state:ok"`,
    `if redis-cli -h ${host} cluster nodes | grep -q myself,master; then redis-cli --cluster rebalance ${anchor}:${REDIS_PORT} --cluster-use-empty-masters || exit 1; fi`,
    // Slots moved by rebalance reach every node's view by gossip: wait until they all agree.
    `w "redis-cli --cluster check ${anchor}:${REDIS_PORT} >/dev/null 2>&1"`,
  ].join('; ');
}

/**
 * Removes the node `host` through `anchor` while it still runs: once every node knows it, its slots go to the
 * other masters (`rebalance --cluster-weight <id>=0`), then `del-node` makes every node forget it and resets it
 * (CLUSTER RESET SOFT), so a pod that comes back on the same claim starts as a fresh node. Run again, it finds the
 * node forgotten and does nothing.
 */
export function redisRemoveNodeScript(host: string, anchor: string): string {
  return [
    WAIT,
    KNOWN,
    AGREE,
    answers(host),
    `id=$(redis-cli -h ${host} cluster myid | tr -d "\\r")`,
    `redis-cli -h ${anchor} cluster nodes | grep -q "^$id" || { echo "${host} ($id) is no member: nothing to do"; exit 0; }`,
    `w "agree ${anchor}"`,
    `if redis-cli -h ${anchor} cluster nodes | grep "^$id" | grep -q " connected [0-9]"; then redis-cli --cluster rebalance ${anchor}:${REDIS_PORT} --cluster-weight "$id=0" || exit 1; fi`,
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
