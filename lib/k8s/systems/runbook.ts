/**
 * The membership commands a change of size needs, in order, per system: what an operator would run. Sources: etcd
 * "Runtime reconfiguration" (member add --learner, promote, remove), ZooKeeper Administrator's Guide (static
 * ensembles need a rolling restart; 3.5+ `reconfig`), MongoDB manual (rs.add / rs.remove on the primary),
 * Cassandra "Adding/Removing nodes" (one node at a time, decommission, cleanup), RabbitMQ "Clustering" and
 * "Quorum queues" (shrink/grow, forget_cluster_node), Kafka "Decommissioning brokers" (reassign partitions) and
 * "KRaft: controller membership changes", Elasticsearch "Voting configuration exclusions".
 */
import { podFqdn, podName } from '../names';
import type { SystemId } from './identify';

export interface MemberChange {
  readonly system: SystemId;
  readonly statefulSet: string;
  readonly serviceName: string;
  readonly namespace: string;
  /** The pod that comes (scale-up) or goes (scale-down). */
  readonly ordinal: number;
  readonly direction: 'up' | 'down';
  /** Any existing member to run commands on. */
  readonly anchorOrdinal: number;
}

/** The steps for adding or removing one member, numbered, as one line each. */
export function runbook(change: MemberChange): string[] {
  const { statefulSet: sts, namespace: ns, ordinal, anchorOrdinal } = change;
  const pod = podName(sts, ordinal);
  const fqdn = podFqdn(sts, ordinal, change.serviceName, ns);
  const exec = `kubectl exec -n ${ns} ${podName(sts, anchorOrdinal)} --`;
  const apply = `apply the new revision (replicas ${change.direction === 'up' ? 'raised' : 'lowered'} by one)`;
  const steps = change.direction === 'up' ? UP[change.system] : DOWN[change.system];
  return steps({ pod, fqdn, exec, apply, ns, sts });
}

interface Words {
  readonly pod: string;
  readonly fqdn: string;
  readonly exec: string;
  readonly apply: string;
  readonly ns: string;
  readonly sts: string;
}

const UP: Readonly<Record<SystemId, (w: Words) => string[]>> = {
  etcd: (w) => [
    `${w.exec} etcdctl member add ${w.pod} --learner --peer-urls=http://${w.fqdn}:2380`,
    `${w.apply}; ${w.pod} must start with initial-cluster-state existing and the member list etcdctl printed`,
    `${w.exec} etcdctl member promote <id of ${w.pod} from etcdctl member list> once it has caught up`,
  ],
  zookeeper: (w) => [
    `${w.apply} with ${w.pod} in every server's server.N list`,
    'restart the existing servers one at a time (followers first, the leader last), each time waiting until ' +
      '"echo srvr | nc localhost 2181" shows it as follower or leader; or with reconfigEnabled: ' +
      `${w.exec} zkCli.sh reconfig -add "server.<id>=${w.fqdn}:2888:3888;2181"`,
  ],
  'kafka-controller': (w) => [
    `${w.apply}; the new controller starts as an observer (controller.quorum.bootstrap.servers, Kafka 3.9+)`,
    `${w.exec} kafka-metadata-quorum.sh --bootstrap-controller localhost:9093 add-controller --command-config <${w.pod}'s controller.properties>`,
  ],
  'kafka-broker': (w) => [
    `${w.apply} and wait until ${w.pod} registers (kafka-broker-api-versions.sh)`,
    'move partitions onto it: kafka-reassign-partitions.sh --generate with the new broker list, then --execute and --verify',
  ],
  mongodb: (w) => [
    w.apply,
    `on the primary: ${w.exec} mongosh --eval 'rs.add("${w.fqdn}:27017")'`,
  ],
  cassandra: (w) => [
    `${w.apply} (one node at a time, auto_bootstrap on, the node not in its own seed list)`,
    `wait until ${w.pod} shows UN in ${w.exec} nodetool status`,
    'run nodetool cleanup on every other node, one at a time',
  ],
  rabbitmq: (w) => [
    `${w.apply}; ${w.pod} joins through peer discovery`,
    `${w.exec} rabbitmq-queues grow rabbit@${w.fqdn} all  (add quorum-queue replicas on the new node)`,
  ],
  'elasticsearch-master': (w) => [
    `${w.apply}; the new master-eligible node joins through discovery.seed_hosts (never change cluster.initial_master_nodes of a formed cluster)`,
  ],
};

const DOWN: Readonly<Record<SystemId, (w: Words) => string[]>> = {
  etcd: (w) => [
    `${w.exec} etcdctl member remove <id of ${w.pod} from etcdctl member list>`,
    w.apply,
    `delete the claims of ${w.pod} (a removed member must never restart on its old data)`,
  ],
  zookeeper: (w) => [
    `with reconfigEnabled: ${w.exec} zkCli.sh reconfig -remove <id of ${w.pod}>; otherwise ${w.apply} without ${w.pod} in server.N`,
    `restart the remaining servers one at a time (followers first, the leader last), waiting for each to rejoin`,
  ],
  'kafka-controller': (w) => [
    `${w.exec} kafka-metadata-quorum.sh --bootstrap-controller localhost:9093 remove-controller --controller-id <node.id of ${w.pod}> --controller-directory-id <its directory id>`,
    w.apply,
  ],
  'kafka-broker': (w) => [
    `move every partition off ${w.pod}: kafka-reassign-partitions.sh --generate with a broker list without its id, then --execute and --verify`,
    w.apply,
    `unregister it (KRaft): kafka-cluster.sh unregister --bootstrap-server <broker> --id <node.id of ${w.pod}>`,
    `annotate the StatefulSet cdk8s-stateful.io/data-moved: "true" to acknowledge`,
  ],
  mongodb: (w) => [
    `on the primary: ${w.exec} mongosh --eval 'rs.remove("${w.fqdn}:27017")'`,
    w.apply,
  ],
  cassandra: (w) => [
    `kubectl exec -n ${w.ns} ${w.pod} -- nodetool decommission  (streams its ranges to the others; wait until it ends)`,
    w.apply,
    `annotate the StatefulSet cdk8s-stateful.io/data-moved: "true" to acknowledge`,
  ],
  rabbitmq: (w) => [
    `kubectl exec -n ${w.ns} ${w.pod} -- rabbitmq-queues shrink rabbit@${w.fqdn}  (move quorum-queue replicas off it; classic queues on it must be drained first)`,
    w.apply,
    `${w.exec} rabbitmqctl forget_cluster_node rabbit@${w.fqdn}`,
    `annotate the StatefulSet cdk8s-stateful.io/data-moved: "true" to acknowledge`,
  ],
  'elasticsearch-master': (w) => [
    `${w.exec} curl -X POST 'localhost:9200/_cluster/voting_config_exclusions?node_names=${w.pod}'`,
    w.apply,
    `${w.exec} curl -X DELETE 'localhost:9200/_cluster/voting_config_exclusions'`,
  ],
};
