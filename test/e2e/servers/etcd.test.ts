/**
 * EtcdCluster proven on the real etcd (Debian's etcd-server 3.4.23): one process per pod of the synthesized
 * StatefulSet with exactly its command (the start-up script from the ConfigMap), env, user and volumes. The cluster
 * forms with 3 started members; a write through one member is read through another; it keeps accepting writes with
 * one member stopped (what its budget of maxUnavailable 1 allows); the runbook `diff` prints for 3 → 4 yields 4
 * healthy voting members, and the one for 4 → 3 leaves 3 healthy members.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { diffTexts } from '../../../lib/api';
import { EtcdCluster, type EtcdClusterProps } from '../../../lib/constructs';
import { formatRunbookStep, runbook, type MemberChange } from '../../../lib/k8s/systems';
import { newChart } from '../../unit/constructs/helpers';
import { PodCluster, serverTestSkipReason } from './pod-runner';

const skip = serverTestSkipReason('etcd', 'etcdctl');
const NAMESPACE = 'db';

/** The Debian package's release; the blueprint picks /health and a TCP liveness check for it. */
function revision(members: number): Record<string, any>[] {
  const props: EtcdClusterProps = { members, bootstrapMembers: 3, allowEvenMembers: members % 2 === 0, version: '3.4.23' };
  const chart = newChart({ namespace: NAMESPACE });
  new EtcdCluster(chart, 'etcd', props);
  return Testing.synth(chart);
}

interface Member { id: string; status: string; name: string; learner: string }

function parseMembers(stdout: string): Member[] {
  return stdout.trim().split('\n').filter(Boolean).map((line) => {
    const [id, status, name, , , learner] = line.split(', ');
    return { id, status, name, learner };
  });
}

/** The runbook of one change, checked to be what `diff` prints between the two revisions. */
function printedRunbook(from: Record<string, any>[], to: Record<string, any>[], direction: 'up' | 'down') {
  const change: MemberChange = { system: 'etcd', statefulSet: 'etcd', serviceName: 'etcd', namespace: NAMESPACE, ordinal: 3, direction, anchorOrdinal: 0 };
  const steps = runbook(change);
  const yaml = (objects: Record<string, any>[]) => objects.map((o) => stringify(o)).join('---\n');
  const [finding] = diffTexts(yaml(from), yaml(to)).findings.filter((f) => f.rule === 'unsafe-membership-change');
  assert.equal(finding?.severity, 'warning');
  steps.forEach((step, i) => assert.ok(finding.message.includes(`(${i + 1}) ${formatRunbookStep(step, change)}`), `diff prints step ${i + 1}`));
  return steps;
}

describe('EtcdCluster on etcd 3.4.23', { skip, timeout: 300_000 }, () => {
  let cluster: PodCluster;
  const three = revision(3);
  const four = revision(4);

  const etcdctl = async (ordinal: number, ...args: string[]) => {
    const result = await cluster.exec(ordinal, ['etcdctl', ...args]);
    assert.equal(result.code, 0, `etcdctl ${args.join(' ')} in etcd-${ordinal}: ${result.stderr}`);
    return result.stdout;
  };
  const members = async (ordinal = 0) => parseMembers((await cluster.exec(ordinal, ['etcdctl', 'member', 'list'])).stdout);
  const allHealthy = async (ordinals: readonly number[]) => {
    for (const i of ordinals) {
      await cluster.waitReady(i, 60_000);
      const health = await cluster.exec(i, ['etcdctl', 'endpoint', 'health']);
      assert.equal(health.code, 0, health.stderr);
      assert.match(health.stdout + health.stderr, /is healthy/);
    }
  };

  before(async () => {
    cluster = await PodCluster.start(three, { statefulSets: ['etcd'] });
  });
  after(async () => {
    await cluster?.close();
  });

  it('forms a cluster of 3 started members named after their pods', async () => {
    await allHealthy([0, 1, 2]);
    const list = await members();
    assert.deepEqual(list.map((m) => [m.name, m.status, m.learner]).sort(), [0, 1, 2].map((i) => [`etcd-${i}`, 'started', 'false']));
  });

  it('a write through one member is read through another', async () => {
    await etcdctl(0, 'put', 'greeting', 'hello from etcd-0');
    assert.equal((await etcdctl(2, 'get', 'greeting', '--print-value-only')).trim(), 'hello from etcd-0');
  });

  it('keeps accepting writes with one member stopped, and the member rejoins from its data', async () => {
    await cluster.stopPod(2);
    await etcdctl(0, 'put', 'while-down', 'still writable');
    assert.equal((await etcdctl(1, 'get', 'while-down', '--print-value-only')).trim(), 'still writable');
    await cluster.startPod(2);
    await allHealthy([2]);
    assert.equal((await etcdctl(2, 'get', 'while-down', '--print-value-only', '--consistency=s')).trim(), 'still writable');
    // etcd refuses membership changes ("etcdserver: unhealthy cluster", observed here) until every voting member
    // has been connected for a few seconds (etcdserver's HealthInterval, 5 s): an operator waits before scaling.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
  });

  it('3 → 4 by the printed runbook: 4 healthy voting members', async () => {
    await cluster.runRunbook(printedRunbook(three, four, 'up'), four);
    await allHealthy([0, 1, 2, 3]);
    const list = await members(3);
    assert.deepEqual(list.map((m) => [m.name, m.status, m.learner]).sort(), [0, 1, 2, 3].map((i) => [`etcd-${i}`, 'started', 'false']));
    assert.equal((await etcdctl(3, 'get', 'greeting', '--print-value-only')).trim(), 'hello from etcd-0');
  });

  it('4 → 3 by the printed runbook: 3 healthy members, the removed member\'s claims gone', async () => {
    const claims = path.join(cluster.workDir, 'claims');
    await cluster.runRunbook(printedRunbook(four, three, 'down'), three, async (text) => {
      assert.match(text, /delete the claims of etcd-3 unless/);
      assert.deepEqual(fs.readdirSync(claims).filter((c) => c.endsWith('-etcd-3')), [], 'whenScaled: Delete removed them');
    });
    assert.deepEqual((await members()).map((m) => m.name).sort(), ['etcd-0', 'etcd-1', 'etcd-2']);
    await allHealthy([0, 1, 2]);
    await etcdctl(1, 'put', 'after-scale-down', 'ok');
  });
});
