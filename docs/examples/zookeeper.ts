import { App, Chart, Size } from 'cdk8s';
import { ZooKeeperEnsemble } from 'cdk8s-stateful';

const app = new App();
const chart = new Chart(app, 'zookeeper', { namespace: 'coordination' });

// The super user's password and its digest live in a Secret you create (reconfig needs the super user):
//   kubectl -n coordination create secret generic zk-super --from-literal=password="$PW" \
//     --from-literal=digest="super:$(printf 'super:%s' "$PW" | openssl dgst -binary -sha1 | base64)"
const zk = new ZooKeeperEnsemble(chart, 'zk', {
  servers: 3, // voting servers: a quorum of 2, one may fail
  observers: 1, // zk-3: serves reads, does not vote
  reconfigEnabled: true, // membership changes live with zkCli.sh reconfig -add/-remove
  superUser: { secret: 'zk-super' },
  heap: Size.mebibytes(512),
  storage: Size.gibibytes(20),
  storageClassName: 'fast-ssd',
  settings: { maxClientCnxns: '120' },
});

zk.serverLines;   // ['server.1=zk-0.zk.coordination.svc.cluster.local:2888:3888:participant;zk-0.zk.coordination.svc.cluster.local:2181', ...]
zk.connectString; // 'zk-0.zk.coordination.svc.cluster.local:2181,...' for clients
zk.quorum;        // 2

app.synth();
