/**
 * RabbitMQCluster: the synthesized YAML (snapshot), clean under every rule at every size and option it allows, each
 * deliberately broken variant caught by the rule that owns the fact, the construction-time refusals, the start-up
 * script (run by `sh` with a stand-in rabbitmq-server), and `diff` guarding a change of size with its runbook.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Size, Testing } from 'cdk8s';
import { diffTexts } from '../../../../lib/api';
import { RabbitMQCluster, RabbitMQFlavour, type RabbitMQClusterProps } from '../../../../lib/constructs';
import { formatRunbookStep, runbook, type MemberChange } from '../../../../lib/k8s/systems';
import { repoRoot } from '../../../e2e/synth-helpers';
import { findObject, findingLines, newChart, yamlText } from '../helpers';

const SNAPSHOT = path.join(repoRoot, 'test/unit/constructs/blueprints/__snapshots__/rabbitmq.k8s.yaml');
const COOKIE = { secret: 'rabbitmq-erlang-cookie' };

function synth(props: Partial<RabbitMQClusterProps> = {}): any[] {
  const chart = newChart({ namespace: 'mq' });
  new RabbitMQCluster(chart, 'rabbitmq', { erlangCookie: COOKIE, ...props });
  return Testing.synth(chart);
}

function findings(objects: readonly any[]): string[] {
  return findingLines(objects, 'rabbitmq.k8s.yaml');
}

function statefulSet(objects: readonly any[]): any {
  return findObject(objects, 'StatefulSet', 'rabbitmq');
}

function env(objects: readonly any[]): Map<string, any> {
  return new Map(statefulSet(objects).spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

function conf(objects: readonly any[]): string {
  return findObject(objects, 'ConfigMap', 'rabbitmq-config').data['rabbitmq.conf'];
}

const node = (i: number) => `rabbit@rabbitmq-${i}.rabbitmq.mq.svc.cluster.local`;

describe('RabbitMQCluster', () => {
  it('synthesizes the committed snapshot (UPDATE_SNAPSHOTS=1 regenerates it)', () => {
    const text = yamlText(synth());
    if (process.env.UPDATE_SNAPSHOTS === '1') {
      fs.mkdirSync(path.dirname(SNAPSHOT), { recursive: true });
      fs.writeFileSync(SNAPSHOT, text);
    }
    assert.equal(text, fs.readFileSync(SNAPSHOT, 'utf8'));
  });

  const variants: Array<[string, Partial<RabbitMQClusterProps>]> = [
    ['1 node', { nodes: 1 }],
    ['3 nodes', {}],
    ['4 nodes (a step from 3 to 5)', { nodes: 4 }],
    ['5 nodes', { nodes: 5 }],
    ['static-port distribution, Debian package', { distribution: 'static-port', flavour: RabbitMQFlavour.DEBIAN, erlArgs: ['+S', '1:1'] }],
    ['more settings and a longer grace period', { config: { 'vm_memory_high_watermark.relative': '0.6' }, terminationGracePeriodSeconds: 600 }],
    ['NFS volumes', { storage: { size: Size.gibibytes(4), nfs: { server: 'nfs1', pathPattern: '/rabbitmq/data-{n}' } } }],
  ];
  for (const [label, props] of variants) {
    it(`${label}: no finding of any rule`, () => {
      assert.deepEqual(findings(synth(props)), []);
    });
  }

  it('implements ClusterMembers from the pod names', () => {
    const chart = newChart({ namespace: 'mq' });
    const mq = new RabbitMQCluster(chart, 'rabbitmq', { nodes: 5, erlangCookie: COOKIE });
    assert.deepEqual(mq.podFqdns, [0, 1, 2, 3, 4].map((i) => `rabbitmq-${i}.rabbitmq.mq.svc.cluster.local`));
    assert.deepEqual(mq.peers(), [0, 1, 2, 3, 4].map(node));
    assert.deepEqual(mq.nodeNames, mq.peers());
    assert.deepEqual([mq.quorum, mq.faultTolerance], [3, 2]);
    assert.deepEqual(mq.amqpEndpoints, mq.podFqdns.map((fqdn) => `${fqdn}:5672`));
  });

  it('writes what a RabbitMQ operator knows', () => {
    const objects = synth();
    const sts = statefulSet(objects);
    const pod = sts.spec.template.spec;
    const vars = env(objects);
    assert.equal(sts.metadata.annotations['cdk8s-stateful.io/cluster'], 'rabbitmq');
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.equal(sts.spec.minReadySeconds, 30);
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Delete' });
    assert.equal(findObject(objects, 'Service', 'rabbitmq').spec.publishNotReadyAddresses, true);
    assert.equal(findObject(objects, 'PodDisruptionBudget', 'rabbitmq').spec.maxUnavailable, 1);
    assert.equal(pod.terminationGracePeriodSeconds, 180);
    assert.equal(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
    assert.equal(vars.get('RABBITMQ_USE_LONGNAME'), 'true');
    assert.equal(vars.get('RABBITMQ_NODENAME'), 'rabbit@$(POD_NAME).rabbitmq.mq.svc.cluster.local');
    assert.equal(vars.get('RABBITMQ_NODE_IP_ADDRESS'), '$(POD_IP)');
    assert.equal(vars.get('ERL_EPMD_ADDRESS'), '$(POD_IP)');
    assert.deepEqual(vars.get('POD_IP'), { fieldRef: { fieldPath: 'status.podIP' } });
    assert.equal(conf(objects), [
      'cluster_formation.peer_discovery_backend = classic_config',
      ...[0, 1, 2].map((i) => `cluster_formation.classic_config.nodes.${i + 1} = ${node(i)}`),
    ].join('\n') + '\n');
    const cookie = pod.volumes.find((v: any) => v.secret !== undefined);
    assert.deepEqual(cookie.secret, { secretName: 'rabbitmq-erlang-cookie', defaultMode: 0o400, items: [{ key: '.erlang.cookie', path: 'cookie' }] });
    assert.deepEqual(pod.containers[0].ports.map((p: any) => [p.name, p.containerPort]), [['amqp', 5672], ['dist', 25672], ['epmd', 4369]]);
  });

  it('static-port: no epmd, the node name given to erl, the CLI without a listener; Debian: its scripts on the PATH', () => {
    const objects = synth({ distribution: 'static-port', flavour: RabbitMQFlavour.DEBIAN, erlArgs: ['+S', '1:1'] });
    const vars = env(objects);
    assert.equal(vars.get('RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS'),
      '-name rabbit@$(POD_NAME).rabbitmq.mq.svc.cluster.local -start_epmd false -erl_epmd_port 25672 +S 1:1');
    assert.equal(vars.get('RABBITMQ_CTL_ERL_ARGS'), '-erl_epmd_port 25672 -dist_listen false');
    assert.equal(vars.has('ERL_EPMD_ADDRESS'), false);
    assert.match(vars.get('PATH'), /^\/usr\/lib\/rabbitmq\/bin:/);
    const container = statefulSet(objects).spec.template.spec.containers[0];
    assert.deepEqual(container.ports.map((p: any) => p.name), ['amqp', 'dist']);
    assert.match(findObject(objects, 'ConfigMap', 'rabbitmq-config').data['start.sh'], /exec \/usr\/lib\/rabbitmq\/bin\/rabbitmq-server\n$/);
  });

  describe('refuses at construction', () => {
    const refusals: Array<[string, Partial<RabbitMQClusterProps>, RegExp]> = [
      ['no Erlang cookie', { erlangCookie: undefined }, /RabbitMQCluster "rabbitmq": erlangCookie is missing: nodes cluster only when they share one Erlang cookie; name a Secret/],
      ['a cookie Secret without a name', { erlangCookie: { secret: '' } }, /erlangCookie is missing/],
      ['an empty cookie key', { erlangCookie: { secret: 's', key: '' } }, /erlangCookie.key is empty/],
      ['no nodes', { nodes: 0 }, /nodes is 0; set a whole number >= 1/],
      ['a fractional size', { nodes: 2.5 }, /nodes is 2.5; set a whole number >= 1/],
      ['a grace period under 120 s', { terminationGracePeriodSeconds: 30 }, /terminationGracePeriodSeconds is 30: a node stopping closes its connections.*set at least 120/],
      ['an unknown distribution', { distribution: 'dns' as never }, /distribution is "dns"; use "epmd" or "static-port"/],
      ['peer discovery in config', { config: { 'cluster_formation.peer_discovery_backend': 'k8s' } }, /config sets cluster_formation.peer_discovery_backend, which the blueprint writes/],
      ['listeners in config', { config: { 'listeners.tcp.default': '5673' } }, /config sets listeners.tcp.default/],
      ['a key that is no rabbitmq.conf key', { config: { 'a = b': 'c' } }, /config key "a = b" is not a rabbitmq.conf key/],
      ['a value over two lines', { config: { 'log.console': 'true\ncluster_formation.classic_config.nodes.9 = x' } }, /config log.console spans lines/],
    ];
    for (const [label, props, message] of refusals) {
      it(label, () => assert.throws(() => synth(props), message));
    }
  });

  describe('a deliberately broken variant is caught by the rule that owns the fact', () => {
    const setConf = (o: any[], edit: (text: string) => string) => {
      const cm = findObject(o, 'ConfigMap', 'rabbitmq-config');
      cm.data['rabbitmq.conf'] = edit(cm.data['rabbitmq.conf']);
    };
    const broken: Array<[string, string, (objects: any[]) => void]> = [
      ['peers-unready-dns', 'publishNotReadyAddresses dropped', (o) => { delete findObject(o, 'Service', 'rabbitmq').spec.publishNotReadyAddresses; }],
      ['membership-list', 'a peer renamed to a pod the set does not run', (o) => setConf(o, (t) => t.replace('rabbitmq-2.', 'rabbitmq-7.'))],
      ['membership-list', 'a peer listed twice', (o) => setConf(o, (t) => t.replace('rabbitmq-2.', 'rabbitmq-1.'))],
      ['membership-list', 'a peer left out', (o) => setConf(o, (t) => t.replace(/^cluster_formation\.classic_config\.nodes\.3 .*\n/m, ''))],
      ['peer-dns', 'a peer under another Service', (o) => setConf(o, (t) => t.replace('rabbitmq-2.rabbitmq.', 'rabbitmq-2.rabbit.'))],
      ['quorum-pdb', 'the budget allows 2 of 3 nodes down', (o) => { findObject(o, 'PodDisruptionBudget', 'rabbitmq').spec.maxUnavailable = 2; }],
      ['quorum-spread', 'the anti-affinity dropped', (o) => { delete statefulSet(o).spec.template.spec.affinity; }],
      ['pod-management-policy', 'OrderedReady', (o) => { statefulSet(o).spec.podManagementPolicy = 'OrderedReady'; }],
      ['rollout-outpaces-rejoin', 'minReadySeconds dropped', (o) => { delete statefulSet(o).spec.minReadySeconds; }],
      ['stateful-shutdown', 'forget_cluster_node in preStop', (o) => {
        statefulSet(o).spec.template.spec.containers[0].lifecycle = { preStop: { exec: { command: ['rabbitmqctl', 'forget_cluster_node', node(0)] } } };
      }],
    ];
    for (const [rule, label, mutate] of broken) {
      it(`${label}: ${rule}`, () => {
        const objects = synth();
        mutate(objects);
        const found = findings(objects);
        assert.ok(found.some((f) => f.startsWith(`${rule} `)), `expected a ${rule} finding, got ${JSON.stringify(found)}`);
      });
    }
  });

  describe('the start-up script (run by sh, a stand-in rabbitmq-server printing what it was given)', () => {
    const script = findObject(synth(), 'ConfigMap', 'rabbitmq-config').data['start.sh'] as string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rabbitmq-start-'));
    const cookieDir = path.join(dir, 'cookie');
    fs.mkdirSync(cookieDir);
    fs.writeFileSync(path.join(cookieDir, 'cookie'), 'the-shared-cookie');
    // The Secret's mount point moved into the temp directory; the rest of the script as synthesized.
    assert.match(script, /\/etc\/rabbitmq-cookie\/cookie/);
    fs.writeFileSync(path.join(dir, 'start.sh'), script.replace('/etc/rabbitmq-cookie', cookieDir));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'rabbitmq-server'), '#!/bin/sh\necho "$RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"\n', { mode: 0o755 });
    const start = (podIp: string, home: string) => spawnSync('sh', [path.join(dir, 'start.sh')], {
      encoding: 'utf8',
      env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, POD_IP: podIp, HOME: home, RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-name rabbit@x' },
    });

    it('binds the distribution listener to the pod IP, as an Erlang tuple', () => {
      const result = start('10.244.1.17', fs.mkdtempSync(path.join(dir, 'home-')));
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), '-name rabbit@x -kernel inet_dist_use_interface {10,244,1,17}');
    });

    it('copies the cookie to $HOME/.erlang.cookie, readable by its owner only, replacing an older one', () => {
      const home = fs.mkdtempSync(path.join(dir, 'home-'));
      fs.writeFileSync(path.join(home, '.erlang.cookie'), 'old', { mode: 0o400 });
      assert.equal(start('10.0.0.1', home).status, 0);
      assert.equal(fs.readFileSync(path.join(home, '.erlang.cookie'), 'utf8'), 'the-shared-cookie');
      assert.equal(fs.statSync(path.join(home, '.erlang.cookie')).mode & 0o777, 0o600);
    });

    it('refuses an IPv6 pod IP with a message', () => {
      const result = start('fd00::17', fs.mkdtempSync(path.join(dir, 'home-')));
      assert.equal(result.status, 1);
      assert.match(result.stderr, /pod IP fd00::17 is IPv6; Erlang distribution is bound to IPv4 pod IPs only/);
    });

    it('is POSIX sh (dash -n accepts it)', () => {
      assert.equal(execFileSync('sh', ['-n', path.join(dir, 'start.sh')], { encoding: 'utf8' }), '');
    });
  });

  describe('diff guards a change of size between two revisions', () => {
    const three = synth();
    const four = synth({ nodes: 4 });
    const change = (direction: 'up' | 'down'): MemberChange =>
      ({ system: 'rabbitmq', statefulSet: 'rabbitmq', serviceName: 'rabbitmq', namespace: 'mq', ordinal: 3, direction, anchorOrdinal: 0 });

    it('growing changes only spec.replicas of the StatefulSet (the peer list lives in the ConfigMap: no rolling restart)', () => {
      const after = statefulSet(four);
      assert.deepEqual({ ...after, spec: { ...after.spec, replicas: 3 } }, statefulSet(three));
      assert.match(conf(four), new RegExp(`nodes\\.4 = ${node(3).replace(/\./g, '\\.')}\\n$`));
    });

    it('3 → 4 is a warning carrying the runbook; 4 → 3 an error until the data is moved', () => {
      const up = diffTexts(yamlText(three), yamlText(four)).findings.filter((f) => f.rule === 'unsafe-membership-change');
      assert.equal(up.length, 1);
      assert.equal(up[0].severity, 'warning');
      for (const step of runbook(change('up'))) {
        assert.ok(up[0].message.includes(formatRunbookStep(step, { namespace: 'mq', direction: 'up' })), `the finding prints: ${JSON.stringify(step)}`);
        if (step.kind === 'exec') assert.doesNotMatch(step.command.join(' '), /<[^>]*>/);
      }
      const down = diffTexts(yamlText(four), yamlText(three)).findings.filter((f) => f.rule === 'unsafe-membership-change');
      assert.equal(down[0].severity, 'error');
      assert.match(down[0].message, /rabbitmq-queues shrink rabbit@rabbitmq-3\.rabbitmq\.mq\.svc\.cluster\.local.*forget_cluster_node rabbit@rabbitmq-3\./);
    });

    it('3 → 5 at once is an error', () => {
      const found = diffTexts(yamlText(three), yamlText(synth({ nodes: 5 }))).findings.filter((f) => f.rule === 'unsafe-membership-change');
      assert.equal(found[0].severity, 'error');
      assert.match(found[0].message, /2 members at once/);
    });
  });
});
