import { App, Chart, Size } from 'cdk8s';
import { EtcdCluster } from 'cdk8s-stateful';

// One revision per size: ETCD_MEMBERS=4 synthesizes the step from 3 to 5 members.
const members = Number(process.env.ETCD_MEMBERS ?? 3);

const app = new App();
const chart = new Chart(app, 'etcd', { namespace: 'etcd' });

const etcd = new EtcdCluster(chart, 'etcd', {
  members,
  // The size of the first install; it stays when members changes, so pods beyond it join the running cluster.
  bootstrapMembers: 3,
  // 4 members tolerate one lost member, as 3 do: only as the step between 3 and 5.
  allowEvenMembers: members === 4,
  version: '3.5.16',
  data: { size: Size.gibibytes(8), storageClassName: 'fast-ssd' },
  wal: { size: Size.gibibytes(2), storageClassName: 'fast-ssd' },
});

// Clients find every member by its stable name: http://etcd-0.etcd.etcd.svc.cluster.local:2379,...
console.log(`endpoints: ${etcd.clientEndpoints.join(',')} (quorum ${etcd.quorum}, tolerates ${etcd.faultTolerance} lost)`);

app.synth();
