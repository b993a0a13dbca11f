/**
 * ZooKeeperEnsemble: what it writes (server lines, myid script, whitelist, probes, quorum settings), that it lints
 * clean under every rule and that a broken variant is caught by the rule that owns the fact, what it refuses, and
 * the runbook `diff` prints between two sizes. The real servers run it in test/e2e/servers/zookeeper.test.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Size, Yaml, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ZooKeeperDistribution, ZooKeeperEnsemble, ZooKeeperEnsembleProps } from '../../../../lib/constructs';
import { diffTexts, lintObjects } from '../../../../lib/api';
import { findObject, newChart } from '../helpers';

const SNAPSHOT = path.join(__dirname, '../../../../../test/unit/constructs/blueprints/__snapshots__/zookeeper.k8s.yaml');
const FQDN = (i: number) => `zk-${i}.zk.default.svc.cluster.local`;
const RECONFIG: ZooKeeperEnsembleProps = { reconfigEnabled: true, superUser: { secret: 'zk-super' } };

function synth(props: ZooKeeperEnsembleProps = {}): any[] {
  const chart = newChart({ namespace: 'default' });
  new ZooKeeperEnsemble(chart, 'zk', props);
  return Testing.synth(chart);
}

function findings(objects: readonly unknown[]): string[] {
  return lintObjects(objects, 'zk.yaml').findings.map((f) => `${f.rule}: ${f.message}`);
}

function rulesOf(objects: readonly unknown[]): string[] {
  return [...new Set(lintObjects(objects, 'zk.yaml').findings.map((f) => f.rule))];
}

function container(objects: readonly any[]): any {
  return findObject(objects, 'StatefulSet', 'zk').spec.template.spec.containers[0];
}

function config(objects: readonly any[]): Record<string, string> {
  return findObject(objects, 'ConfigMap', 'zk-config').data;
}

describe('ZooKeeperEnsemble', () => {
  it('lists every pod as server.<ordinal + 1> with its FQDN for the quorum, election and client addresses', () => {
    const objects = synth();
    assert.equal(config(objects)['servers.cfg'], [0, 1, 2].map((i) =>
      `server.${i + 1}=${FQDN(i)}:2888:3888:participant;${FQDN(i)}:2181\n`).join(''));
    const chart = newChart({ namespace: 'default' });
    const zk = new ZooKeeperEnsemble(chart, 'zk', { servers: 5, observers: 2, idBase: 11 });
    assert.deepEqual(zk.ids, [11, 12, 13, 14, 15, 16, 17]);
    assert.equal(zk.serverLines[5], `server.16=${FQDN(5)}:2888:3888:observer;${FQDN(5)}:2181`);
    assert.equal(zk.serverLines[4], `server.15=${FQDN(4)}:2888:3888:participant;${FQDN(4)}:2181`);
    assert.deepEqual([zk.quorum, zk.faultTolerance], [3, 2], 'observers do not vote');
    assert.equal(zk.peers()[0], `${FQDN(0)}:2888:3888`);
    assert.equal(zk.connectString.split(',').length, 7);
    assert.equal(findObject(Testing.synth(chart), 'StatefulSet', 'zk').spec.replicas, 7);
  });

  it('writes myid from the ordinal in the start-up script, and refuses a volume that holds another id', () => {
    const script = config(synth({ idBase: 7 }))['start.sh'];
    assert.match(script, /ordinal="\$\{POD_NAME##\*-\}"\nid=\$\(\(ordinal \+ 7\)\)/);
    assert.match(script, /if \[ "\$kept" != "\$id" \]; then[^]*exit 1/);
    assert.match(script, /exec zkServer\.sh start-foreground "\$conf\/zoo\.cfg"/);
    assert.deepEqual(container(synth()).command, ['sh', '/config/start.sh']);
  });

  it('whitelists exactly the four-letter words its probes send, and probes its own address', () => {
    const objects = synth();
    assert.match(config(objects)['zoo.cfg'], /^4lw\.commands\.whitelist=ruok,srvr$/m);
    const c = container(objects);
    assert.match(c.readinessProbe.exec.command[2], /\/dev\/tcp\/\$POD_IP\/2181 .*echo srvr .*grep -q '\^Mode: '/);
    assert.match(c.livenessProbe.exec.command[2], /echo ruok .*imok/);
    assert.deepEqual(c.env.find((e: any) => e.name === 'POD_IP'), { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
    assert.match(config(objects)['zoo.cfg'], /^admin\.enableServer=false$/m);
    assert.match(config(objects)['zoo.cfg'], /^quorumListenOnAllIPs=false$/m);
  });

  it('with reconfigEnabled: standaloneEnabled=false, a dynamic file kept on the volume, the super digest from a Secret', () => {
    const objects = synth(RECONFIG);
    const cfg = config(objects);
    assert.match(cfg['zoo.cfg'], /^reconfigEnabled=true\nstandaloneEnabled=false\n$/m);
    assert.match(cfg['start.sh'], /dynamicConfigFile=\$dynamic/);
    assert.match(cfg['start.sh'], /grep -q "\^server\\\.\$id=" "\$dynamic"/);
    const env = container(objects).env;
    assert.deepEqual(env.find((e: any) => e.name === 'ZK_SUPER_DIGEST').valueFrom, { secretKeyRef: { name: 'zk-super', key: 'digest' } });
    assert.equal(env.find((e: any) => e.name === 'SERVER_JVMFLAGS').value, '-Xmx512m -Dzookeeper.DigestAuthenticationProvider.superDigest=$(ZK_SUPER_DIGEST)');
    assert.doesNotMatch(config(synth())['zoo.cfg'], /reconfigEnabled/);
  });

  it('runs the quorum as an operator would: Parallel, not-ready addresses published, one disruption, one pod per node', () => {
    const objects = synth();
    const sts = findObject(objects, 'StatefulSet', 'zk');
    assert.equal(sts.metadata.annotations['cdk8s-stateful.io/cluster'], 'zookeeper');
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.equal(findObject(objects, 'Service', 'zk').spec.publishNotReadyAddresses, true);
    assert.equal(findObject(objects, 'PodDisruptionBudget', 'zk').spec.maxUnavailable, 1);
    assert.equal(sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Delete' });
    assert.equal(synth({ servers: 1 }).filter((o) => o.kind === 'PodDisruptionBudget').length, 0, 'one server tolerates no disruption');
  });

  it('puts the Debian scripts on PATH for the Debian distribution', () => {
    const path = (o: any[]) => container(o).env.find((e: any) => e.name === 'PATH')?.value;
    assert.match(path(synth({ distribution: ZooKeeperDistribution.DEBIAN })), /:\/usr\/share\/zookeeper\/bin$/);
    assert.equal(path(synth()), undefined);
  });

  it('matches its snapshot (UPDATE_SNAPSHOTS=1 rewrites it)', () => {
    const chart = newChart({ namespace: 'default' });
    new k8s.KubeSecret(chart, 'super', { metadata: { name: 'zk-super' }, stringData: { password: 'change-me', digest: 'super:placeholder' } });
    new ZooKeeperEnsemble(chart, 'zk', { ...RECONFIG, observers: 1, heap: Size.mebibytes(256) });
    const text = Yaml.stringify(...Testing.synth(chart));
    if (process.env.UPDATE_SNAPSHOTS === '1') {
      fs.mkdirSync(path.dirname(SNAPSHOT), { recursive: true });
      fs.writeFileSync(SNAPSHOT, text);
    }
    assert.ok(fs.existsSync(SNAPSHOT), `no snapshot ${SNAPSHOT}: run with UPDATE_SNAPSHOTS=1 to write it`);
    assert.equal(text, fs.readFileSync(SNAPSHOT, 'utf8'), 'the YAML differs from its snapshot; if intended, rerun with UPDATE_SNAPSHOTS=1');
  });

  for (const [label, props] of [
    ['3 servers', {}],
    ['1 server', { servers: 1 }],
    ['5 servers, 2 observers, reconfig', { ...RECONFIG, servers: 5, observers: 2 }],
    ['Debian', { distribution: ZooKeeperDistribution.DEBIAN, storageClassName: 'fast' }],
  ] as Array<[string, ZooKeeperEnsembleProps]>) {
    it(`lints clean under every rule: ${label}`, () => {
      assert.deepEqual(findings(synth(props)), []);
    });
  }

  describe('a broken variant is caught by the rule that owns the fact', () => {
    it('publishNotReadyAddresses dropped: peers-unready-dns', () => {
      const objects = synth();
      delete findObject(objects, 'Service', 'zk').spec.publishNotReadyAddresses;
      assert.deepEqual(rulesOf(objects), ['peers-unready-dns']);
    });

    it('srvr taken out of the whitelist: zookeeper-4lw', () => {
      const objects = synth();
      const cm = findObject(objects, 'ConfigMap', 'zk-config');
      cm.data['zoo.cfg'] = cm.data['zoo.cfg'].replace('ruok,srvr', 'ruok');
      assert.deepEqual(rulesOf(objects), ['zookeeper-4lw']);
    });

    it('a server line left out: membership-list', () => {
      const objects = synth();
      const cm = findObject(objects, 'ConfigMap', 'zk-config');
      cm.data['servers.cfg'] = cm.data['servers.cfg'].split('\n').slice(0, 2).join('\n');
      assert.deepEqual(rulesOf(objects), ['membership-list']);
    });

    it('OrderedReady with a readiness probe that needs the quorum (srvr): pod-management-policy', () => {
      const objects = synth();
      findObject(objects, 'StatefulSet', 'zk').spec.podManagementPolicy = 'OrderedReady';
      const found = lintObjects(objects, 'zk.yaml').findings;
      assert.deepEqual(found.map((f) => f.rule), ['pod-management-policy']);
      assert.match(found[0].message, /its readiness probe needs the peers \(ZooKeeper answers srvr and stat with "not currently serving requests"/);
    });

    it('liveness asking srvr: liveness-needs-quorum', () => {
      const objects = synth();
      const c = container(objects);
      c.livenessProbe = c.readinessProbe;
      assert.deepEqual(rulesOf(objects), ['liveness-needs-quorum']);
    });

    it('two disruptions allowed: quorum-pdb', () => {
      const objects = synth();
      findObject(objects, 'PodDisruptionBudget', 'zk').spec.maxUnavailable = 2;
      assert.deepEqual(rulesOf(objects), ['quorum-pdb']);
    });
  });

  describe('refuses at construction', () => {
    const refuses = (props: ZooKeeperEnsembleProps, message: RegExp) =>
      assert.throws(() => synth(props), (e: Error) => { assert.match(e.message, /^ZooKeeperEnsemble "zk": /); assert.match(e.message, message); return true; });

    it('an even number of voting servers, unless allowed', () => {
      refuses({ servers: 4 }, /servers is 4, an even number: 4 servers need a quorum of 3 and survive 1 lost server, no more than 3 do; use 3 or 5/);
      assert.equal(findObject(synth({ servers: 4, allowEvenServers: true }), 'StatefulSet', 'zk').spec.replicas, 4);
    });

    it('server ids outside 1..255', () => {
      refuses({ idBase: 0 }, /server ids run from idBase 0 to 2, but .* must lie in 1\.\.255; set idBase between 1 and 253/);
      refuses({ idBase: 254 }, /from idBase 254 to 256/);
    });

    it('reconfigEnabled without the super user reconfig needs', () => {
      refuses({ reconfigEnabled: true }, /reconfigEnabled needs superUser: reconfig writes \/zookeeper\/config/);
    });

    it('a setting the blueprint owns, a heap that is no whole MiB, no servers', () => {
      refuses({ settings: { 'server.9': 'x:1:2' } }, /settings sets server\.9, which the blueprint writes itself/);
      refuses({ settings: { dataDir: '/x' } }, /settings sets dataDir/);
      refuses({ heap: Size.kibibytes(1000) }, /heap is 1000Ki; give a whole number of MiB/);
      refuses({ servers: 0 }, /servers is 0; set a whole number >= 1/);
      refuses({ observers: -1 }, /observers is -1/);
    });
  });

  describe('diff prints the runbook of a size change', () => {
    const revision = (props: ZooKeeperEnsembleProps) => Yaml.stringify(...synth(props));
    const change = (from: ZooKeeperEnsembleProps, to: ZooKeeperEnsembleProps) =>
      diffTexts(revision(from), revision(to)).findings.filter((f) => f.rule === 'unsafe-membership-change');

    it('with reconfig, 3 → 5 servers is refused: one member at a time', () => {
      const [finding] = change({ ...RECONFIG, servers: 3 }, { ...RECONFIG, servers: 5 });
      assert.equal(finding.severity, 'error');
    });

    it('with reconfig, 3 → 4 (allowed even): apply, wait until zk-3 serves, reconfig -add server.4 as the super user', () => {
      const [finding, ...rest] = change(RECONFIG, { ...RECONFIG, servers: 4, allowEvenServers: true });
      assert.equal(rest.length, 0);
      assert.equal(finding.severity, 'warning');
      assert.match(finding.message, /\(1\) apply the new revision \(replicas raised by one\); zk-3 starts with the current servers and itself/);
      assert.match(finding.message, /\(2\) kubectl exec -n default zk-0 -- bash -c 'for i in \$\(seq 1 90\); do exec 3<>\/dev\/tcp\/zk-3\.zk\.default\.svc\.cluster\.local\/2181/);
      assert.ok(finding.message.includes(
        `(3) kubectl exec -n default zk-0 -- sh -c 'printf '\\''%s\\n'\\'' "addauth digest super:$ZK_SUPER_PASSWORD" '\\''reconfig -add ` +
        `server.4=${FQDN(3)}:2888:3888:participant;${FQDN(3)}:2181'\\'' | zkCli.sh -server ${FQDN(0)}:2181'`), finding.message);
    });

    it('with reconfig, 4 → 3: reconfig -remove 4 first, then apply', () => {
      const [finding] = change({ ...RECONFIG, servers: 4, allowEvenServers: true }, RECONFIG);
      assert.match(finding.message, /Runbook: \(1\) kubectl exec -n default zk-0 -- sh -c .*'\\''reconfig -remove 4'\\''.*; \(2\) apply the new revision \(replicas lowered by one\)/);
    });

    it('static: apply, then restart the old servers one at a time, the leader last', () => {
      const [finding] = change({}, { servers: 4, allowEvenServers: true });
      assert.match(finding.message, /\(1\) apply the new revision \(replicas raised by one\); with zk-3 in every server's server\.N list; \(2\) restart the servers that still run the old list one at a time, the leader \(echo srvr shows "Mode: leader"\) last: for each of zk-0, zk-1, zk-2: kubectl delete pod -n default <pod>/);
    });
  });
});
