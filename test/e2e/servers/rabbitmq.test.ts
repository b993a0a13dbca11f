/**
 * RabbitMQCluster on the real Debian rabbitmq-server (3.10, Erlang from Debian), one process per pod of exactly the
 * synthesized StatefulSet (pod-runner.ts): 3 nodes form one cluster from the classic_config peer list; a quorum
 * queue keeps accepting messages with one node stopped (the budget allows one); the runbook `cdk8s-stateful plan`
 * prints for 3 → 4 (and `diff` reports) yields 4 running nodes holding the queue, and the one for 4 → 3 leaves 3
 * running nodes, the fourth forgotten. The pods share one network namespace here, so the cluster runs with `distribution: 'static-port'`
 * (no epmd; see docs/blueprints/rabbitmq.md); everything else is the blueprint's default.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { stringify } from 'yaml';
import { diffTexts } from '../../../lib/api';
import { RabbitMQCluster, RabbitMQFlavour } from '../../../lib/constructs';
import { newChart } from '../../unit/constructs/helpers';
import { PodCluster, printedRunbook, serverTestSkipReason } from './pod-runner';

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const skip = serverTestSkipReason(SERVER, 'erl');
const NAMESPACE = 'mq';
const QUEUE = 'orders';
const BOOT_MS = 180_000;

function manifests(nodes: number, annotations: Record<string, string> = {}): any[] {
  const chart = newChart({ namespace: NAMESPACE });
  new k8s.KubeSecret(chart, 'cookie', {
    metadata: { name: 'rabbitmq-erlang-cookie', namespace: NAMESPACE },
    stringData: { '.erlang.cookie': 'cdk8s-stateful-real-server-test-cookie' },
  });
  new RabbitMQCluster(chart, 'rabbitmq', {
    nodes,
    erlangCookie: { secret: 'rabbitmq-erlang-cookie' },
    flavour: RabbitMQFlavour.DEBIAN,
    image: 'debian:bookworm-rabbitmq-server',
    distribution: 'static-port',
    // One scheduler per node: three or four nodes share two cores here.
    erlArgs: ['+S', '1:1'],
  });
  const objects = Testing.synth(chart);
  const sts = objects.find((o) => o.kind === 'StatefulSet');
  sts.metadata.annotations = { ...sts.metadata.annotations, ...annotations };
  return objects;
}

function nodeName(ordinal: number): string {
  return `rabbit@rabbitmq-${ordinal}.rabbitmq.${NAMESPACE}.svc.cluster.local`;
}

function yaml(objects: readonly any[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

describe('RabbitMQCluster on real rabbitmq-server', { skip, timeout: 900_000 }, () => {
  let cluster: PodCluster;

  const ctl = async (ordinal: number, args: readonly string[]): Promise<string> => {
    const result = await cluster.exec(ordinal, ['rabbitmqctl', ...args], { timeoutMs: 90_000 });
    assert.equal(result.code, 0, `rabbitmqctl ${args.join(' ')} in rabbitmq-${ordinal}: ${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  const status = async (ordinal: number): Promise<{ running: string[]; disk: string[] }> => {
    const json = JSON.parse(await ctl(ordinal, ['cluster_status', '--formatter', 'json']));
    return { running: [...json.running_nodes].sort(), disk: [...json.disk_nodes].sort() };
  };
  const nodes = (...ordinals: number[]) => ordinals.map(nodeName).sort();
  /** Runs an Erlang expression on the node of `ordinal` and returns what it printed. */
  const evaluate = (ordinal: number, expression: string) => ctl(ordinal, ['eval', expression]);
  const queue = `rabbit_misc:r(<<"/">>, queue, <<"${QUEUE}">>)`;
  const publish = (ordinal: number, body: string) =>
    evaluate(ordinal, `rabbit_basic:publish(rabbit_misc:r(<<"/">>, exchange, <<"">>), <<"${QUEUE}">>, rabbit_basic:properties([{delivery_mode, 2}]), <<"${body}">>).`);
  /** Messages (as the Raft leader counts them) and member nodes of the quorum queue. */
  const queueState = async (ordinal: number): Promise<{ messages: number; members: string[] }> => {
    const out = await evaluate(ordinal, `{ok, Q} = rabbit_amqqueue:lookup(${queue}), {ok, N, _} = rabbit_amqqueue:stat(Q), ` +
      '{N, maps:get(nodes, amqqueue:get_type_state(Q))}.');
    const match = /^\{(\d+),\s*\[([^\]]*)\]\}/s.exec(out.trim());
    assert.ok(match, `unexpected answer about ${QUEUE}: ${out}`);
    return { messages: Number(match[1]), members: match[2].split(',').map((m) => m.trim().replace(/^'|'$/g, '')).filter(Boolean).sort() };
  };
  const eventually = async <T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    let error: unknown;
    while (Date.now() < deadline) {
      try {
        last = await read();
        if (ok(last)) return last;
      } catch (e) {
        error = e;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    return assert.fail(`${what}: last seen ${JSON.stringify(last)}${error === undefined ? '' : ` (${String(error)})`}`);
  };

  before(async () => {
    cluster = await PodCluster.start(manifests(3));
    await Promise.all([0, 1, 2].map((i) => cluster.waitReady(i, BOOT_MS)));
  });
  after(async () => {
    await cluster?.close();
  });

  it('forms one cluster of the 3 configured nodes', async () => {
    for (const ordinal of [0, 1, 2]) {
      assert.deepEqual(await status(ordinal), { running: nodes(0, 1, 2), disk: nodes(0, 1, 2) });
    }
  });

  it('keeps a quorum queue writable with one node stopped, as the budget allows', async () => {
    await evaluate(0, `rabbit_amqqueue:declare(${queue}, true, false, [{<<"x-queue-type">>, longstr, <<"quorum">>}], none, <<"test">>).`);
    await publish(0, 'first');
    assert.deepEqual(await eventually('the first message', () => queueState(1), (s) => s.messages === 1), { messages: 1, members: nodes(0, 1, 2) });

    await cluster.stopPod(0);
    assert.deepEqual((await status(1)).running, nodes(1, 2));
    await publish(1, 'second');
    await eventually('the second message with rabbitmq-0 stopped', () => queueState(2), (s) => s.messages === 2);

    await cluster.startPod(0);
    await cluster.waitReady(0, BOOT_MS);
    assert.deepEqual((await status(0)).running, nodes(0, 1, 2));
  });

  it('grows to 4 nodes with the runbook `cdk8s-stateful plan` prints for 3 → 4', async () => {
    const [from, to] = [manifests(3), manifests(4)];
    const runbooks = printedRunbook(from, to);
    assert.equal(runbooks.length, 1, 'one member comes');
    const finding = diffTexts(yaml(from), yaml(to)).findings.find((f) => f.rule === 'unsafe-membership-change');
    assert.ok(finding !== undefined, 'diff guards the change of size');
    assert.match(finding.message, new RegExp(`rabbitmq-queues grow ${nodeName(3).replace(/\./g, '\\.')} all`));
    await cluster.runRunbook(runbooks[0], to);
    await cluster.waitReady(3, BOOT_MS);
    for (const ordinal of [0, 3]) assert.deepEqual((await status(ordinal)).running, nodes(0, 1, 2, 3));
    assert.deepEqual(await queueState(3), { messages: 2, members: nodes(0, 1, 2, 3) });
  });

  it('shrinks back to 3 nodes with the runbook `cdk8s-stateful plan` prints for 4 → 3', async () => {
    const moved = { 'cdk8s-stateful.io/data-moved': 'true' };
    const [from, to] = [manifests(4), manifests(3, moved)];
    const finding = diffTexts(yaml(from), yaml(to)).findings.find((f) => f.rule === 'unsafe-membership-change');
    assert.ok(finding !== undefined, 'diff guards the change of size');
    assert.equal(finding.severity, 'warning', 'with the data-moved annotation the change is allowed, with its runbook');
    assert.match(finding.message, new RegExp(`forget_cluster_node ${nodeName(3).replace(/\./g, '\\.')}`));
    const manual: string[] = [];
    const runbooks = printedRunbook(from, to);
    assert.equal(runbooks.length, 1, 'one member goes');
    await cluster.runRunbook(runbooks[0], to, async (text) => { manual.push(text); });
    assert.equal(manual.length, 1);
    assert.match(manual[0], /data-moved/);
    assert.deepEqual(cluster.running.map((p) => p.name).sort(), ['rabbitmq-0', 'rabbitmq-1', 'rabbitmq-2']);
    for (const ordinal of [0, 1, 2]) assert.deepEqual(await status(ordinal), { running: nodes(0, 1, 2), disk: nodes(0, 1, 2) });
    assert.deepEqual(await queueState(0), { messages: 2, members: nodes(0, 1, 2) });
    await publish(2, 'third');
    await eventually('a message after the shrink', () => queueState(1), (s) => s.messages === 3);
  });
});
