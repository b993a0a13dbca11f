import { App, Chart, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { MongoReplicaSet } from 'cdk8s-stateful';

const app = new App();
const chart = new Chart(app, 'mongo', { namespace: 'db' });

// The key file the members authenticate each other with: `openssl rand -base64 756` (here by hand).
const key = new k8s.KubeSecret(chart, 'key', {
  metadata: { name: 'mongo-keyfile' },
  stringData: { keyfile: 'c2VjcmV0LWtleS1maWxlLWNvbnRlbnQtb2YtYXQtbGVhc3QtNi1jaGFyYWN0ZXJz' },
});

const rs = new MongoReplicaSet(chart, 'mongo', {
  replSet: 'rs0',
  members: 5,
  voters: 5,
  keyFile: { secret: key.name, key: 'keyfile' },
  image: 'mongo:7.0',
  storage: Size.gibibytes(50),
  storageClassName: 'fast-ssd',
});

rs.peers(); // ['mongo-0.mongo.db.svc.cluster.local:27017', ...]
rs.initiateCommand; // run once: kubectl exec -n db mongo-0 -- mongosh --quiet /etc/mongo-init/initiate.js
app.synth();
