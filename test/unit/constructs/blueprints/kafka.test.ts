/**
 * KafkaKRaftCluster: the synthesized YAML (snapshot), zero findings under every rule, broken variants caught by the
 * matching rule, construction-time refusals, and the generated configuration checked against the formats the Kafka
 * docs define: the start-up script runs here with stub Kafka tools (Kafka is not a Debian package, so no real
 * server), and the server.properties it writes and the `kafka-storage.sh format` call it makes are parsed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Chart } from 'cdk8s';
import { KafkaKRaftCluster, type KafkaKRaftClusterProps } from '../../../../lib/constructs';
import { kafkaUuidProblem, parseInitialControllers, parseKRaftVoters } from '../../../../lib/k8s/systems';
import { assertSnapshot, copyOf, envOf, findingsOf, objectOf, parseProperties, synthChart } from './fixture-synth';

const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qg';
const BASE: KafkaKRaftClusterProps = { clusterId: CLUSTER_ID, controllers: { replicas: 3 }, brokers: { replicas: 3 } };

function synth(props: Partial<KafkaKRaftClusterProps> = {}) {
  let cluster!: KafkaKRaftCluster;
  const out = synthChart('streaming', (chart: Chart) => { cluster = new KafkaKRaftCluster(chart, 'kafka', { ...BASE, ...props }); });
  return { ...out, cluster };
}

function refusal(props: Partial<KafkaKRaftClusterProps>): string {
  try {
    synth(props);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected a refusal');
}

/** Documented broker configs (Kafka docs, "Broker Configs") the blueprint writes, and nothing else. */
const DOCUMENTED_KEYS = new Set([
  'process.roles', 'node.id', 'controller.quorum.voters', 'controller.quorum.bootstrap.servers', 'controller.listener.names',
  'listeners', 'advertised.listeners', 'listener.security.protocol.map', 'inter.broker.listener.name', 'log.dirs',
  'default.replication.factor', 'offsets.topic.replication.factor', 'transaction.state.log.replication.factor',
  'min.insync.replicas', 'transaction.state.log.min.isr',
]);
const SECURITY_PROTOCOLS = new Set(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']);

describe('KafkaKRaftCluster', () => {
  const dynamic = synth();

  it('synthesizes the committed snapshot', () => {
    assertSnapshot('kafka.k8s.yaml', dynamic.yaml);
  });

  it('lints clean under every rule, with a dynamic or a static quorum', () => {
    assert.deepEqual(findingsOf(dynamic.objects), []);
    assert.deepEqual(findingsOf(synth({ quorum: 'static' }).objects), []);
  });

  it('exposes the controllers as its members, node ids from the ordinals, and the brokers as bootstrap servers', () => {
    const { cluster } = dynamic;
    assert.deepEqual(cluster.podFqdns, [0, 1, 2].map((i) => `kafka-controller-${i}.kafka-controller.streaming.svc.cluster.local`));
    assert.deepEqual(cluster.peers(), cluster.podFqdns.map((f) => `${f}:9093`));
    assert.deepEqual([cluster.quorum, cluster.faultTolerance], [2, 1]);
    assert.deepEqual(cluster.controllerIds, [0, 1, 2]);
    assert.deepEqual(cluster.brokerIds, [100, 101, 102]);
    assert.equal(cluster.bootstrapServers[2], 'kafka-broker-2.kafka-broker.streaming.svc.cluster.local:9092');
  });

  it('gives each role its own budget: the controllers keep their quorum, the brokers lose one at a time', () => {
    assert.equal(objectOf(dynamic.objects, 'PodDisruptionBudget', 'kafka-controller').spec.maxUnavailable, 1);
    assert.equal(objectOf(dynamic.objects, 'PodDisruptionBudget', 'kafka-broker').spec.maxUnavailable, 1);
    const five = synth({ controllers: { replicas: 5 } });
    assert.equal(objectOf(five.objects, 'PodDisruptionBudget', 'kafka-controller').spec.maxUnavailable, 2);
  });

  it('writes static voters in the documented id@host:port format, ids following the ordinals', () => {
    const { objects, cluster } = synth({ quorum: 'static' });
    const props = parseProperties(objectOf(objects, 'ConfigMap', 'kafka-config').data['controller.properties']);
    const voters = parseKRaftVoters(props.get('controller.quorum.voters')!);
    assert.deepEqual(voters, cluster.podFqdns.map((host, i) => ({ id: i, host, port: 9093 })));
    assert.equal(props.has('controller.quorum.bootstrap.servers'), false, 'a static quorum must not set bootstrap servers');
  });

  describe('broken variants are caught by the matching rule', () => {
    const rulesOf = (objects: unknown[]) => findingsOf(objects).map((f) => f.split(':')[0]);

    it('a static voter list missing a controller: membership-list', () => {
      const objects = copyOf(synth({ quorum: 'static' }).objects);
      const cm = objectOf(objects, 'ConfigMap', 'kafka-config');
      cm.data['controller.properties'] = cm.data['controller.properties'].replace(/,2@[^\n]*/, '');
      cm.data['broker.properties'] = cm.data['broker.properties'].replace(/,2@[^\n]*/, '');
      assert.ok(rulesOf(objects).includes('membership-list error'), rulesOf(objects).join(', '));
    });

    it('the controllers without publishNotReadyAddresses: peers-unready-dns', () => {
      const objects = copyOf(dynamic.objects);
      delete objectOf(objects, 'Service', 'kafka-controller').spec.publishNotReadyAddresses;
      assert.deepEqual(rulesOf(objects), ['peers-unready-dns error']);
    });

    it('a controller budget allowing 2 of 3 down: quorum-pdb', () => {
      const objects = copyOf(dynamic.objects);
      objectOf(objects, 'PodDisruptionBudget', 'kafka-controller').spec.maxUnavailable = 2;
      assert.deepEqual(rulesOf(objects), ['quorum-pdb error']);
    });

    it('the controllers started OrderedReady: pod-management-policy', () => {
      const objects = copyOf(dynamic.objects);
      objectOf(objects, 'StatefulSet', 'kafka-controller').spec.podManagementPolicy = 'OrderedReady';
      assert.deepEqual(rulesOf(objects), ['pod-management-policy warning']);
    });
  });

  describe('refuses at construction what cannot work', () => {
    it('a missing or malformed cluster id', () => {
      assert.match(refusal({ clusterId: '' }), /KafkaKRaftCluster "kafka": clusterId "" is not a Kafka Uuid: 22 characters/);
      assert.match(refusal({ clusterId: 'not-a-uuid' }), /clusterId "not-a-uuid" is not a Kafka Uuid/);
      assert.match(refusal({ clusterId: 'MkU3OEVBNTcwNTJENDM2Qh' }), /does not decode to exactly 16 bytes/);
      assert.match(refusal({ clusterId: '-kU3OEVBNTcwNTJENDM2Qg' }), /starts with "-"/);
    });

    it('overlapping node id ranges, with both ranges', () => {
      assert.match(
        refusal({ controllers: { replicas: 3, nodeIdBase: 100 }, brokers: { replicas: 3, nodeIdBase: 102 } }),
        /controller node ids 100\.\.102 and broker node ids 102\.\.104 overlap/,
      );
    });

    it('a replication factor above the broker count, and min.insync.replicas above RF − 1', () => {
      assert.match(refusal({ replicationFactor: 4 }), /replicationFactor 4 is more than the 3 brokers: .*lower replicationFactor to 3/);
      assert.match(refusal({ minInsyncReplicas: 3 }), /minInsyncReplicas 3 with replicationFactor 3: .*set minInsyncReplicas to at most 2/);
      assert.match(refusal({ brokers: { replicas: 1 } }), /minInsyncReplicas is 0.*with replicationFactor 1 that is impossible/);
    });

    it('initial controllers beyond the controllers, or with a static quorum', () => {
      assert.match(refusal({ initialControllers: 4 }), /initialControllers is 4; set a whole number from 1 to controllers.replicas \(3\)/);
      assert.match(refusal({ quorum: 'static', initialControllers: 3 }), /initialControllers applies to a dynamic quorum only/);
    });

    it('no controllers or no brokers, and properties the blueprint owns', () => {
      assert.match(refusal({ controllers: { replicas: 0 } }), /controllers.replicas is 0; set a whole number of at least 1/);
      assert.match(refusal({ brokers: { replicas: 0 } }), /brokers.replicas is 0/);
      assert.match(refusal({ properties: { 'node.id': '7' } }), /properties sets node.id, which the blueprint derives/);
      assert.match(refusal({ properties: { 'num.partitions': '3\nnode.id=7' } }), /not a single key=value line/);
    });
  });
});

/** A pod's filesystem and stub Kafka tools that record their arguments and write what `format` writes. */
class FakePod {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-pod-'));
  readonly home = path.join(this.root, 'kafka');
  readonly config = path.join(this.root, 'work/server.properties');
  readonly logDir = path.join(this.root, 'data/log');
  private readonly scripts = path.join(this.root, 'blueprint');

  constructor(configMap: any) {
    fs.mkdirSync(path.join(this.home, 'bin'), { recursive: true });
    fs.mkdirSync(path.dirname(this.config), { recursive: true });
    fs.mkdirSync(this.scripts);
    for (const [key, value] of Object.entries<string>(configMap.data)) {
      // The pod mounts the data volume at /var/lib/kafka/data; here it is a directory of the fake pod.
      fs.writeFileSync(path.join(this.scripts, key), value.replace(/^log\.dirs=.*$/m, `log.dirs=${this.logDir}`));
    }
    this.stub('kafka-storage.sh', [
      'printf "%s\\n" "$@" > "$KAFKA_HOME/format.args"',
      'while [ $# -gt 0 ]; do case "$1" in --config) conf="$2";; --cluster-id) id="$2";; esac; shift; done',
      'dir=$(sed -n "s/^log\\.dirs=//p" "$conf"); mkdir -p "$dir"; printf "version=1\\ncluster.id=%s\\n" "$id" > "$dir/meta.properties"',
    ]);
    this.stub('kafka-server-start.sh', ['echo "started $1" >> "$KAFKA_HOME/server.log"']);
  }

  stub(name: string, lines: readonly string[]): void {
    fs.writeFileSync(path.join(this.home, 'bin', name), ['#!/bin/sh', ...lines, ''].join('\n'), { mode: 0o755 });
  }

  /** Runs start.sh as the container does (`sh start.sh <role>`) with the StatefulSet's env and the pod's fields. */
  start(statefulSet: any, ordinal: number, override: Record<string, string> = {}) {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const e of statefulSet.spec.template.spec.containers[0].env) if (e.value !== undefined) env[e.name] = e.value;
    Object.assign(env, {
      POD_NAME: `${statefulSet.metadata.name}-${ordinal}`, POD_IP: `127.0.0.${10 + ordinal}`,
      KAFKA_HOME: this.home, KAFKA_CONFIG: this.config, ...override,
    });
    const command = statefulSet.spec.template.spec.containers[0].command as string[];
    const script = path.join(this.scripts, path.basename(command[1]));
    return spawnSync(command[0], [script, ...command.slice(2)], { env, encoding: 'utf8' });
  }

  formatArgs(): string[] | undefined {
    const file = path.join(this.home, 'format.args');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : undefined;
  }

  serverProperties(): Map<string, string> {
    return parseProperties(fs.readFileSync(this.config, 'utf8'));
  }

  close(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

describe('KafkaKRaftCluster start-up script against the documented formats (fixtures, stub Kafka tools)', () => {
  const { objects, cluster } = synth();
  const configMap = objectOf(objects, 'ConfigMap', 'kafka-config');
  const controllers = objectOf(objects, 'StatefulSet', 'kafka-controller');
  const brokers = objectOf(objects, 'StatefulSet', 'kafka-broker');

  it('writes a controller server.properties of documented keys with valid values, and formats with --initial-controllers', (t) => {
    const pod = new FakePod(configMap);
    t.after(() => pod.close());
    const run = pod.start(controllers, 1);
    assert.equal(run.status, 0, run.stderr);
    const props = pod.serverProperties();
    for (const key of props.keys()) assert.ok(DOCUMENTED_KEYS.has(key), `undocumented key ${key}`);
    assert.equal(props.get('process.roles'), 'controller');
    assert.equal(props.get('node.id'), '1');
    assert.equal(props.get('listeners'), 'CONTROLLER://127.0.0.11:9093');
    assert.equal(props.get('advertised.listeners'), `CONTROLLER://${cluster.podFqdns[1]}:9093`);
    assert.equal(props.get('controller.quorum.bootstrap.servers'), cluster.peers().join(','));
    assert.equal(props.has('controller.quorum.voters'), false, 'a dynamic quorum must not set controller.quorum.voters');
    checkListenerNames(props);

    const args = pod.formatArgs()!;
    assert.deepEqual(args.slice(0, 5), ['format', '--cluster-id', CLUSTER_ID, '--config', pod.config]);
    assert.equal(args[5], '--initial-controllers');
    const initial = parseInitialControllers(args[6])!;
    assert.deepEqual(initial.map((c) => [c.id, c.host, c.port]), cluster.podFqdns.map((host, i) => [i, host, 9093]));
    for (const c of initial) assert.equal(kafkaUuidProblem(c.directoryId), '', c.directoryId);
    assert.equal(new Set(initial.map((c) => c.directoryId)).size, 3, 'every controller needs its own directory id');
    assert.deepEqual(fs.readFileSync(path.join(pod.home, 'server.log'), 'utf8'), `started ${pod.config}\n`);
  });

  it('formats a controller beyond the initial ones with --no-initial-controllers', (t) => {
    const pod = new FakePod(configMap);
    t.after(() => pod.close());
    const run = pod.start(controllers, 3);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(pod.formatArgs()!.slice(5), ['--no-initial-controllers']);
    assert.equal(pod.serverProperties().get('node.id'), '3');
  });

  it('formats a broker with the cluster id only, and writes its replication settings', (t) => {
    const pod = new FakePod(configMap);
    t.after(() => pod.close());
    const run = pod.start(brokers, 2);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(pod.formatArgs(), ['format', '--cluster-id', CLUSTER_ID, '--config', pod.config]);
    const props = pod.serverProperties();
    for (const key of props.keys()) assert.ok(DOCUMENTED_KEYS.has(key), `undocumented key ${key}`);
    assert.equal(props.get('process.roles'), 'broker');
    assert.equal(props.get('node.id'), '102');
    assert.equal(props.get('advertised.listeners'), `PLAINTEXT://${cluster.brokerFqdns[2]}:9092`);
    assert.equal(props.get('default.replication.factor'), '3');
    assert.equal(props.get('min.insync.replicas'), '2');
    checkListenerNames(props);
  });

  it('formats only once, and refuses a log dir of another cluster id or with files but no meta.properties', (t) => {
    const pod = new FakePod(configMap);
    t.after(() => pod.close());
    assert.equal(pod.start(brokers, 0).status, 0);
    fs.rmSync(path.join(pod.home, 'format.args'));
    const again = pod.start(brokers, 0);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(pod.formatArgs(), undefined, 'an already formatted log dir must not be formatted again');

    const changed = pod.start(brokers, 0, { CLUSTER_ID: 'AAAAAAAAAAAAAAAAAAAAAg' });
    assert.equal(changed.status, 1);
    assert.match(changed.stderr, new RegExp(`formatted for cluster id ${CLUSTER_ID}, not AAAAAAAAAAAAAAAAAAAAAg: a cluster id never changes`));

    fs.rmSync(path.join(pod.logDir, 'meta.properties'));
    fs.writeFileSync(path.join(pod.logDir, 'orders-0'), '');
    const unformatted = pod.start(brokers, 0);
    assert.equal(unformatted.status, 1);
    assert.match(unformatted.stderr, /holds files but no meta.properties: not formatting over them/);
    assert.equal(pod.formatArgs(), undefined);
  });
});

/** listeners name listeners of the protocol map; the controller and inter-broker listener names are in it. */
function checkListenerNames(props: Map<string, string>): void {
  const map = new Map(props.get('listener.security.protocol.map')!.split(',').map((entry) => entry.split(':') as [string, string]));
  for (const protocol of map.values()) assert.ok(SECURITY_PROTOCOLS.has(protocol), protocol);
  for (const key of ['listeners', 'advertised.listeners']) {
    for (const uri of props.get(key)!.split(',')) {
      const match = /^([A-Z_]+):\/\/([^:]+):(\d+)$/.exec(uri);
      assert.ok(match, `${key}: ${uri} is not NAME://host:port`);
      assert.ok(map.has(match[1]), `${key}: listener ${match[1]} is not in listener.security.protocol.map`);
    }
  }
  assert.ok(map.has(props.get('controller.listener.names')!));
  if (props.has('inter.broker.listener.name')) assert.ok(map.has(props.get('inter.broker.listener.name')!));
}

describe('KafkaKRaftCluster example props', () => {
  it('keeps the cluster id in every pod env (immutable: start.sh compares it with the formatted one)', () => {
    const { objects } = synth();
    for (const name of ['kafka-controller', 'kafka-broker']) {
      assert.equal(envOf(objectOf(objects, 'StatefulSet', name), 'CLUSTER_ID'), CLUSTER_ID);
    }
  });
});
