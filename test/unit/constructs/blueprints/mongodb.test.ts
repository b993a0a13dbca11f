/**
 * MongoReplicaSet, proven by fixtures (MongoDB is not in Debian, so no real server runs here): the rs.initiate
 * document has the manual's shape, the initiation script initiates only a member that never was, readiness passes
 * only PRIMARY and SECONDARY, the mongod flags are the documented ones; plus the snapshot, clean lint, broken
 * variants, refusals and the runbook between revisions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as vm from 'node:vm';
import { App, Chart, Testing } from 'cdk8s';
import { diffTexts } from '../../../../lib/api';
import { MongoReplicaSet, type MongoReplicaSetProps } from '../../../../lib/constructs';
import { parseMongoInitiateHosts } from '../../../../lib/k8s/systems';
import { MONGODB_READINESS_COMMAND } from '../../../../lib/k8s/systems/mongodb';
import { findObject, findingLines, yamlText } from '../helpers';

const ROOT = path.resolve(__dirname, '../../../../..');
const SNAPSHOT = path.join(ROOT, 'test/unit/constructs/blueprints/__snapshots__/mongodb.k8s.yaml');
const FIXTURES = path.join(ROOT, 'test/fixtures/mongodb');
const KEY = { secret: 'mongo-key', key: 'keyfile' };
const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mongo-key', namespace: 'db' }, stringData: { keyfile: 'a'.repeat(32) } };

function chart(): Chart {
  return new Chart(new App({ outdir: os.tmpdir() }), 'mongo', { namespace: 'db' });
}

function make(props: Partial<MongoReplicaSetProps> = {}): { rs: MongoReplicaSet; objects: any[] } {
  const c = chart();
  const rs = new MongoReplicaSet(c, 'mongo', { keyFile: KEY, ...props });
  return { rs, objects: [...Testing.synth(c), SECRET] };
}

function findings(objects: readonly any[]): string[] {
  return findingLines(objects, 'dist/mongo.k8s.yaml');
}

/** Runs a mongosh script with `rs`, `db`, `print` and `quit` stubbed; returns what it initiated and printed. */
function runMongosh(script: string, status: () => unknown, hello: Record<string, unknown> = {}) {
  const initiated: unknown[] = [];
  const printed: string[] = [];
  let exitCode: number | undefined;
  const quit = (code = 0) => { exitCode = code; throw new QuitSignal(); };
  const context = vm.createContext({
    rs: { status, initiate: (doc: unknown) => { initiated.push(doc); return { ok: 1 }; } },
    db: { hello: () => hello },
    print: (text: string) => printed.push(text),
    quit,
  });
  try {
    vm.runInContext(script, context);
  } catch (error) {
    if (!(error instanceof QuitSignal)) throw error;
  }
  return { initiated: JSON.parse(JSON.stringify(initiated)), printed, exitCode };
}

class QuitSignal extends Error {}

const serverError = (codeName: string) => () => { throw Object.assign(new Error(codeName), { codeName }); };

describe('MongoReplicaSet', () => {
  it('matches its snapshot (UPDATE_SNAPSHOTS=1 rewrites it)', () => {
    const app = new App({ outdir: os.tmpdir() });
    new MongoReplicaSet(new Chart(app, 'mongo', { namespace: 'db' }), 'mongo', { keyFile: KEY });
    const text = app.synthYaml();
    if (process.env.UPDATE_SNAPSHOTS === '1') fs.writeFileSync(SNAPSHOT, text);
    assert.ok(fs.existsSync(SNAPSHOT), `no snapshot ${SNAPSHOT}: run with UPDATE_SNAPSHOTS=1 to write it`);
    assert.equal(text, fs.readFileSync(SNAPSHOT, 'utf8'), 'differs from the snapshot; if intended, rerun with UPDATE_SNAPSHOTS=1');
  });

  it('lints clean under every rule (3 voters; 5 members of which 3 vote)', () => {
    assert.deepEqual(findings(make().objects), []);
    assert.deepEqual(findings(make({ members: 5, voters: 3 }).objects), []);
  });

  it('writes an rs.initiate document of the manual\'s shape, hosts the pod FQDNs, non-voters with priority 0', () => {
    const { rs } = make({ members: 4, voters: 3, replSet: 'rs0' });
    const manual = runMongosh(fs.readFileSync(path.join(FIXTURES, 'rs-initiate.js'), 'utf8'), () => undefined).initiated[0] as any;
    const [ours] = runMongosh(rs.initiateScript, serverError('NotYetInitialized')).initiated as any[];
    const shape = (doc: any) => ({ keys: Object.keys(doc).sort(), members: doc.members.map((m: any) => Object.keys(m).sort()), ids: doc.members.map((m: any) => m._id) });
    assert.deepEqual(shape(ours), shape(manual));
    assert.equal(ours._id, 'rs0');
    assert.deepEqual(ours.members.map((m: any) => m.host), rs.peers());
    assert.ok(ours.members.every((m: any) => /^[a-z0-9.-]+:27017$/.test(m.host)));
    assert.deepEqual(ours.members[3], { _id: 3, host: 'mongo-3.mongo.db.svc.cluster.local:27017', votes: 0, priority: 0 });
    // lint reads the same hosts from the mounted script (membership-list)
    assert.deepEqual(parseMongoInitiateHosts(rs.initiateScript), rs.podFqdns);
  });

  it('initiates only a member that never was: rs.status() first', () => {
    const { rs } = make();
    assert.equal(runMongosh(rs.initiateScript, serverError('NotYetInitialized')).initiated.length, 1);
    const initiated = runMongosh(rs.initiateScript, () => ({ ok: 1, set: 'mongo' }));
    assert.deepEqual([initiated.initiated, initiated.printed], [[], ['the replica set is initiated: nothing to do']]);
    const withUsers = runMongosh(rs.initiateScript, serverError('Unauthorized'));
    assert.deepEqual([withUsers.initiated, withUsers.exitCode], [[], 0]);
    assert.throws(() => runMongosh(rs.initiateScript, serverError('HostUnreachable')), /HostUnreachable/);
    assert.deepEqual(rs.initiateCommand, ['mongosh', '--quiet', '/etc/mongo-init/initiate.js']);
    const sts = findObject(make().objects, 'StatefulSet', 'mongo');
    const mounts = sts.spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath);
    assert.ok(mounts.includes('/etc/mongo-init'), 'the script the command runs is mounted in every member');
  });

  it('is Ready only as PRIMARY or SECONDARY', () => {
    const readiness = MONGODB_READINESS_COMMAND[3];
    const exit = (hello: Record<string, unknown>) => runMongosh(readiness, () => undefined, hello).exitCode ?? 0;
    assert.equal(exit({ isWritablePrimary: true, secondary: false }), 0);
    assert.equal(exit({ isWritablePrimary: false, secondary: true }), 0);
    assert.equal(exit({ isWritablePrimary: false, secondary: false }), 1, 'STARTUP2, RECOVERING, an arbiter, or no replica set yet');
    const [mongod] = findObject(make().objects, 'StatefulSet', 'mongo').spec.template.spec.containers;
    assert.deepEqual(mongod.readinessProbe.exec.command, MONGODB_READINESS_COMMAND);
  });

  it('runs mongod with the documented flags: --replSet, --bind_ip_all, the key file copied with mode 0400', () => {
    const documented = new Map(fs.readFileSync(path.join(FIXTURES, 'mongod-args.txt'), 'utf8').split('\n')
      .filter((line) => line.startsWith('--')).map((line) => [line.split(' ')[0], line.endsWith(' value')]));
    const pod = findObject(make({ replSet: 'rs0' }).objects, 'StatefulSet', 'mongo').spec.template.spec;
    const args: string[] = pod.containers[0].args;
    for (let i = 0; i < args.length; i++) {
      assert.ok(documented.has(args[i]), `${args[i]} is no documented mongod option`);
      if (documented.get(args[i])) assert.ok(!args[++i].startsWith('--'), `${args[i - 1]} takes a value`);
    }
    assert.deepEqual(args.slice(0, 3), ['--replSet', 'rs0', '--bind_ip_all']);
    assert.equal(args[args.indexOf('--keyFile') + 1], '/etc/mongo-keyfile/keyfile');
    assert.match(pod.initContainers[0].command[2], /^cp \/etc\/mongo-secret\/keyfile \/etc\/mongo-keyfile\/keyfile && chmod 0400 /);
    assert.deepEqual(pod.volumes.find((v: any) => v.name === 'keyfile-secret').secret, { secretName: 'mongo-key', items: [{ key: 'keyfile', path: 'keyfile' }] });
  });

  it('tells its members and counts the voters', () => {
    const { rs } = make({ members: 5, voters: 3 });
    assert.equal(rs.podFqdns.length, 5);
    assert.equal(rs.peers()[4], 'mongo-4.mongo.db.svc.cluster.local:27017');
    assert.deepEqual([rs.quorum, rs.faultTolerance], [2, 1]);
  });

  describe('refuses what cannot work', () => {
    const refuses = (props: Partial<MongoReplicaSetProps>, pattern: RegExp) => assert.throws(() => make(props), pattern);
    it('an even number of votes', () => {
      refuses({ members: 4 }, /MongoReplicaSet "mongo": 4 voting members: an even number of votes .*set voters: 3 \(the others do not vote\)/);
      refuses({ members: 6, voters: 4 }, /set voters: 3 or 5/);
    });
    it('more than 7 voters, more voters than members, more than 50 members', () => {
      refuses({ members: 9 }, /9 voting members; a replica set has at most 7 .*set voters: 7 and the other 2 members do not vote/);
      refuses({ members: 3, voters: 5 }, /voters is 5; set a whole number from 1 to members \(3\)/);
      refuses({ members: 51, voters: 7 }, /members is 51; a replica set has 1 to 50 members/);
      assert.doesNotThrow(() => make({ members: 9, voters: 7 }));
    });
    it('a replica set name that is no plain word', () => {
      refuses({ replSet: "rs'0" }, /replSet "rs'0" may hold only letters, digits/);
    });
  });

  describe('broken variants are caught by the rule that owns the fact', () => {
    it('an initiation that leaves a member out (membership-list)', () => {
      const { objects } = make();
      const cm = findObject(objects, 'ConfigMap', 'mongo-init');
      cm.data['initiate.js'] = cm.data['initiate.js'].replace(/, \{ _id: 2, host: '[^']+' \}/, '');
      const found = findings(objects);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /^membership-list error: rs\.initiate members \(ConfigMap "mongo-init" key initiate\.js\) lists 2 members, but MongoDB replica set StatefulSet "mongo" runs 3 replicas/);
    });
    it('a liveness probe on rs.status() (liveness-needs-quorum), identified by --replSet alone', () => {
      const { objects } = make();
      const sts = findObject(objects, 'StatefulSet', 'mongo');
      delete sts.metadata.annotations;
      sts.spec.template.spec.containers[0].livenessProbe.exec.command = ['mongosh', '--eval', 'rs.status()'];
      const found = findings(objects);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /^liveness-needs-quorum warning: .*MongoDB replica set StatefulSet "mongo" checks the cluster/);
    });
    it('a budget that lets the quorum go (quorum-pdb)', () => {
      const { objects } = make({ members: 5, voters: 5 });
      findObject(objects, 'PodDisruptionBudget', 'mongo').spec.maxUnavailable = 3;
      assert.ok(findings(objects).some((f) => /^quorum-pdb error: /.test(f)));
    });
  });

  it('diff prints rs.add for one more member and refuses two at once', () => {
    const yamlOf = (props: Partial<MongoReplicaSetProps>) => yamlText(make(props).objects);
    const change = (a: Partial<MongoReplicaSetProps>, b: Partial<MongoReplicaSetProps>) =>
      diffTexts(yamlOf(a), yamlOf(b)).findings.filter((f) => f.rule === 'unsafe-membership-change');
    const [up] = change({ members: 3 }, { members: 4, voters: 3 });
    assert.equal(up.severity, 'warning');
    assert.match(up.message, /\(1\) apply the new revision \(replicas raised by one\); \(2\) kubectl exec -n db mongo-0 -- mongosh --eval 'rs\.add\("mongo-3\.mongo\.db\.svc\.cluster\.local:27017"\)'/);
    const [two] = change({ members: 3 }, { members: 5 });
    assert.equal(two.severity, 'error');
  });
});
