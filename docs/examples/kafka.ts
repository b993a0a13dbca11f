import { App, Chart, Size } from 'cdk8s';
import { KafkaKRaftCluster } from 'cdk8s-stateful';

const app = new App();
const chart = new Chart(app, 'kafka', { namespace: 'streaming' });

const kafka = new KafkaKRaftCluster(chart, 'kafka', {
  // `kafka-storage.sh random-uuid`, once: every node's storage is formatted with it, and it never changes.
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
  controllers: { replicas: 3 },                               // node ids 0, 1, 2
  brokers: { replicas: 3, storage: Size.gibibytes(100) },     // node ids 100, 101, 102
  replicationFactor: 3,
  minInsyncReplicas: 2,                                       // acks=all writes go on while one broker restarts
  properties: { 'auto.create.topics.enable': 'false' },
});

// For your clients: kafka-broker-0.kafka-broker.streaming.svc.cluster.local:9092, ...
console.log(kafka.bootstrapServers.join(','));

app.synth();
