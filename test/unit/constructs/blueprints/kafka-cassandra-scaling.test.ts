/**
 * Scaling the Kafka and Cassandra blueprints between two synthesized revisions: `diff` (unsafe-membership-change)
 * guards every change of size and prints the runbook; the runbook's exec steps are commands a shell runs as they
 * are (no placeholders, valid `sh` syntax), and the Kafka scripts, run against stub tools that print what the Kafka
 * tools print, pass the ids, directory ids, broker lists and plans the Kafka docs ask for.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diffTexts } from '../../../../lib/api';
import { CassandraDatacenter, KafkaKRaftCluster, type CassandraDatacenterProps, type KafkaKRaftClusterProps } from '../../../../lib/constructs';
import { runbook, type MemberChange, type RunbookStep } from '../../../../lib/k8s/systems';
import { synthChart } from './fixture-synth';
import { yamlText } from '../helpers';

const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qg';

function kafka(props: Partial<KafkaKRaftClusterProps> = {}): any[] {
  return synthChart('streaming', (chart) => new KafkaKRaftCluster(chart, 'kafka', {
    clusterId: CLUSTER_ID, controllers: { replicas: 3 }, brokers: { replicas: 3 }, ...props,
  })).objects;
}

function cassandra(r1: number): any[] {
  const props: CassandraDatacenterProps = {
    clusterName: 'Orders', datacenter: 'dc1',
    racks: [{ name: 'r1', replicas: r1 }, { name: 'r2', replicas: 2 }, { name: 'r3', replicas: 2 }],
  };
  return synthChart('orders', (chart) => new CassandraDatacenter(chart, 'cassandra', props)).objects;
}

function membership(before: readonly unknown[], after: readonly unknown[]) {
  return diffTexts(yamlText(before), yamlText(after)).findings.filter((f) => f.rule === 'unsafe-membership-change');
}

function acknowledged(objects: any[], statefulSet: string): any[] {
  const copy = JSON.parse(JSON.stringify(objects));
  const sts = copy.find((o: any) => o.kind === 'StatefulSet' && o.metadata.name === statefulSet);
  sts.metadata.annotations['cdk8s-stateful.io/data-moved'] = 'true';
  return copy;
}

describe('diff guards the scaling of KafkaKRaftCluster and CassandraDatacenter', () => {
  it('Kafka brokers 3 → 4: a warning whose runbook applies, then spreads the partitions over every broker', () => {
    const [finding, ...rest] = membership(kafka(), kafka({ brokers: { replicas: 4 } }));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /^Kafka broker StatefulSet "kafka-broker" changes from 3 to 4 members: .* Runbook: \(1\) apply the new revision \(replicas raised by one\); kafka-broker-3 formats its empty log dir with the cluster id and registers; \(2\) kubectl exec -n streaming kafka-broker-3 -- sh -c .*kafka-reassign-partitions\.sh/);
  });

  it('Kafka brokers 3 → 2: an error until the data-moved acknowledgement, with the reassignment first and unregister last', () => {
    const before = kafka();
    const [error] = membership(before, kafka({ brokers: { replicas: 2 } }));
    assert.equal(error.severity, 'error');
    assert.match(error.message, /the data on the removed node is lost unless it is moved first/);
    assert.match(error.message, /\(1\) kubectl exec -n streaming kafka-broker-2 -- sh -c .*--broker-list.*\(3\) apply the new revision \(replicas lowered by one\); \(4\) kubectl exec -n streaming kafka-broker-0 -- sh -c .*kafka-cluster\.sh unregister/);
    const [warning] = membership(before, acknowledged(kafka({ brokers: { replicas: 2 } }), 'kafka-broker'));
    assert.equal(warning.severity, 'warning');
  });

  it('Kafka controllers 3 → 4: a warning with add-controller for a dynamic quorum, an error for a static one', () => {
    const [dynamic] = membership(kafka(), kafka({ controllers: { replicas: 4 }, initialControllers: 3 }));
    assert.equal(dynamic.severity, 'warning');
    assert.match(dynamic.message, /kubectl exec -n streaming kafka-controller-3 -- sh -c .*add-controller/);
    const [fixed] = membership(kafka({ quorum: 'static' }), kafka({ quorum: 'static', controllers: { replicas: 4 } }));
    assert.equal(fixed.severity, 'error');
    assert.match(fixed.message, /static KRaft controllers \(controller\.quorum\.voters\) cannot change/);
  });

  it('Kafka controllers 3 → 2: remove-controller in the leaving pod before the apply', () => {
    const [finding] = membership(kafka(), kafka({ controllers: { replicas: 2 }, initialControllers: 2 }));
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /\(1\) kubectl exec -n streaming kafka-controller-2 -- sh -c .*remove-controller.*\(2\) apply the new revision \(replicas lowered by one\)/);
  });

  it('a Cassandra rack growing 2 → 3: a warning; apply, wait until the node is UN, then cleanup on the other nodes', () => {
    const [finding, ...rest] = membership(cassandra(2), cassandra(3));
    assert.equal(rest.length, 0, 'only the grown rack changes');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /^Cassandra StatefulSet "cassandra-r1" changes from 2 to 3 members/);
    assert.match(finding.message, /\(1\) apply the new revision \(replicas raised by one\); one node at a time: it bootstraps because it is not a seed and auto_bootstrap is on; \(2\) kubectl exec -n orders cassandra-r1-0 -- sh -c .*getent hosts cassandra-r1-2\.cassandra-r1\.orders\.svc\.cluster\.local.*nodetool status.*; \(3\) kubectl exec -n orders cassandra-r1-0 -- nodetool cleanup .*; \(4\) kubectl exec -n orders cassandra-r1-1 -- nodetool cleanup .*; \(5\) run nodetool cleanup on the nodes of the other racks/);
  });

  it('a Cassandra rack shrinking 3 → 2: decommission first, an error until data-moved, and two at once an error', () => {
    const [finding] = membership(cassandra(3), cassandra(2));
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /\(1\) kubectl exec -n orders cassandra-r1-2 -- nodetool decommission/);
    assert.equal(membership(cassandra(3), acknowledged(cassandra(2), 'cassandra-r1'))[0].severity, 'warning');
    const [twice] = membership(cassandra(2), cassandra(4));
    assert.equal(twice.severity, 'error');
    assert.match(twice.message, /2 members at once/);
  });
});

function change(system: MemberChange['system'], direction: 'up' | 'down', statefulSet: string): MemberChange {
  return { system, statefulSet, serviceName: statefulSet, namespace: 'ns', ordinal: 3, direction, anchorOrdinal: 0 };
}

describe('runbook exec steps run as they are', () => {
  for (const [system, sts] of [['kafka-controller', 'kafka-controller'], ['kafka-broker', 'kafka-broker'], ['cassandra', 'cassandra-r1']] as const) {
    for (const direction of ['up', 'down'] as const) {
      it(`${system} ${direction}: no placeholders, and every sh -c script parses`, () => {
        const execs = runbook(change(system, direction, sts)).filter((s): s is Extract<RunbookStep, { kind: 'exec' }> => s.kind === 'exec');
        assert.ok(execs.length > 0);
        for (const step of execs) {
          assert.doesNotMatch(step.command.join(' '), /<[a-z][^>]*>/i, 'a placeholder in an exec step');
          if (step.command[0] === 'sh') {
            const parsed = spawnSync('sh', ['-n', '-c', step.command[2]], { encoding: 'utf8' });
            assert.equal(parsed.status, 0, `${parsed.stderr}\n${step.command[2]}`);
          }
        }
      });
    }
  }
});

/** A pod with a server.properties, a formatted log dir and stub Kafka tools that log their arguments. */
class KafkaToolPod {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-tools-'));
  readonly home = path.join(this.root, 'kafka');
  readonly config = path.join(this.root, 'work/server.properties');

  constructor(nodeId: number, directoryId: string) {
    const logDir = path.join(this.root, 'data/log');
    fs.mkdirSync(path.join(this.home, 'bin'), { recursive: true });
    fs.mkdirSync(path.dirname(this.config), { recursive: true });
    fs.mkdirSync(logDir, { recursive: true });
    fs.writeFileSync(this.config, `process.roles=broker\nnode.id=${nodeId}\nlog.dirs=${logDir}\n`);
    fs.writeFileSync(path.join(logDir, 'meta.properties'), `version=1\ncluster.id=${CLUSTER_ID}\nnode.id=${nodeId}\ndirectory.id=${directoryId}\n`);
    const log = (name: string) => `echo "${name} $*" >> "$KAFKA_HOME/calls.log"`;
    // Output as the tools print it (Kafka docs "Expanding your cluster"; kafka-broker-api-versions.sh).
    this.stub('kafka-broker-api-versions.sh', [
      log('kafka-broker-api-versions.sh'),
      'for id in 100 101 102; do echo "kafka-broker-$((id - 100)).kafka-broker.ns.svc.cluster.local:9092 (id: $id rack: null) -> ("; echo "\tProduce(0): 0 to 11 [usable: 11],"; echo ")"; done',
    ]);
    this.stub('kafka-topics.sh', [log('kafka-topics.sh'), 'printf "orders\\npayments\\n"']);
    this.stub('kafka-reassign-partitions.sh', [
      log('kafka-reassign-partitions.sh'),
      'case "$*" in',
      '  *--generate*) printf "Current partition replica assignment\\n{\\"version\\":1,\\"partitions\\":[]}\\n\\nProposed partition reassignment configuration\\n{\\"version\\":1,\\"partitions\\":[{\\"topic\\":\\"orders\\",\\"partition\\":0,\\"replicas\\":[100,101]}]}\\n" ;;',
      '  *--verify*) echo "Reassignment of partition orders-0 is completed." ;;',
      '  *) echo "Successfully started partition reassignment for orders-0" ;;',
      'esac',
    ]);
    this.stub('kafka-metadata-quorum.sh', [
      log('kafka-metadata-quorum.sh'),
      'case "$*" in *--replication*) printf "NodeId\\tDirectoryId\\tLogEndOffset\\tLag\\tLastFetchTimestamp\\tLastCaughtUpTimestamp\\tStatus\\n0\\tx\\t10\\t0\\t1\\t1\\tLeader\\n3\\ty\\t10\\t0\\t1\\t1\\tObserver\\n" ;; esac',
    ]);
    this.stub('kafka-cluster.sh', [log('kafka-cluster.sh')]);
  }

  private stub(name: string, lines: readonly string[]): void {
    fs.writeFileSync(path.join(this.home, 'bin', name), ['#!/bin/sh', ...lines, ''].join('\n'), { mode: 0o755 });
  }

  exec(step: RunbookStep): { status: number | null; stderr: string } {
    assert.equal(step.kind, 'exec');
    const command = (step as Extract<RunbookStep, { kind: 'exec' }>).command;
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', KAFKA_HOME: this.home, KAFKA_CONFIG: this.config };
    return spawnSync(command[0], command.slice(1), { env, encoding: 'utf8' });
  }

  calls(tool: string): string[] {
    return fs.readFileSync(path.join(this.home, 'calls.log'), 'utf8').split('\n').filter((l) => l.startsWith(`${tool} `));
  }

  file(name: string): string {
    return fs.readFileSync(path.join(path.dirname(this.config), name), 'utf8');
  }

  close(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

describe('Kafka runbook scripts against stub tools (fixtures)', () => {
  const broker = (direction: 'up' | 'down') => runbook({ ...change('kafka-broker', direction, 'kafka-broker'), ordinal: 2 });

  it('moving partitions off a leaving broker: every topic, the other brokers, the proposed plan executed and verified', (t) => {
    const pod = new KafkaToolPod(102, 'AAAAAAAAAAAAAAAAAAAAAw');
    t.after(() => pod.close());
    const run = pod.exec(broker('down')[0]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(pod.file('topics.json')), { version: 1, topics: [{ topic: 'orders' }, { topic: 'payments' }] });
    assert.deepEqual(JSON.parse(pod.file('plan.json')), { version: 1, partitions: [{ topic: 'orders', partition: 0, replicas: [100, 101] }] });
    const calls = pod.calls('kafka-reassign-partitions.sh');
    assert.match(calls[0], /--bootstrap-server kafka-broker-2\.kafka-broker\.ns\.svc\.cluster\.local:9092 --generate --topics-to-move-json-file \S+topics\.json --broker-list 100,101$/);
    assert.match(calls[1], /--execute --reassignment-json-file \S+plan\.json$/);
    assert.match(calls[2], /--verify --reassignment-json-file \S+plan\.json$/);
  });

  it('spreading partitions onto a new broker uses every registered broker', (t) => {
    const pod = new KafkaToolPod(102, 'AAAAAAAAAAAAAAAAAAAAAw');
    t.after(() => pod.close());
    const run = pod.exec(broker('up')[1]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(pod.calls('kafka-reassign-partitions.sh')[0], /--broker-list 100,101,102$/);
  });

  it('unregistering the removed broker computes its id from the anchor\'s node.id and the ordinals', (t) => {
    const pod = new KafkaToolPod(100, 'AAAAAAAAAAAAAAAAAAAAAw');
    t.after(() => pod.close());
    const steps = broker('down');
    const run = pod.exec(steps[steps.length - 1]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(pod.calls('kafka-cluster.sh'), ['kafka-cluster.sh unregister --bootstrap-server kafka-broker-0.kafka-broker.ns.svc.cluster.local:9092 --id 102']);
  });

  it('removing a controller passes its node id and directory id from meta.properties', (t) => {
    const pod = new KafkaToolPod(3, 'pbvuBlaTTwKRxS5NLJwRFQ');
    t.after(() => pod.close());
    const run = pod.exec(runbook(change('kafka-controller', 'down', 'kafka-controller'))[0]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(pod.calls('kafka-metadata-quorum.sh'), [
      'kafka-metadata-quorum.sh --bootstrap-controller kafka-controller-0.kafka-controller.ns.svc.cluster.local:9093 remove-controller --controller-id 3 --controller-directory-id pbvuBlaTTwKRxS5NLJwRFQ',
    ]);
  });

  it('adding a controller waits for lag 0 in describe --replication, then add-controller with its own config', (t) => {
    const pod = new KafkaToolPod(3, 'pbvuBlaTTwKRxS5NLJwRFQ');
    t.after(() => pod.close());
    const run = pod.exec(runbook(change('kafka-controller', 'up', 'kafka-controller'))[1]);
    assert.equal(run.status, 0, run.stderr);
    const calls = pod.calls('kafka-metadata-quorum.sh');
    assert.match(calls[0], /describe --replication$/);
    assert.equal(calls[1], `kafka-metadata-quorum.sh --command-config ${pod.config} --bootstrap-controller kafka-controller-0.kafka-controller.ns.svc.cluster.local:9093 add-controller`);
  });
});
