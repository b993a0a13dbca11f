import { App, Chart, Size } from 'cdk8s';
import { RabbitMQCluster } from 'cdk8s-stateful';

// One revision per size: RABBITMQ_NODES=4 synthesizes the cluster grown by one node.
const nodes = Number(process.env.RABBITMQ_NODES ?? 3);
// Set when the queues of the node a shrink removes have moved (see the runbook below).
const dataMoved = process.env.RABBITMQ_DATA_MOVED === 'true';

const app = new App();
const chart = new Chart(app, 'rabbitmq', { namespace: 'messaging' });

const rabbitmq = new RabbitMQCluster(chart, 'rabbitmq', {
  nodes,
  // The Erlang cookie every node and CLI tool shares; create the Secret once, outside the chart:
  // kubectl create secret generic rabbitmq-erlang-cookie --from-literal=.erlang.cookie="$(openssl rand -hex 32)"
  erlangCookie: { secret: 'rabbitmq-erlang-cookie' },
  image: 'rabbitmq:3.10',
  storage: { size: Size.gibibytes(20), storageClassName: 'fast-ssd' },
  config: { 'vm_memory_high_watermark.relative': '0.6' },
});
// Tells `cdk8s-stateful diff` the queues of the removed node have moved, so that a shrink is no longer an error.
if (dataMoved) rabbitmq.app.statefulSet.metadata.addAnnotation('cdk8s-stateful.io/data-moved', 'true');

// Clients connect to any node: amqp://rabbitmq-0.rabbitmq.messaging.svc.cluster.local:5672,...
console.log(`nodes: ${rabbitmq.peers().join(',')} (quorum queues need ${rabbitmq.quorum}, tolerate ${rabbitmq.faultTolerance} lost)`);

app.synth();
