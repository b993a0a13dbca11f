import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../bench/corpus';
import { loadText } from '../../../lib/load/load';
import type { Manifest } from '../../../lib/core/types';
import {
  disruptionArithmetic,
  expandKubeletVars,
  faultTolerance,
  findPeerNames,
  findSetting,
  identifySystem,
  imageRepository,
  majority,
  parseEtcdInitialCluster,
  parseHostList,
  parseKRaftVoters,
  parseMongoInitiateHosts,
  parseZooKeeperServers,
  podConfig,
  readIntOrPercent,
  scaledValue,
} from '../../../lib/k8s/systems';

function manifests(yaml: string): Manifest[] {
  return [...loadText(yaml, 'test.yaml').manifests];
}

function identify(yaml: string) {
  const all = manifests(yaml);
  const sts = all.find((m) => m.object.kind === 'StatefulSet');
  assert.ok(sts);
  const lookup = (name: string) => all.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata?.name === name);
  return identifySystem(sts, lookup);
}

function sts(container: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
${extra}spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
${container}`;
}

describe('quorum', () => {
  it('is a majority of the voting members', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 7].map(majority), [0, 1, 2, 2, 3, 3, 4]);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 7].map(faultTolerance), [0, 0, 0, 1, 1, 2, 3]);
  });
});

describe('disruption arithmetic (pkg/controller/disruption)', () => {
  it('rounds percentages up as GetScaledValueFromIntOrPercent(roundUp=true)', () => {
    assert.equal(scaledValue({ kind: 'percent', value: 51, text: '51%' }, 1, true), 1);
    assert.equal(scaledValue({ kind: 'percent', value: 50, text: '50%' }, 3, true), 2);
    assert.equal(scaledValue({ kind: 'percent', value: 50, text: '50%' }, 3, false), 1);
    assert.equal(scaledValue({ kind: 'int', value: 4 }, 3, true), 4);
  });
  it('reads int-or-percent values tolerantly', () => {
    assert.deepEqual(readIntOrPercent(2), { kind: 'int', value: 2 });
    assert.deepEqual(readIntOrPercent('25%'), { kind: 'percent', value: 25, text: '25%' });
    assert.equal(readIntOrPercent('two'), undefined);
    assert.equal(readIntOrPercent(-1), undefined);
  });
  it('computes desiredHealthy and disruptionsAllowed for every budget shape', () => {
    const minPct = disruptionArithmetic({ minAvailable: readIntOrPercent('51%') }, 1);
    assert.deepEqual([minPct?.desiredHealthy, minPct?.allowed], [1, 0]);
    assert.equal(minPct?.explanation, 'minAvailable 51% of 1 pod = 1 (rounded up)');
    const maxPct = disruptionArithmetic({ maxUnavailable: readIntOrPercent('50%') }, 3);
    assert.deepEqual([maxPct?.desiredHealthy, maxPct?.allowed], [1, 2]);
    const minInt = disruptionArithmetic({ minAvailable: readIntOrPercent(2) }, 3);
    assert.deepEqual([minInt?.desiredHealthy, minInt?.allowed], [2, 1]);
    const maxZero = disruptionArithmetic({ maxUnavailable: readIntOrPercent(0) }, 5);
    assert.deepEqual([maxZero?.desiredHealthy, maxZero?.allowed], [5, 0]);
    const tooMany = disruptionArithmetic({ maxUnavailable: readIntOrPercent(9) }, 3);
    assert.deepEqual([tooMany?.desiredHealthy, tooMany?.allowed], [0, 3]);
    assert.equal(disruptionArithmetic({}, 3), undefined);
    assert.equal(disruptionArithmetic({ minAvailable: readIntOrPercent(1) }, 0)?.allowed, 0);
  });
});

describe('peer DNS names', () => {
  it('parses <sts>-<i>.<svc>[.<ns>[.svc[.<domain>]]] of known StatefulSets only', () => {
    const text = 'a=http://etcd-0.etcd-headless.prod.svc.cluster.local:2380,b=http://etcd-1.etcd-headless:2380 ' +
      'zk-2.zk-hs.default, myetcd-0.x, etcd-3.etcd-headless.prod.svc, web-0.nginx.example.com';
    const found = findPeerNames(text, ['etcd', 'zk', 'web']);
    assert.deepEqual(
      found.map((p) => [p.statefulSet, p.ordinal, p.service, p.namespace, p.clusterDomain]),
      [
        ['etcd', 0, 'etcd-headless', 'prod', 'cluster.local'],
        ['etcd', 1, 'etcd-headless', undefined, undefined],
        ['zk', 2, 'zk-hs', 'default', undefined],
        ['etcd', 3, 'etcd-headless', 'prod', undefined],
      ],
    );
  });
  it('prefers the longest StatefulSet name', () => {
    const found = findPeerNames('kafka-controller-1.kafka-controller-headless', ['kafka', 'kafka-controller']);
    assert.deepEqual(found.map((p) => [p.statefulSet, p.ordinal]), [['kafka-controller', 1]]);
  });
  it('finds what one pattern of every name finds, on seeded texts with overlapping and unusual names', () => {
    // The plain reading of the DNS schema: one alternation of the names, longest first, leftmost match first.
    const reference = (value: string, names: readonly string[]) => {
      const label = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
      const alternation = [...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
      const pattern = new RegExp(`(?<![A-Za-z0-9_.-])(${alternation})-(\\d+)\\.(${label})((?:\\.${label})*)`, 'g');
      return [...value.matchAll(pattern)].flatMap((m) => {
        const rest = m[4] === '' ? [] : m[4].slice(1).split('.');
        if (rest.length >= 2 && rest[1] !== 'svc') return [];
        return [[m[0], m.index, m[1], Number(m[2]), m[3], rest[0], rest.length > 2 ? rest.slice(2).join('.') : undefined]];
      });
    };
    const random = seededRandom(5);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const namePool = ['web', 'web-0', 'web-0-1', 'web-0.db', 'db', 'a.b', 'x', 'web.x', 'svc', '', 'W+b', 'db-12'];
    const labels = ['svc', 'ns', 'db', 'x9', 'a-b', 'cluster', 'local', 'Web', '-x', 'b-'];
    const separators = [' ', ',', ':', '/', '=', '_', 'A', '*', '.', '-', ''];
    // Name, `-`, ordinal, then labels: pieces that often, but not always, make a pod DNS name.
    const piece = () => random() < 0.5
      ? `${pick(namePool)}${random() < 0.8 ? '-' : ''}${pick(['0', '12', '', 'x'])}${random() < 0.85 ? '.' : ''}` +
        Array.from({ length: Math.floor(random() * 5) }, () => pick(labels)).join('.')
      : pick([...separators, ...labels]);
    let found = 0;
    for (let i = 0; i < 3000; i++) {
      const names = [...new Set(Array.from({ length: 2 + Math.floor(random() * 6) }, () => pick(namePool)))];
      const text = Array.from({ length: 1 + Math.floor(random() * 6) }, piece).join(pick(separators));
      const got = findPeerNames(text, names).map((p) => [p.text, p.index, p.statefulSet, p.ordinal, p.service, p.namespace, p.clusterDomain]);
      assert.deepEqual(got, reference(text, names), `${JSON.stringify(text)} with ${JSON.stringify(names)}`);
      found += got.length;
    }
    assert.ok(found > 150, `only ${found} names found: the texts tested little`);
  });
});

describe('member lists', () => {
  it('etcd initial-cluster', () => {
    assert.deepEqual(parseEtcdInitialCluster('etcd-0=http://etcd-0.etcd:2380,etcd-1=https://etcd-1.etcd:2380'), [
      { name: 'etcd-0', url: 'http://etcd-0.etcd:2380', host: 'etcd-0.etcd' },
      { name: 'etcd-1', url: 'https://etcd-1.etcd:2380', host: 'etcd-1.etcd' },
    ]);
    assert.equal(parseEtcdInitialCluster('etcd-0=${PEER}'), undefined);
  });
  it('ZooKeeper server.N lines, official ZOO_SERVERS and Bitnami ZOO_SERVERS', () => {
    const cfg = 'tickTime=2000\nserver.1=zk-0.zk-hs:2888:3888\nserver.2=zk-1.zk-hs:2888:3888:observer;2181\n';
    assert.deepEqual(parseZooKeeperServers(cfg), [
      { id: 1, host: 'zk-0.zk-hs', observer: false, entry: 'zk-0.zk-hs:2888:3888' },
      { id: 2, host: 'zk-1.zk-hs', observer: true, entry: 'zk-1.zk-hs:2888:3888:observer;2181' },
    ]);
    assert.deepEqual(parseZooKeeperServers('server.1=a:2888:3888;2181 server.2=b:2888:3888;2181')?.map((s) => s.id), [1, 2]);
    assert.deepEqual(parseZooKeeperServers('a:2888:3888::1,b:2888:3888::2')?.map((s) => [s.id, s.host]), [[1, 'a'], [2, 'b']]);
    assert.equal(parseZooKeeperServers('a:2888:3888,b:2888:3888'), undefined);
  });
  it('KRaft voters, host lists and rs.initiate', () => {
    assert.deepEqual(parseKRaftVoters('0@kc-0.kc:9093,1@kc-1.kc:9093'), [
      { id: 0, host: 'kc-0.kc', port: 9093 },
      { id: 1, host: 'kc-1.kc', port: 9093 },
    ]);
    assert.equal(parseKRaftVoters('kc-0.kc:9093'), undefined);
    assert.deepEqual(parseHostList('["es-0", "es-1"]'), ['es-0', 'es-1']);
    assert.deepEqual(parseHostList('c-0.c:7000, c-1.c'), ['c-0.c', 'c-1.c']);
    assert.deepEqual(
      parseMongoInitiateHosts(`mongo --eval 'rs.initiate({_id: "rs0", members: [{_id: 0, host: "m-0.m:27017"}, {_id: 1, host: "m-1.m"}]})'`),
      ['m-0.m', 'm-1.m'],
    );
    assert.equal(parseMongoInitiateHosts('rs.initiate()'), undefined);
  });
});

describe('configuration of the pods', () => {
  it('expands $(VAR) as the kubelet does and reads ConfigMaps the pods use', () => {
    const env = new Map([['A', { text: 'x' }]]);
    assert.equal(expandKubeletVars('$(A)-$(B)-$$(A)', env), 'x-$(B)-$(A)');
    const all = manifests(`${sts(`        - name: c
          image: zookeeper:3.8
          env:
            - {name: PORT, value: "2888"}
            - {name: LINE, value: "server.1=db-0.db:$(PORT):3888"}
          volumeMounts: [{name: conf, mountPath: /conf}]
      volumes:
        - {name: conf, configMap: {name: zk-conf}}
`)}---
apiVersion: v1
kind: ConfigMap
metadata: {name: zk-conf}
data:
  zoo.cfg: |
    server.2=db-1.db:2888:3888
`);
    const lookup = (name: string) => all.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata?.name === name);
    const config = podConfig(all[0], lookup);
    assert.equal(config.envByContainer.get('c')?.get('LINE')?.text, 'server.1=db-0.db:2888:3888');
    assert.deepEqual(config.configMaps.map((m) => m.object.metadata?.name), ['zk-conf']);
    const line = findSetting(config, { keys: ['server\\.\\d+'] });
    assert.equal(line?.value, 'db-1.db:2888:3888');
    assert.equal(line?.source.where, 'ConfigMap "zk-conf" key zoo.cfg');
  });
  it('says where each text of the pod configuration is, and points at its node', () => {
    const all = manifests(`${sts(`        - name: side
          image: busybox
        - name: c
          image: zookeeper:3.8
          command: [sh, -c]
          args: [run, --fast]
          envFrom: [{configMapRef: {name: env-cm}, prefix: P_}]
          env:
            - {name: A, value: "1"}
            - {name: B, valueFrom: {configMapKeyRef: {name: env-cm, key: k2}}}
`)}---
apiVersion: v1
kind: ConfigMap
metadata: {name: env-cm}
data: {k1: one, k2: two}
`);
    const lookup = (name: string) => all.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata?.name === name);
    const config = podConfig(all[0], lookup);
    const described = config.texts.map((t) => [t.text, t.where, t.path.join('.'), t.manifest === all[0] ? 'sts' : 'cm']);
    assert.deepEqual(described, [
      ['one', 'env P_k1 (ConfigMap "env-cm") of container "c"', 'data.k1', 'cm'],
      ['two', 'env P_k2 (ConfigMap "env-cm") of container "c"', 'data.k2', 'cm'],
      ['1', 'env A of container "c"', 'spec.template.spec.containers.1.env.0.value', 'sts'],
      ['two', 'env B (ConfigMap "env-cm" key k2) of container "c"', 'data.k2', 'cm'],
      ['sh', 'command[0] of container "c"', 'spec.template.spec.containers.1.command.0', 'sts'],
      ['-c', 'command[1] of container "c"', 'spec.template.spec.containers.1.command.1', 'sts'],
      ['run', 'args[0] of container "c"', 'spec.template.spec.containers.1.args.0', 'sts'],
      ['--fast', 'args[1] of container "c"', 'spec.template.spec.containers.1.args.1', 'sts'],
      ['one', 'ConfigMap "env-cm" key k1', 'data.k1', 'cm'],
      ['two', 'ConfigMap "env-cm" key k2', 'data.k2', 'cm'],
    ]);
    assert.equal(config.envByContainer.get('c')?.get('B')?.envName, 'B');
    assert.equal(config.envByContainer.get('c')?.get('A')?.container, 'c');
  });
  it('finds flags in args and in shell scripts, not prefixes of longer flags', () => {
    const all = manifests(sts(`        - name: etcd
          image: quay.io/coreos/etcd:v3.5.9
          command: [sh, -c, "exec etcd --initial-cluster-state new --initial-cluster=db-0=http://db-0.db:2380"]
`));
    const config = podConfig(all[0], () => undefined);
    assert.equal(findSetting(config, { flags: ['--initial-cluster'] })?.value, 'db-0=http://db-0.db:2380');
    assert.equal(findSetting(config, { flags: ['--initial-cluster-state'] })?.value, 'new');
  });
});

describe('identifySystem', () => {
  it('trusts the annotation, including none', () => {
    assert.equal(identify(sts('        - {name: c, image: nginx}\n', '  annotations: {cdk8s-stateful.io/cluster: zookeeper}\n'))?.system, 'zookeeper');
    assert.equal(identify(sts('        - {name: c, image: bitnami/etcd, env: [{name: ETCD_INITIAL_CLUSTER, value: "a=http://a:2380"}]}\n', '  annotations: {cdk8s-stateful.io/cluster: none}\n')), undefined);
  });
  it('needs the image and a setting the system cannot run without', () => {
    const etcd = identify(sts('        - {name: c, image: "docker.io/bitnami/etcd:3.5.9", env: [{name: ETCD_INITIAL_CLUSTER, value: "a=http://a:2380"}]}\n'));
    assert.equal(etcd?.system, 'etcd');
    assert.equal(etcd?.evidence, 'image docker.io/bitnami/etcd with ETCD_INITIAL_CLUSTER');
    assert.equal(identify(sts('        - {name: c, image: "bitnami/etcd:3.5.9"}\n')), undefined);
    assert.equal(identify(sts('        - {name: c, image: nginx, env: [{name: ETCD_INITIAL_CLUSTER, value: "a=http://a:2380"}]}\n')), undefined);
    assert.equal(identify(sts('        - {name: c, image: mongo:6, args: ["--replSet", "rs0"]}\n'))?.system, 'mongodb');
    assert.equal(identify(sts('        - {name: c, image: cassandra:4, env: [{name: CASSANDRA_SEEDS, value: "db-0.db"}]}\n'))?.system, 'cassandra');
  });
  it('tells KRaft controllers from brokers and Elasticsearch masters from data nodes', () => {
    const kafka = (roles: string) =>
      identify(sts(`        - {name: c, image: apache/kafka:3.7.0, env: [{name: KAFKA_PROCESS_ROLES, value: "${roles}"}, {name: KAFKA_CONTROLLER_QUORUM_VOTERS, value: "0@db-0.db:9093"}]}\n`))?.system;
    assert.equal(kafka('controller'), 'kafka-controller');
    assert.equal(kafka('broker,controller'), 'kafka-controller');
    assert.equal(kafka('broker'), 'kafka-broker');
    const es = (roles: string) =>
      identify(sts(`        - {name: c, image: docker.elastic.co/elasticsearch/elasticsearch:8.11.0, env: [{name: node.roles, value: "${roles}"}, {name: discovery.seed_hosts, value: "db-0.db"}]}\n`))?.system;
    assert.equal(es('master'), 'elasticsearch-master');
    assert.equal(es('data,ingest'), undefined);
  });
  it('strips registry, tag and digest from images', () => {
    assert.equal(imageRepository('localhost:5000/etcd:3.5@sha256:abc'), 'localhost:5000/etcd');
    assert.equal(imageRepository('zookeeper'), 'zookeeper');
  });
});
