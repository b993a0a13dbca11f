/**
 * RedisCluster: the YAML it writes (snapshot), clean under every rule, broken variants caught by the rule that owns
 * the fact, refusals at construction, and the runbook `diff` prints between two revisions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App, Chart, Testing } from 'cdk8s';
import { diffTexts } from '../../../../lib/api';
import { RedisCluster, type RedisClusterProps } from '../../../../lib/constructs';
import { planPaths } from '../../../../lib/diff';
import { formatRunbookStep } from '../../../../lib/k8s/systems';
import { REDIS_LIVENESS_COMMAND, REDIS_READINESS_COMMAND } from '../../../../lib/k8s/systems/redis';
import { findObject, findingLines, ofKind, yamlText } from '../helpers';

const SNAPSHOT = path.resolve(__dirname, '../../../../../test/unit/constructs/blueprints/__snapshots__/redis.k8s.yaml');

function chart(): Chart {
  return new Chart(new App({ outdir: os.tmpdir() }), 'redis', { namespace: 'cache' });
}

function synth(props: RedisClusterProps = {}): any[] {
  const c = chart();
  new RedisCluster(c, 'redis', props);
  return Testing.synth(c);
}

function findings(objects: readonly any[]): string[] {
  return findingLines(objects, 'dist/redis.k8s.yaml');
}

function container(objects: readonly any[]): any {
  return findObject(objects, 'StatefulSet', 'redis').spec.template.spec.containers[0];
}

describe('RedisCluster', () => {
  it('matches its snapshot (UPDATE_SNAPSHOTS=1 rewrites it)', () => {
    const app = new App({ outdir: os.tmpdir() });
    new RedisCluster(new Chart(app, 'redis', { namespace: 'cache' }), 'redis');
    const text = app.synthYaml();
    if (process.env.UPDATE_SNAPSHOTS === '1') {
      fs.mkdirSync(path.dirname(SNAPSHOT), { recursive: true });
      fs.writeFileSync(SNAPSHOT, text);
    }
    assert.ok(fs.existsSync(SNAPSHOT), `no snapshot ${SNAPSHOT}: run with UPDATE_SNAPSHOTS=1 to write it`);
    assert.equal(text, fs.readFileSync(SNAPSHOT, 'utf8'), 'differs from the snapshot; if intended, rerun with UPDATE_SNAPSHOTS=1');
  });

  it('lints clean under every rule, with and without a password', () => {
    assert.deepEqual(findings(synth()), []);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'redis-auth', namespace: 'cache' }, stringData: { password: 'x' } };
    assert.deepEqual(findings([...synth({ password: { secret: 'redis-auth', key: 'password' }, masters: 5, replicasPerMaster: 2 }), secret]), []);
  });

  it('runs masters × (1 + replicasPerMaster) pods announcing their FQDN and listening on the pod IP', () => {
    const objects = synth({ masters: 4, replicasPerMaster: 2 });
    const sts = findObject(objects, 'StatefulSet', 'redis');
    assert.equal(sts.spec.replicas, 12);
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Delete' });
    const redis = container(objects);
    assert.deepEqual(redis.args, [
      '/etc/redis-cluster/redis.conf', '--bind', '$(POD_IP)', '--cluster-announce-ip', '$(POD_IP)',
      '--cluster-announce-hostname', '$(POD_FQDN)',
    ]);
    assert.deepEqual(redis.env.map((e: any) => e.name), ['POD_NAME', 'POD_IP', 'POD_FQDN']);
    assert.equal(redis.env[2].value, '$(POD_NAME).redis.cache.svc.cluster.local');
    assert.deepEqual(redis.livenessProbe.exec.command, REDIS_LIVENESS_COMMAND);
    assert.deepEqual(redis.readinessProbe.exec.command, REDIS_READINESS_COMMAND);
    const conf = findObject(objects, 'ConfigMap', 'redis-config').data['redis.conf'];
    for (const line of ['cluster-enabled yes', 'cluster-config-file /data/nodes.conf', 'cluster-preferred-endpoint-type hostname', 'protected-mode no']) {
      assert.ok(conf.split('\n').includes(line), `redis.conf lacks "${line}":\n${conf}`);
    }
    assert.equal(findObject(objects, 'PodDisruptionBudget', 'redis').spec.maxUnavailable, 1);
    assert.equal(findObject(objects, 'Service', 'redis').spec.publishNotReadyAddresses, true);
  });

  it('forms the cluster from every pod FQDN, masters first, in a Job whose name follows the script', () => {
    const c = chart();
    const redis = new RedisCluster(c, 'redis', { masters: 3, replicasPerMaster: 1 });
    const script = redis.createCommand[2];
    const create = /redis-cli --cluster create (.*) --cluster-replicas 1 --cluster-yes$/m.exec(script);
    assert.ok(create, script);
    assert.deepEqual(create[1].split(' '), redis.peers());
    assert.match(script, /^for h in (\S+ ){5}\S+; do k=\$\(known \$h\); case "\$k" in 1\) ;; .*\*\) echo "\$h already knows \$k nodes: the cluster exists, nothing to do"; exit 0;; esac; done$/m);
    const [job] = ofKind(Testing.synth(c), 'Job');
    assert.deepEqual(job.spec.template.spec.containers[0].command, redis.createCommand);
    const other = new RedisCluster(chart(), 'redis', { masters: 4 });
    assert.notEqual(other.createJob!.name, redis.createJob!.name, 'a changed script gets a new Job (a Job template is immutable)');
    assert.equal(ofKind(synth({ createJob: false }), 'Job').length, 0);
  });

  it('passes a password from a Secret to the server and to redis-cli, and keeps protected mode', () => {
    const objects = synth({ password: { secret: 'redis-auth', key: 'password' } });
    const redis = container(objects);
    assert.deepEqual(redis.env.find((e: any) => e.name === 'REDISCLI_AUTH').valueFrom, { secretKeyRef: { name: 'redis-auth', key: 'password' } });
    assert.deepEqual(redis.args.slice(-4), ['--requirepass', '$(REDISCLI_AUTH)', '--masterauth', '$(REDISCLI_AUTH)']);
    assert.ok(!findObject(objects, 'ConfigMap', 'redis-config').data['redis.conf'].includes('protected-mode'));
    const [job] = ofKind(objects, 'Job');
    assert.deepEqual(job.spec.template.spec.containers[0].env, [{ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } }]);
  });

  it('tells its members: FQDNs, peers, and the masters that vote on a failover', () => {
    const redis = new RedisCluster(chart(), 'redis', { masters: 5, replicasPerMaster: 1 });
    assert.equal(redis.podFqdns.length, 10);
    assert.equal(redis.podFqdns[9], 'redis-9.redis.cache.svc.cluster.local');
    assert.equal(redis.peers()[0], 'redis-0.redis.cache.svc.cluster.local:6379');
    assert.equal(redis.quorum, 3);
    assert.equal(redis.faultTolerance, 2);
    const three = new RedisCluster(chart(), 'redis');
    assert.deepEqual([three.quorum, three.faultTolerance], [2, 1]);
  });

  describe('refuses what cannot work', () => {
    const refuses = (props: RedisClusterProps, pattern: RegExp) =>
      assert.throws(() => new RedisCluster(chart(), 'redis', props), pattern);
    it('fewer than 3 masters, or not a whole number', () => {
      refuses({ masters: 2 }, /RedisCluster "redis": masters is 2; a Redis Cluster needs at least 3 masters: .*2 masters keep no majority/);
      refuses({ masters: 3.5 }, /masters is 3.5; a Redis Cluster needs at least 3 masters/);
    });
    it('a master without a replica', () => {
      refuses({ replicasPerMaster: 0 }, /replicasPerMaster is 0; give every master at least 1 replica/);
    });
    it('more nodes than the specification suggests', () => {
      assert.doesNotThrow(() => new RedisCluster(chart(), 'redis', { masters: 500, replicasPerMaster: 1, createJob: false }));
      refuses({ masters: 501, replicasPerMaster: 1 }, /= 1002 nodes; the cluster specification suggests at most 1000/);
    });
    it('an image older than Redis 7.0', () => {
      refuses({ image: 'redis:6.2.14-bookworm' }, /image "redis:6.2.14-bookworm" runs Redis 6: cluster-announce-hostname .* need Redis 7.0 or later/);
      assert.doesNotThrow(() => new RedisCluster(chart(), 'redis', { image: 'registry.example.com:5000/redis:7.2-alpine' }));
    });
    it('a node timeout that is no whole positive number of milliseconds', () => {
      refuses({ nodeTimeoutMs: 0 }, /nodeTimeoutMs is 0; set a whole number of milliseconds >= 1/);
    });
    it('settings the blueprint owns, or malformed ones', () => {
      refuses({ settings: { 'cluster-enabled': 'no' } }, /settings sets "cluster-enabled", which the blueprint writes itself/);
      refuses({ settings: { maxmemory: '1gb\nport 7000' } }, /settings "maxmemory" contains a line break/);
      refuses({ settings: { 'Max Memory': '1gb' } }, /settings key "Max Memory" is no redis.conf directive/);
    });
    it('a creation Job name beyond 63 characters', () => {
      refuses({ name: 'r'.repeat(48) }, /the creation Job's name "r{48}-create-[0-9a-f]{8}" is longer than 63 characters/);
      assert.doesNotThrow(() => new RedisCluster(chart(), 'redis', { name: 'r'.repeat(48), createJob: false }));
    });
  });

  describe('broken variants are caught by the rule that owns the fact', () => {
    const mutate = (edit: (objects: any[]) => void): string[] => {
      const objects = synth();
      edit(objects);
      return findings(objects);
    };
    it('a liveness probe that asks the cluster (liveness-needs-quorum), identified by image and cluster-enabled alone', () => {
      const found = mutate((objects) => {
        const sts = findObject(objects, 'StatefulSet', 'redis');
        delete sts.metadata.annotations;
        sts.spec.template.spec.containers[0].livenessProbe = sts.spec.template.spec.containers[0].readinessProbe;
      });
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /^liveness-needs-quorum warning: the liveness probe of container "redis" in Redis Cluster StatefulSet "redis" checks the cluster .*CLUSTER INFO reports cluster_state:fail/);
    });
    it('no publishNotReadyAddresses while readiness needs the cluster (peers-unready-dns)', () => {
      const found = mutate((objects) => { delete findObject(objects, 'Service', 'redis').spec.publishNotReadyAddresses; });
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /^peers-unready-dns error: Service "redis" governs Redis Cluster StatefulSet "redis" .*its readiness probe needs the cluster/);
    });
    it('OrderedReady while readiness needs the cluster (pod-management-policy)', () => {
      const found = mutate((objects) => { delete findObject(objects, 'StatefulSet', 'redis').spec.podManagementPolicy; });
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /^pod-management-policy warning: Redis Cluster StatefulSet "redis" uses podManagementPolicy OrderedReady/);
    });
  });

  describe('diff between revisions prints the runbook: a master and its replica come and go together', () => {
    const revision = (masters: number, annotations?: Record<string, string>) => yamlText(synth({ masters, annotations }));
    const membership = (before: string, after: string) => diffTexts(before, after).findings.filter((f) => f.rule === 'unsafe-membership-change');

    it('3 → 4 masters: apply, then add redis-6 (a master) and redis-7 (its replica)', () => {
      const [finding, ...rest] = membership(revision(3), revision(4));
      assert.equal(rest.length, 0);
      assert.equal(finding.severity, 'warning');
      assert.match(finding.message, /^Redis Cluster StatefulSet "redis" changes from 6 to 8 members: .* Runbook: \(1\) apply the new revision \(replicas raised by 2\); \(2\) kubectl exec -n cache redis-0 -- sh -c .*add-node redis-6\.redis\.cache\.svc\.cluster\.local:6379 redis-0\.redis\.cache\.svc\.cluster\.local:6379.*; \(3\) kubectl exec -n cache redis-0 -- sh -c .*add-node redis-7\.redis\.cache\.svc\.cluster\.local:6379 /);
      assert.doesNotMatch(finding.message, /one revision at a time/);
    });

    it('4 → 3 masters: slots moved off redis-7 and redis-6 before the apply, acknowledged by data-moved', () => {
      const [unacknowledged] = membership(revision(4), revision(3));
      assert.equal(unacknowledged.severity, 'error');
      assert.match(unacknowledged.message, /set the annotation cdk8s-stateful.io\/data-moved: "true" once it is/);
      assert.match(unacknowledged.message, /\(1\) kubectl exec -n cache redis-0 -- sh -c .*redis-cli -h redis-7\.redis\S* cluster myid.*--cluster-weight .*del-node.*\(2\) kubectl exec -n cache redis-0 -- sh -c .*redis-cli -h redis-6\.redis\S* cluster myid.*del-node.*\(3\) apply the new revision \(replicas lowered by 2\)$/);
      const [acknowledged] = membership(revision(4), revision(3, { 'cdk8s-stateful.io/data-moved': 'true' }));
      assert.equal(acknowledged.severity, 'warning');
    });

    it('plan: one revision for a master and its replica, one apply; etcd stays one member per revision', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-plan-'));
      const write = (name: string, text: string) => { fs.writeFileSync(path.join(dir, name), text); return path.join(dir, name); };
      const [plan] = await planPaths(write('old.yaml', yamlText(synth({ replicasPerMaster: 2 }))), write('new.yaml', yamlText(synth({ masters: 4, replicasPerMaster: 2 }))), {});
      assert.equal(plan.members.length, 1);
      const [member] = plan.members;
      assert.deepEqual([member.ordinals, member.replicas], [[9, 10, 11], 12]);
      assert.deepEqual(member.steps.map((s) => s.kind), ['apply', 'exec', 'exec', 'exec']);
      assert.deepEqual(member.steps.slice(1).map((s) => s.kind === 'exec' && /add-node (\S+):6379/.exec(s.command[2])?.[1]),
        ['redis-9.redis.cache.svc.cluster.local', 'redis-10.redis.cache.svc.cluster.local', 'redis-11.redis.cache.svc.cluster.local']);
      assert.equal(formatRunbookStep(member.steps[0], member.change), 'apply the new revision (replicas raised by 3)');
      const etcd = (n: number) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: etcd, annotations: {cdk8s-stateful.io/cluster: etcd}}\nspec: {replicas: ${n}, serviceName: etcd, template: {spec: {containers: [{name: etcd, image: etcd}]}}}\n`;
      const [etcdPlan] = await planPaths(write('e3.yaml', etcd(3)), write('e5.yaml', etcd(5)), {});
      assert.deepEqual(etcdPlan.members.map((m) => [m.ordinals, m.replicas]), [[[3], 4], [[4], 5]]);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
});
