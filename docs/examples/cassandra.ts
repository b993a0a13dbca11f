import { App, Chart, Size } from 'cdk8s';
import { CassandraDatacenter } from 'cdk8s-stateful';

const app = new App();
const chart = new Chart(app, 'cassandra', { namespace: 'orders' });

const dc = new CassandraDatacenter(chart, 'cassandra', {
  clusterName: 'Orders',
  datacenter: 'eu-west',
  // One StatefulSet per rack, each pinned to its zone: cassandra-r1, cassandra-r2, cassandra-r3.
  racks: [
    { name: 'r1', replicas: 2, zone: 'eu-west-1a' },
    { name: 'r2', replicas: 2, zone: 'eu-west-1b' },
    { name: 'r3', replicas: 2, zone: 'eu-west-1c' },
  ],
  replicationFactor: 3, // of your keyspaces in this datacenter (NetworkTopologyStrategy)
  storage: Size.gibibytes(200),
});

// Seeds (the same on every node): cassandra-r1-0..., cassandra-r2-0..., cassandra-r3-0...
console.log(dc.seeds.join(','));

app.synth();
