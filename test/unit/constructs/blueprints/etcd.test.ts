/**
 * EtcdCluster: the synthesized YAML (snapshot), clean under every rule at every size it allows, each deliberately
 * broken variant caught by the rule that owns the fact, the construction-time refusals, the start-up script's
 * decisions (run by `sh` with a stand-in etcd), and `diff` guarding a change of size with an executable runbook.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Size, Testing } from 'cdk8s';
import { diffTexts } from '../../../../lib/api';
import { EtcdCluster, type EtcdClusterProps } from '../../../../lib/constructs';
import { runbook } from '../../../../lib/k8s/systems';
import { repoRoot } from '../../../e2e/synth-helpers';
import { findObject, findingLines, newChart, yamlText } from '../helpers';

const SNAPSHOT = path.join(repoRoot, 'test/unit/constructs/blueprints/__snapshots__/etcd.k8s.yaml');

function synth(props: EtcdClusterProps = {}): any[] {
  const chart = newChart({ namespace: 'db' });
  new EtcdCluster(chart, 'etcd', props);
  return Testing.synth(chart);
}

function findings(objects: readonly any[]): string[] {
  return findingLines(objects, 'etcd.k8s.yaml');
}

function statefulSet(objects: readonly any[]): any {
  return findObject(objects, 'StatefulSet', 'etcd');
}

function env(objects: readonly any[]): Map<string, any> {
  return new Map(statefulSet(objects).spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

describe('EtcdCluster', () => {
  it('synthesizes the committed snapshot (UPDATE_SNAPSHOTS=1 regenerates it)', () => {
    const text = yamlText(synth());
    if (process.env.UPDATE_SNAPSHOTS === '1') {
      fs.mkdirSync(path.dirname(SNAPSHOT), { recursive: true });
      fs.writeFileSync(SNAPSHOT, text);
    }
    assert.equal(text, fs.readFileSync(SNAPSHOT, 'utf8'));
  });

  const sizes: Array<[string, EtcdClusterProps]> = [
    ['1 member', { members: 1 }],
    ['3 members', {}],
    ['5 members', { members: 5 }],
    ['4 members grown from 3 (allowEvenMembers)', { members: 4, bootstrapMembers: 3, allowEvenMembers: true }],
    ['2 members shrunk from 3 (allowEvenMembers)', { members: 2, bootstrapMembers: 3, allowEvenMembers: true }],
    ['etcd 3.4.23', { version: '3.4.23' }],
    ['TLS from Secrets', { tls: { peerSecret: 'etcd-peer', clientSecret: 'etcd-client' } }],
    ['NFS volumes', { data: { nfs: { server: 'nfs1', pathPattern: '/etcd/data-{n}' } }, wal: { size: Size.gibibytes(1), nfs: { server: 'nfs1', pathPattern: '/etcd/wal-{n}', namePattern: 'etcd-wal-{n}' } } }],
  ];
  for (const [label, props] of sizes) {
    it(`${label}: no finding of any rule`, () => {
      assert.deepEqual(findings(synth(props)), []);
    });
  }

  it('implements ClusterMembers from the pod names', () => {
    const chart = newChart({ namespace: 'db' });
    const etcd = new EtcdCluster(chart, 'etcd', { members: 5 });
    assert.deepEqual(etcd.podFqdns, [0, 1, 2, 3, 4].map((i) => `etcd-${i}.etcd.db.svc.cluster.local`));
    assert.deepEqual(etcd.peers(), etcd.podFqdns.map((fqdn) => `${fqdn}:2380`));
    assert.deepEqual([etcd.quorum, etcd.faultTolerance], [3, 2]);
    assert.deepEqual(etcd.clientEndpoints, etcd.podFqdns.map((fqdn) => `http://${fqdn}:2379`));
  });

  it('writes what an etcd operator knows', () => {
    const objects = synth();
    const sts = statefulSet(objects);
    const vars = env(objects);
    assert.equal(sts.metadata.annotations['cdk8s-stateful.io/cluster'], 'etcd');
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Delete' });
    assert.deepEqual(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage]), [['data', '8Gi'], ['wal', '2Gi']]);
    assert.equal(findObject(objects, 'Service', 'etcd').spec.publishNotReadyAddresses, true);
    assert.equal(findObject(objects, 'PodDisruptionBudget', 'etcd').spec.maxUnavailable, 1);
    assert.equal(sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
    assert.equal(vars.get('ETCD_INITIAL_CLUSTER'), [0, 1, 2].map((i) => `etcd-${i}=http://etcd-${i}.etcd.db.svc.cluster.local:2380`).join(','));
    assert.deepEqual(vars.get('ETCD_NAME'), { fieldRef: { fieldPath: 'metadata.name' } });
    assert.deepEqual(vars.get('POD_IP'), { fieldRef: { fieldPath: 'status.podIP' } });
    assert.equal(vars.get('ETCD_LISTEN_CLIENT_URLS'), 'http://$(POD_IP):2379');
    assert.equal(vars.get('ETCDCTL_ENDPOINTS'), 'http://$(ETCD_NAME).etcd.db.svc.cluster.local:2379');
  });

  it('has no budget for 1 member (nor 2): none keeps the quorum without blocking every drain', () => {
    assert.equal(synth({ members: 1 }).filter((o) => o.kind === 'PodDisruptionBudget').length, 0);
    assert.equal(synth({ members: 2, bootstrapMembers: 3, allowEvenMembers: true }).filter((o) => o.kind === 'PodDisruptionBudget').length, 0);
  });

  it('probes /readyz and /livez from 3.5.11, /health and the client port before', () => {
    const probes = (version: string) => {
      const c = statefulSet(synth({ version })).spec.template.spec.containers[0];
      return [c.readinessProbe.httpGet?.path, c.livenessProbe.httpGet?.path ?? `tcp ${c.livenessProbe.tcpSocket.port}`, c.startupProbe.httpGet?.path ?? `tcp ${c.startupProbe.tcpSocket.port}`];
    };
    assert.deepEqual(probes('3.5.11'), ['/readyz', '/livez', '/livez']);
    assert.deepEqual(probes('3.5.10'), ['/health', 'tcp client', 'tcp client']);
    assert.deepEqual(probes('3.4.23'), ['/health', 'tcp client', 'tcp client']);
    assert.equal(statefulSet(synth({ version: '3.4.23' })).spec.template.spec.containers[0].image, 'registry.k8s.io/etcd:3.4.23-0');
  });

  it('with TLS: https URLs, the Secrets mounted, etcdctl given the certificates, probes on the plain metrics port', () => {
    const objects = synth({ tls: { peerSecret: 'etcd-peer', clientSecret: 'etcd-client' } });
    const vars = env(objects);
    const pod = statefulSet(objects).spec.template.spec;
    assert.match(vars.get('ETCD_INITIAL_CLUSTER'), /^etcd-0=https:\/\/etcd-0\./);
    assert.equal(vars.get('ETCD_LISTEN_PEER_URLS'), 'https://$(POD_IP):2380');
    assert.equal(vars.get('ETCD_LISTEN_METRICS_URLS'), 'http://$(POD_IP):2381');
    assert.equal(vars.get('ETCD_CLIENT_CERT_AUTH'), 'true');
    assert.equal(vars.get('ETCDCTL_CERT'), '/etc/etcd/tls/client/tls.crt');
    assert.deepEqual(pod.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName), ['etcd-peer', 'etcd-client']);
    assert.equal(pod.containers[0].readinessProbe.httpGet.port, 'metrics');
  });

  describe('refuses at construction', () => {
    const refusals: Array<[string, EtcdClusterProps, RegExp]> = [
      ['an even number of members', { members: 4 }, /EtcdCluster "etcd": members is 4: 4 members need a quorum of 3 and survive 1 lost, no more than 3 members do; use 3 or 5, or set allowEvenMembers: true/],
      ['an even bootstrap', { members: 3, bootstrapMembers: 2 }, /bootstrapMembers is 2: 2 members need a quorum of 2 and survive 0 lost/],
      ['no members', { members: 0 }, /members is 0; set a whole number >= 1/],
      ['a fractional size', { members: 2.5 }, /members is 2.5; set a whole number >= 1/],
      ['a bootstrap of 0', { bootstrapMembers: 0 }, /bootstrapMembers is 0; set the whole number of members \(>= 1\)/],
      ['a version that is no release number', { version: 'latest' }, /version "latest" is not a release number such as "3.5.16"/],
      ['a version without learners', { version: '3.3.27' }, /version 3.3.27 predates learners \(etcd 3.4.0\)/],
    ];
    for (const [label, props, message] of refusals) {
      it(label, () => assert.throws(() => synth(props), message));
    }
  });

  describe('a deliberately broken variant is caught by the rule that owns the fact', () => {
    const variants: Array<[string, string, (objects: any[]) => void]> = [
      ['peers-unready-dns', 'publishNotReadyAddresses dropped', (o) => { delete findObject(o, 'Service', 'etcd').spec.publishNotReadyAddresses; }],
      ['membership-list', 'a bootstrap peer renamed', (o) => {
        const v = statefulSet(o).spec.template.spec.containers[0].env.find((e: any) => e.name === 'ETCD_INITIAL_CLUSTER');
        v.value = v.value.replace(/etcd-2/g, 'etcd-7');
      }],
      ['quorum-pdb', 'the budget allows 2 of 3 members down', (o) => { findObject(o, 'PodDisruptionBudget', 'etcd').spec.maxUnavailable = 2; }],
      ['quorum-spread', 'the anti-affinity dropped', (o) => { delete statefulSet(o).spec.template.spec.affinity; }],
      ['liveness-needs-quorum', 'liveness on /health', (o) => { statefulSet(o).spec.template.spec.containers[0].livenessProbe.httpGet.path = '/health'; }],
      ['pod-management-policy', 'OrderedReady', (o) => { statefulSet(o).spec.podManagementPolicy = 'OrderedReady'; }],
    ];
    for (const [rule, label, mutate] of variants) {
      it(`${label}: ${rule}`, () => {
        const objects = synth();
        mutate(objects);
        const found = findings(objects);
        assert.ok(found.some((f) => f.startsWith(`${rule} `)), `expected a ${rule} finding, got ${JSON.stringify(found)}`);
      });
    }
  });

  describe('the start-up script (run by sh, a stand-in etcd printing what it was given)', () => {
    const script = findObject(synth(), 'ConfigMap', 'etcd-scripts').data['start.sh'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcd-start-'));
    fs.writeFileSync(path.join(dir, 'start.sh'), script);
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'etcd'), '#!/bin/sh\necho "$ETCD_INITIAL_CLUSTER_STATE $ETCD_INITIAL_CLUSTER"\n', { mode: 0o755 });
    const start = (pod: string, withWal: boolean): string => {
      const wal = fs.mkdtempSync(path.join(dir, 'wal-'));
      if (withWal) fs.writeFileSync(path.join(wal, '0000000000000000-0000000000000000.wal'), '');
      return execFileSync('sh', [path.join(dir, 'start.sh')], {
        encoding: 'utf8',
        env: {
          PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, ETCD_NAME: pod, ETCD_WAL_DIR: wal, BOOTSTRAP_MEMBERS: '3',
          ETCD_INITIAL_CLUSTER: 'static-list', ETCD_INITIAL_ADVERTISE_PEER_URLS: `http://${pod}.etcd.db.svc.cluster.local:2380`,
        },
      }).trim();
    };
    const member = (i: number) => `etcd-${i}=http://etcd-${i}.etcd.db.svc.cluster.local:2380`;

    it('a bootstrap member without a write-ahead log forms the cluster (new, the static list)', () => {
      assert.equal(start('etcd-2', false), 'new static-list');
    });
    it('a bootstrap member with a log restarts as existing', () => {
      assert.equal(start('etcd-0', true), 'existing static-list');
    });
    it('a pod beyond the bootstrap members joins with the members 0..its ordinal', () => {
      assert.equal(start('etcd-3', false), `existing ${[0, 1, 2, 3].map(member).join(',')}`);
      assert.equal(start('etcd-4', true), `existing ${[0, 1, 2, 3, 4].map(member).join(',')}`);
    });
  });

  describe('diff guards a change of size between two revisions', () => {
    const three = synth();
    const four = synth({ members: 4, bootstrapMembers: 3, allowEvenMembers: true });

    it('growing changes only spec.replicas of the StatefulSet (no rolling restart of the members)', () => {
      const before = statefulSet(three);
      const after = statefulSet(four);
      assert.deepEqual({ ...after, spec: { ...after.spec, replicas: 3 } }, before);
    });

    it('3 → 4 and 4 → 3: a warning carrying the runbook, every exec step without placeholders', () => {
      for (const [from, to, direction, ordinal] of [[three, four, 'up', 3], [four, three, 'down', 3]] as const) {
        const found = diffTexts(yamlText(from), yamlText(to)).findings.filter((f) => f.rule === 'unsafe-membership-change');
        assert.equal(found.length, 1);
        assert.equal(found[0].severity, 'warning');
        const steps = runbook({ system: 'etcd', statefulSet: 'etcd', serviceName: 'etcd', namespace: 'db', ordinal, direction, anchorOrdinal: 0 });
        for (const step of steps) {
          if (step.kind !== 'exec') continue;
          assert.ok(found[0].message.includes(step.command[step.command.length - 1]), `${direction}: the finding prints ${step.command.join(' ')}`);
          assert.doesNotMatch(step.command.join(' '), /<[^>]*>/);
        }
      }
    });
  });
});
