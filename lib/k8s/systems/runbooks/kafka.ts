/**
 * Kafka docs "KRaft: Controller membership changes" (3.9+: add-controller with the new controller's own config,
 * remove-controller with its id and directory id) and "Decommissioning brokers" / kafka-reassign-partitions.sh
 * (move partitions before a broker goes, then `kafka-cluster.sh unregister`). Every command runs `sh -c` in a pod:
 * the tools are under $KAFKA_HOME/bin, the pod's server.properties at $KAFKA_CONFIG (KafkaKRaftCluster sets both),
 * node.id comes from that file, directory.id from meta.properties in its first log dir, and broker ids from
 * kafka-broker-api-versions.sh, so no step has a placeholder.
 */
import {
  KAFKA_BROKER_PORT, KAFKA_CONFIG_ENV, KAFKA_CONTROLLER_PORT, KAFKA_HOME_ENV,
} from '../kafka';
import type { RunbookStep, SystemRunbook } from '../runbook';

const BIN = `"$${KAFKA_HOME_ENV}"/bin`;
const CONFIG = `"$${KAFKA_CONFIG_ENV}"`;
/** This pod's node.id, from its server.properties. */
const OWN_ID = `$(sed -n 's/^node\\.id=//p' ${CONFIG})`;
/** meta.properties of the pod's first log dir (written by kafka-storage.sh format). */
const META = `"$(sed -n 's/^log\\.dirs=//p' ${CONFIG} | cut -d, -f1)/meta.properties"`;

function sh(pod: string, script: readonly string[], why?: string): RunbookStep {
  return { kind: 'exec', pod, command: ['sh', '-c', script.join('; ')], ...(why === undefined ? {} : { why }) };
}

/**
 * Spread every partition over the registered brokers (without this pod's id when `withoutSelf`): generate a plan
 * for all topics, execute it, wait until --verify reports nothing in progress. Plan files go next to the config
 * (a writable directory; the root filesystem may be read-only).
 */
function reassignAll(bootstrap: string, withoutSelf: boolean): string[] {
  const tool = `${BIN}/kafka-reassign-partitions.sh --bootstrap-server ${bootstrap}`;
  return [
    'set -e',
    `d=$(dirname ${CONFIG})`,
    `until ${BIN}/kafka-broker-api-versions.sh --bootstrap-server ${bootstrap} >/dev/null 2>&1; do sleep 5; done`,
    `brokers=$(${BIN}/kafka-broker-api-versions.sh --bootstrap-server ${bootstrap} | sed -n 's/.*(id: \\([0-9]*\\) rack.*/\\1/p' | sort -n${withoutSelf ? ` | grep -vx "${OWN_ID}"` : ''} | paste -sd, -)`,
    `topics=$(${BIN}/kafka-topics.sh --bootstrap-server ${bootstrap} --list | sed 's/.*/{"topic":"&"}/' | paste -sd, -)`,
    '[ -n "$topics" ] || exit 0',
    `printf '{"version":1,"topics":[%s]}\\n' "$topics" > "$d/topics.json"`,
    `${tool} --generate --topics-to-move-json-file "$d/topics.json" --broker-list "$brokers" | sed -n '/^Proposed/{n;p;}' > "$d/plan.json"`,
    `${tool} --execute --reassignment-json-file "$d/plan.json"`,
    `while ${tool} --verify --reassignment-json-file "$d/plan.json" | grep -q 'in progress'; do sleep 10; done`,
  ];
}

export const kafkaControllerRunbook: SystemRunbook = {
  up: (w) => {
    const quorum = `--bootstrap-controller ${w.anchorFqdn}:${KAFKA_CONTROLLER_PORT}`;
    return [
      {
        kind: 'apply',
        why: `${w.pod} formats its empty log dir with --no-initial-controllers and starts as an observer (dynamic quorum, controller.quorum.bootstrap.servers, Kafka 3.9+)`,
      },
      sh(w.pod, [
        `id=${OWN_ID}`,
        `until ${BIN}/kafka-metadata-quorum.sh ${quorum} describe --replication 2>/dev/null | awk -v id="$id" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "Lag") lag = i } NR > 1 && $1 == id && $lag == 0 { ok = 1 } END { exit !ok }'; do sleep 5; done`,
        `${BIN}/kafka-metadata-quorum.sh --command-config ${CONFIG} ${quorum} add-controller`,
      ], 'once it has caught up (lag 0 in describe --replication), with its own configuration'),
    ];
  },
  down: (w) => [
    sh(w.pod, [
      `meta=${META}`,
      `${BIN}/kafka-metadata-quorum.sh --bootstrap-controller ${w.anchorFqdn}:${KAFKA_CONTROLLER_PORT} remove-controller ` +
        `--controller-id "$(sed -n 's/^node\\.id=//p' "$meta")" --controller-directory-id "$(sed -n 's/^directory\\.id=//p' "$meta")"`,
    ], 'before the pod goes: its id and directory id from its meta.properties'),
    { kind: 'apply', why: `the claims of ${w.pod} must go with it (a removed controller must never restart on its old log)` },
  ],
};

export const kafkaBrokerRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'apply', why: `${w.pod} formats its empty log dir with the cluster id and registers` },
    sh(w.pod, reassignAll(`${w.fqdn}:${KAFKA_BROKER_PORT}`, false), 'spread the partitions over every broker, the new one included'),
  ],
  down: (w) => {
    const offset = w.change.ordinal - w.change.anchorOrdinal;
    return [
      sh(w.pod, reassignAll(`${w.fqdn}:${KAFKA_BROKER_PORT}`, true), `move every partition off ${w.pod} onto the other brokers`),
      { kind: 'manual', text: 'annotate the StatefulSet cdk8s-stateful.io/data-moved: "true" to acknowledge' },
      { kind: 'apply' },
      sh(w.anchor, [
        `${BIN}/kafka-cluster.sh unregister --bootstrap-server ${w.anchorFqdn}:${KAFKA_BROKER_PORT} --id "$((${OWN_ID} + ${offset}))"`,
      ], `unregister ${w.pod} (KRaft): node ids follow the ordinals, so its id is ${w.anchor}'s + ${offset}`),
    ];
  },
};
