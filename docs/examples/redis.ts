import { App, Chart, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { RedisCluster } from 'cdk8s-stateful';

const app = new App();
const chart = new Chart(app, 'redis', { namespace: 'cache' });

// The password of the default user (created by your secret manager; here by hand).
const auth = new k8s.KubeSecret(chart, 'auth', {
  metadata: { name: 'redis-auth' },
  stringData: { password: 'change-me' },
});

const redis = new RedisCluster(chart, 'redis', {
  masters: 3,
  replicasPerMaster: 1,
  image: 'redis:7.0.15',
  password: { secret: auth.name, key: 'password' },
  storage: Size.gibibytes(20),
  storageClassName: 'fast-ssd',
  settings: { maxmemory: '1gb', 'maxmemory-policy': 'allkeys-lru' },
  resources: {
    cpu: { request: Cpu.millis(500), limit: Cpu.units(1) },
    memory: { request: Size.gibibytes(1), limit: Size.mebibytes(1536) },
  },
});

redis.peers(); // ['redis-0.redis.cache.svc.cluster.local:6379', ... 'redis-5...:6379']
redis.quorum; // 2 of the 3 masters must be reachable for a failover
app.synth();
