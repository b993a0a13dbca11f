/** Kafka "KRaft: controller membership changes" (3.9+) and "Decommissioning brokers" (reassign partitions first). */
import type { SystemRunbook } from '../runbook';

export const kafkaControllerRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'apply', why: 'the new controller starts as an observer (controller.quorum.bootstrap.servers, Kafka 3.9+)' },
    {
      kind: 'manual',
      text: `kubectl exec -n ${w.change.namespace} ${w.anchor} -- kafka-metadata-quorum.sh --bootstrap-controller localhost:9093 add-controller --command-config <${w.pod}'s controller.properties>`,
    },
  ],
  down: (w) => [
    {
      kind: 'manual',
      text: `kubectl exec -n ${w.change.namespace} ${w.anchor} -- kafka-metadata-quorum.sh --bootstrap-controller localhost:9093 remove-controller --controller-id <node.id of ${w.pod}> --controller-directory-id <its directory id>`,
    },
    { kind: 'apply' },
  ],
};

export const kafkaBrokerRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'apply', why: `wait until ${w.pod} registers (kafka-broker-api-versions.sh)` },
    { kind: 'manual', text: 'move partitions onto it: kafka-reassign-partitions.sh --generate with the new broker list, then --execute and --verify' },
  ],
  down: (w) => [
    { kind: 'manual', text: `move every partition off ${w.pod}: kafka-reassign-partitions.sh --generate with a broker list without its id, then --execute and --verify` },
    { kind: 'apply' },
    { kind: 'manual', text: `unregister it (KRaft): kafka-cluster.sh unregister --bootstrap-server <broker> --id <node.id of ${w.pod}>` },
    { kind: 'manual', text: 'annotate the StatefulSet cdk8s-stateful.io/data-moved: "true" to acknowledge' },
  ],
};
