/**
 * EtcdCluster proven on the real etcd (Debian's etcd-server 3.4.23): one process per pod of the synthesized
 * StatefulSet with exactly its command (the start-up script from the ConfigMap), env, user and volumes. The cluster
 * forms with 3 started members; a write through one member is read through another; it keeps accepting writes with
 * one member stopped (what its budget of maxUnavailable 1 allows); the runbook `cdk8s-stateful plan` prints for
 * 3 → 4 yields 4 healthy voting members, and the one for 4 → 3 leaves 3 healthy members.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { diffTexts } from '../../../lib/api';
import { EtcdCluster, type EtcdClusterProps } from '../../../lib/constructs';
import { newChart } from '../../unit/constructs/helpers';
import { PodCluster, printedRunbook, serverTestSkipReason } from './pod-runner';

const skip = serverTestSkipReason('etcd', 'etcdctl', 'openssl');
const NAMESPACE = 'db';

/** The Debian package's release; the blueprint picks /health and a TCP liveness check for it. */
function revision(members: number, extra: EtcdClusterProps = {}): Record<string, any>[] {
  const props: EtcdClusterProps = { members, bootstrapMembers: 3, allowEvenMembers: members % 2 === 0, version: '3.4.23', ...extra };
  const chart = newChart({ namespace: NAMESPACE });
  new EtcdCluster(chart, 'etcd', props);
  return Testing.synth(chart);
}

/**
 * A CA and one certificate for every pod FQDN (server and client auth), as Secrets in cert-manager's layout. The
 * pods of the harness share the host's network namespace, so a peer connection arrives from 127.0.0.1, and etcd
 * authenticates a peer certificate against the connection's source address: the certificate names 127.0.0.1 too.
 */
function tlsSecrets(names: readonly string[]): Record<string, any>[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcd-tls-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=etcd-ca', '-days', '1');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=etcd');
    fs.writeFileSync(path.join(dir, 'ext.cnf'), `subjectAltName=DNS:*.etcd.${NAMESPACE}.svc.cluster.local,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n`);
    run('x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tls.crt', '-days', '1', '-extfile', 'ext.cnf');
    const data = Object.fromEntries(['tls.crt', 'tls.key', 'ca.crt'].map((key) => [key, fs.readFileSync(path.join(dir, key)).toString('base64')]));
    return names.map((name) => ({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name, namespace: NAMESPACE }, data }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Member { id: string; status: string; name: string; learner: string }

function parseMembers(stdout: string): Member[] {
  return stdout.trim().split('\n').filter(Boolean).map((line) => {
    const [id, status, name, , , learner] = line.split(', ');
    return { id, status, name, learner };
  });
}

/** The runbook `cdk8s-stateful plan` prints for one member, after checking that `diff` flags the change as a warning. */
function runbookOf(from: Record<string, any>[], to: Record<string, any>[]) {
  const yaml = (objects: Record<string, any>[]) => objects.map((o) => stringify(o)).join('---\n');
  const [finding] = diffTexts(yaml(from), yaml(to)).findings.filter((f) => f.rule === 'unsafe-membership-change');
  assert.equal(finding?.severity, 'warning');
  const members = printedRunbook(from, to);
  assert.equal(members.length, 1);
  return members[0];
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
    await cluster.runRunbook(runbookOf(three, four), four);
    await allHealthy([0, 1, 2, 3]);
    const list = await members(3);
    assert.deepEqual(list.map((m) => [m.name, m.status, m.learner]).sort(), [0, 1, 2, 3].map((i) => [`etcd-${i}`, 'started', 'false']));
    assert.equal((await etcdctl(3, 'get', 'greeting', '--print-value-only')).trim(), 'hello from etcd-0');
  });

  it('4 → 3 by the printed runbook: 3 healthy members, the removed member\'s claims gone', async () => {
    const claims = path.join(cluster.workDir, 'claims');
    await cluster.runRunbook(runbookOf(four, three), three, async (text) => {
      assert.match(text, /delete the claims of etcd-3 unless/);
      assert.deepEqual(fs.readdirSync(claims).filter((c) => c.endsWith('-etcd-3')), [], 'whenScaled: Delete removed them');
    });
    assert.deepEqual((await members()).map((m) => m.name).sort(), ['etcd-0', 'etcd-1', 'etcd-2']);
    await allHealthy([0, 1, 2]);
    await etcdctl(1, 'put', 'after-scale-down', 'ok');
  });
});

describe('EtcdCluster with TLS from Secrets on etcd 3.4.23', { skip, timeout: 300_000 }, () => {
  const tls = { peerSecret: 'etcd-peer', clientSecret: 'etcd-client' };
  const secrets = skip === undefined ? tlsSecrets([tls.peerSecret, tls.clientSecret]) : [];
  const three = [...revision(3, { tls }), ...secrets];
  const four = [...revision(4, { tls }), ...secrets];
  let cluster: PodCluster;

  before(async () => {
    cluster = await PodCluster.start(three, { statefulSets: ['etcd'] });
  });
  after(async () => {
    await cluster?.close();
  });

  it('forms over https, serves clients with certificates only, and grows 3 → 4 by the printed runbook', async () => {
    for (const i of [0, 1, 2]) await cluster.waitReady(i, 60_000);
    const put = await cluster.exec(0, ['etcdctl', 'put', 'secure', 'yes']);
    assert.equal(put.code, 0, put.stderr);
    const get = await cluster.exec(2, ['etcdctl', 'get', 'secure', '--print-value-only']);
    assert.equal(get.stdout.trim(), 'yes', get.stderr);
    const plain = await cluster.exec(1, ['etcdctl', '--endpoints=http://etcd-1.etcd.db.svc.cluster.local:2379', '--command-timeout=3s', 'get', 'secure']);
    assert.notEqual(plain.code, 0, 'a plain-http client is refused');
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const steps = runbookOf(three, four);
    assert.match(JSON.stringify(steps), /--peer-urls=https:\/\/etcd-3\./);
    await cluster.runRunbook(steps, four);
    await cluster.waitReady(3, 60_000);
    const list = parseMembers((await cluster.exec(3, ['etcdctl', 'member', 'list'])).stdout);
    assert.deepEqual(list.map((m) => [m.name, m.status, m.learner]).sort(), [0, 1, 2, 3].map((i) => [`etcd-${i}`, 'started', 'false']));
  });
});
