/**
 * ZooKeeperEnsemble on the real ZooKeeper (Debian's 3.8 package, Java 17): the pods of the synthesized StatefulSet
 * run with exactly their command (the blueprint's start-up script, run by `sh`), env and volumes. Proves: the
 * ensemble forms (one leader, two followers), a znode written through one server is read through another, a write
 * succeeds with the leader stopped, and the runbook `cdk8s-stateful plan` prints for 3 → 4 (reconfig -add) and
 * 4 → 3 (reconfig -remove) yields 4 members in /zookeeper/config, then 3 healthy ones.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { Chart, Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ZooKeeperDistribution, ZooKeeperEnsemble } from '../../../lib/constructs';
import type { RunbookStep } from '../../../lib/k8s/systems';
import { PodCluster, printedRunbook, serverTestSkipReason } from './pod-runner';

type Obj = Record<string, any>;

const PASSWORD = 'zk-test-super';
const FQDN = (i: number) => `zk-${i}.zk.default.svc.cluster.local`;

/** One revision: the ensemble with `servers` voting servers, reconfig on, the super user's Secret. */
function revision(servers: number): Obj[] {
  const chart = new Chart(Testing.app({ outdir: os.tmpdir() }), 'zk', { namespace: 'default' });
  const digest = createHash('sha1').update(`super:${PASSWORD}`).digest('base64');
  new k8s.KubeSecret(chart, 'super', { metadata: { name: 'zk-super' }, stringData: { password: PASSWORD, digest: `super:${digest}` } });
  new ZooKeeperEnsemble(chart, 'zk', {
    servers,
    allowEvenServers: true,
    reconfigEnabled: true,
    superUser: { secret: 'zk-super' },
    distribution: ZooKeeperDistribution.DEBIAN,
    heap: Size.mebibytes(128),
  });
  return Testing.synth(chart);
}

/** The one member's runbook `cdk8s-stateful plan OLD NEW` prints. */
function printedSteps(from: Obj[], to: Obj[]): RunbookStep[] {
  const members = printedRunbook(from, to);
  assert.equal(members.length, 1);
  return members[0];
}

const skip = serverTestSkipReason('java', 'bash', 'getent', '/usr/share/zookeeper/bin/zkServer.sh');

describe('ZooKeeperEnsemble on the real ZooKeeper 3.8', { skip }, () => {
  let cluster: PodCluster;
  const three = revision(3);
  const four = revision(4);

  const srvr = async (ordinal: number) =>
    (await cluster.exec(ordinal, ['bash', '-c', 'exec 3<>/dev/tcp/$POD_IP/2181 && echo srvr >&3 && cat <&3'])).stdout;
  const mode = async (ordinal: number) => /^Mode: (\w+)$/m.exec(await srvr(ordinal))?.[1];
  /** zkCli.sh through server `via`, retried while the ensemble settles (a new leader, a lagging follower). */
  const zkCli = async (ordinal: number, via: number, args: string[], expect: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const result = await cluster.exec(ordinal, ['zkCli.sh', '-server', `${FQDN(via)}:2181`, ...args]);
      // zkCli.sh prints data on stdout and "Created /x" on stderr.
      last = `exit ${result.code}: ${result.stdout}${result.stderr}`;
      if (result.code === 0 && expect.test(result.stdout + result.stderr)) return result.stdout;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    throw new Error(`zkCli.sh ${args.join(' ')} via ${FQDN(via)} never gave ${expect}: ${last.slice(-1500)}`);
  };
  const members = (config: string) => [...config.matchAll(/^server\.(\d+)=/gm)].map((m) => Number(m[1]));

  before(async () => {
    cluster = await PodCluster.start(three, { statefulSets: ['zk'] });
  });
  after(async () => {
    await cluster?.close();
  });

  it('forms an ensemble of 3: one leader, two followers', async () => {
    for (const ordinal of [0, 1, 2]) await cluster.waitReady(ordinal, 180_000);
    const modes = await Promise.all([0, 1, 2].map(mode));
    assert.deepEqual([...modes].sort(), ['follower', 'follower', 'leader'], `modes: ${modes.join(', ')}`);
    const config = await zkCli(0, 0, ['config'], /server\.3=/);
    assert.deepEqual(members(config), [1, 2, 3]);
    for (const ordinal of [0, 1, 2]) {
      assert.equal(await cluster.probe(ordinal, 'livenessProbe'), undefined, 'ruok answers imok');
      assert.equal(await cluster.probe(ordinal, 'startupProbe'), undefined);
    }
  });

  it('keeps myid on the volume: server id = ordinal + 1', async () => {
    for (const ordinal of [0, 1, 2]) {
      const result = await cluster.exec(ordinal, ['cat', '/data/zookeeper/myid']);
      assert.equal(result.stdout.trim(), String(ordinal + 1));
    }
  });

  it('reads through one server what was written through another', async () => {
    await zkCli(0, 0, ['create', '/proof', 'written-via-zk-0'], /Created \/proof/);
    await zkCli(2, 2, ['get', '/proof'], /^written-via-zk-0$/m);
  });

  it('survives stopping the leader: a write still succeeds, and the server rejoins', async () => {
    const modes = await Promise.all([0, 1, 2].map(mode));
    const leader = modes.indexOf('leader');
    const other = [0, 1, 2].find((o) => o !== leader)!;
    await cluster.stopPod(leader);
    await zkCli(other, other, ['create', '/after-stop', 'quorum-of-2'], /Created \/after-stop/, 120_000);
    await cluster.startPod(leader);
    await cluster.waitReady(leader, 180_000);
    await zkCli(leader, leader, ['get', '/after-stop'], /^quorum-of-2$/m);
  });

  it('3 → 4 with the printed runbook (apply, wait, reconfig -add): 4 members in /zookeeper/config', async () => {
    const steps = printedSteps(three, four);
    assert.deepEqual(steps.map((s) => s.kind), ['apply', 'exec', 'exec']);
    assert.ok(steps[2].kind === 'exec' && steps[2].command.join(' ').includes(`reconfig -add server.4=${FQDN(3)}:2888:3888:participant;${FQDN(3)}:2181`));
    await cluster.runRunbook(steps, four).catch((error: Error) => {
      throw new Error(`${error.message}\nzk-3:\n${cluster.logs(3)}`);
    });
    await cluster.waitReady(3, 180_000);
    assert.deepEqual(members(await zkCli(0, 0, ['config'], /server\.4=/)), [1, 2, 3, 4]);
    assert.deepEqual(members(await zkCli(3, 3, ['config'], /server\.4=/)), [1, 2, 3, 4], 'zk-3 has the committed configuration');
    assert.match((await mode(3)) ?? '', /^(follower|leader)$/);
    await zkCli(3, 3, ['get', '/proof'], /^written-via-zk-0$/m);
  });

  it('4 → 3 with the printed runbook (reconfig -remove, apply): 3 healthy members', async () => {
    const steps = printedSteps(four, three);
    assert.deepEqual(steps.map((s) => s.kind), ['exec', 'apply']);
    assert.ok(steps[0].kind === 'exec' && steps[0].command.join(' ').includes('reconfig -remove 4'));
    await cluster.runRunbook(steps, three);
    assert.deepEqual(cluster.running.map((p) => p.name).sort(), ['zk-0', 'zk-1', 'zk-2']);
    for (const ordinal of [0, 1, 2]) await cluster.waitReady(ordinal, 180_000);
    assert.deepEqual(members(await zkCli(1, 1, ['config'], /version=/)), [1, 2, 3]);
    const modes = await Promise.all([0, 1, 2].map(mode));
    assert.deepEqual([...modes].sort(), ['follower', 'follower', 'leader'], `modes: ${modes.join(', ')}`);
    await zkCli(1, 1, ['create', '/after-scale-down', 'ok'], /Created \/after-scale-down/);
  });
});
