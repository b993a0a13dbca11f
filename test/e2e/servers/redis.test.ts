/**
 * RedisCluster on the real redis-server 7.0 (Debian): the pods of the synthesized StatefulSet form a cluster from the
 * blueprint's creation command, serve a key through any node, survive the loss of a master (its replica takes
 * over, as the PodDisruptionBudget's one disruption promises), and the runbook `cdk8s-stateful plan` prints grows
 * the cluster by a master and its replica and shrinks it back, keeping every key.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { App, Chart, Testing } from 'cdk8s';
import { RedisCluster } from '../../../lib/constructs';
import { PodCluster, printedRunbook, serverTestSkipReason } from './pod-runner';

const skip = serverTestSkipReason('redis-server', 'redis-cli');
const KEYS = 50;

function revision(masters: number): { objects: any[]; redis: RedisCluster } {
  const chart = new Chart(new App({ outdir: os.tmpdir() }), 'redis', { namespace: 'cache' });
  // A short node timeout so that the failover the test waits for takes seconds, not the default 15 s and more.
  const redis = new RedisCluster(chart, 'redis', { masters, nodeTimeoutMs: 2000 });
  return { objects: Testing.synth(chart), redis };
}

async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} within ${timeoutMs} ms${last === undefined ? '' : `: ${String(last)}`}`);
}

describe('RedisCluster on redis-server 7.0', { skip }, () => {
  const three = revision(3);
  const four = revision(4);
  let cluster: PodCluster;

  const cli = async (pod: number, ...args: string[]): Promise<string> => {
    const { fqdn } = cluster.pod(pod);
    const result = await cluster.exec(pod, ['redis-cli', '-h', fqdn, ...args]);
    if (result.code !== 0) throw new Error(`redis-cli ${args.join(' ')} on redis-${pod} exited ${result.code}: ${result.stderr}`);
    return result.stdout.replace(/\r/g, '');
  };
  const info = async (pod: number): Promise<Record<string, string>> =>
    Object.fromEntries((await cli(pod, 'cluster', 'info')).split('\n').filter((l) => l.includes(':')).map((l) => l.split(':') as [string, string]));
  const healthy = async (pod: number, nodes: number, masters: number) => until(`a healthy cluster of ${nodes} nodes seen from redis-${pod}`, 60_000, async () => {
    const state = await info(pod);
    return state.cluster_state === 'ok' && state.cluster_known_nodes === String(nodes) && state.cluster_size === String(masters) ? state : undefined;
  });
  const everyKey = async (pod: number) => {
    for (let i = 0; i < KEYS; i++) assert.equal((await cli(pod, '-c', 'get', `key:${i}`)).trim(), `value-${i}`, `key:${i} through redis-${pod}`);
  };

  before(async () => {
    cluster = await PodCluster.start(three.objects, { statefulSets: ['redis'] });
  });
  after(async () => {
    await cluster?.close();
  });

  it('forms 3 masters and 3 replicas from the creation command, and running it again changes nothing', async () => {
    const created = await cluster.exec(0, three.redis.createCommand, { timeoutMs: 120_000 });
    assert.equal(created.code, 0, created.stdout + created.stderr);
    const state = await healthy(0, 6, 3);
    assert.equal(state.cluster_slots_assigned, '16384');
    for (const pod of cluster.planned) await cluster.waitReady(pod.name, 60_000);
    const roles = (await cli(0, 'cluster', 'nodes')).trim().split('\n').map((line) => line.split(' ')[2].replace('myself,', ''));
    assert.deepEqual(roles.sort(), ['master', 'master', 'master', 'slave', 'slave', 'slave']);
    const again = await cluster.exec(3, three.redis.createCommand, { timeoutMs: 60_000 });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already knows 6 nodes: the cluster exists, nothing to do/);
  });

  it('serves a key written through one node through every other, redirecting clients to pod FQDNs', async () => {
    for (let i = 0; i < KEYS; i++) assert.equal((await cli(0, '-c', 'set', `key:${i}`, `value-${i}`)).trim(), 'OK');
    await everyKey(4);
    const moved = await Promise.all(Array.from({ length: 10 }, (_, i) => cli(1, 'get', `key:${i}`)));
    assert.ok(moved.some((reply) => /^MOVED \d+ redis-\d\.redis\.cache\.svc\.cluster\.local:6379$/m.test(reply)), moved.join('\n'));
  });

  it('survives the loss of a master: its replica takes over and writes succeed', async () => {
    const myself = (await cli(0, 'cluster', 'nodes')).split('\n').find((line) => line.includes('myself'))!;
    assert.match(myself, /master/, 'redis-0 is a master after the creation (the first hosts are the masters)');
    await cluster.stopPod(0);
    // Until cluster-node-timeout passes the others still see redis-0 as up: wait until every one has marked it
    // failed, handed its slots to its promoted replica, and serves every slot again.
    for (const pod of [1, 2, 3, 4, 5]) {
      await until(`redis-${pod} to see redis-0 failed over`, 60_000, async () => {
        const line = (await cli(pod, 'cluster', 'nodes')).split('\n').find((l) => l.split(' ')[1]?.includes(',redis-0.redis.'));
        const failedOver = line !== undefined && line.split(' ')[2].includes('fail') && line.trim().split(' ').length <= 8;
        return failedOver && (await info(pod)).cluster_state === 'ok' ? true : undefined;
      });
    }
    assert.equal((await cli(1, '-c', 'set', 'after-failover', 'yes')).trim(), 'OK');
    await everyKey(2);
    await cluster.startPod(0);
    await cluster.waitReady(0, 60_000);
    assert.match((await cli(0, 'cluster', 'nodes')).split('\n').find((line) => line.includes('myself'))!, /slave/, 'the old master rejoins as a replica');
  });

  it('the printed runbook adds a master and its replica (3 → 4 masters, 6 → 8 pods)', async () => {
    const runbooks = printedRunbook(three.objects, four.objects);
    assert.equal(runbooks.length, 1, 'one revision: the master and its replica together');
    assert.deepEqual(runbooks[0].map((step) => step.kind), ['apply', 'exec', 'exec']);
    await cluster.runRunbook(runbooks[0], four.objects);
    await healthy(0, 8, 4);
    for (const pod of cluster.planned) await cluster.waitReady(pod.name, 60_000);
    const masters = (await cli(6, 'cluster', 'nodes')).split('\n').filter((line) => / (myself,)?master /.test(line));
    assert.equal(masters.length, 4);
    assert.ok(masters.every((line) => line.split(' ').length > 8), `every master serves slots:\n${masters.join('\n')}`);
    await everyKey(7);
  });

  it('the printed runbook removes them again (8 → 6 pods), keeping every key', async () => {
    const runbooks = printedRunbook(four.objects, three.objects);
    assert.equal(runbooks.length, 1);
    assert.deepEqual(runbooks[0].map((step) => step.kind), ['exec', 'exec', 'apply']);
    await cluster.runRunbook(runbooks[0], three.objects);
    assert.deepEqual(cluster.running.map((pod) => pod.name).sort(), ['redis-0', 'redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5']);
    await healthy(0, 6, 3);
    for (const pod of cluster.planned) await cluster.waitReady(pod.name, 60_000);
    await everyKey(5);
    assert.equal((await cli(3, '-c', 'get', 'after-failover')).trim(), 'yes');
  });
});
