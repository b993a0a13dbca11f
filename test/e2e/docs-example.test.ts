/**
 * The PostgreSQL-like app of docs/constructs.md (docs/examples/postgres.ts) runs as written: it synthesizes, lints
 * clean, passes the upstream 1.28 definitions, and writes what the docs say it writes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseObjects, repoRoot, runExample } from './synth-helpers';
import { itLintsCleanAndPassesUpstream } from './docs-checks';

const EXAMPLE = path.join(repoRoot, 'docs/examples/postgres.ts');

describe('docs: the PostgreSQL-like app', () => {
  const source = fs.readFileSync(EXAMPLE, 'utf8');
  const dist = runExample(source);
  const file = path.join(dist, 'postgres.k8s.yaml');
  const objects = parseObjects(fs.readFileSync(file, 'utf8'));
  const sts = objects.find((o) => o.kind === 'StatefulSet');
  const pod = sts.spec.template.spec;

  it('is quoted in docs/constructs.md exactly as tested', () => {
    const docs = fs.readFileSync(path.join(repoRoot, 'docs/constructs.md'), 'utf8');
    assert.ok(docs.includes(`\`\`\`ts\n${source}\`\`\``), 'docs/constructs.md must quote docs/examples/postgres.ts verbatim');
  });

  it('writes the password from the Secret, the config from the ConfigMap, fsGroup, anti-affinity, preStop and an init container', () => {
    const [pg] = pod.containers;
    assert.deepEqual(pg.env.find((e: any) => e.name === 'POSTGRES_PASSWORD'), { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'pg-credentials', key: 'password' } } });
    assert.equal(pod.securityContext.fsGroup, 999);
    assert.equal(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(pg.lifecycle.preStop.exec.command, ['pg_ctl', 'stop', '-m', 'fast']);
    assert.equal(pod.initContainers[0].name, 'init-pgdata');
    assert.deepEqual(pod.volumes.map((v: any) => v.name), ['config', 'run']);
    assert.ok(objects.some((o) => o.kind === 'Service' && o.metadata.name === 'pg-client' && o.spec.type === 'ClusterIP'));
  });

  itLintsCleanAndPassesUpstream(file, objects);
});

describe('docs: the RedisCluster example', () => {
  const source = fs.readFileSync(path.join(repoRoot, 'docs/examples/redis.ts'), 'utf8');
  const file = path.join(runExample(source), 'redis.k8s.yaml');
  const objects = parseObjects(fs.readFileSync(file, 'utf8'));

  it('is quoted in docs/blueprints/redis.md exactly as tested', () => {
    const docs = fs.readFileSync(path.join(repoRoot, 'docs/blueprints/redis.md'), 'utf8');
    assert.ok(docs.includes(`\`\`\`ts\n${source}\`\`\``), 'docs/blueprints/redis.md must quote docs/examples/redis.ts verbatim');
  });

  it('runs 6 pods with the password from the Secret and the settings in redis.conf', () => {
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    assert.equal(sts.spec.replicas, 6);
    const [redis] = sts.spec.template.spec.containers;
    assert.deepEqual(redis.env.find((e: any) => e.name === 'REDISCLI_AUTH').valueFrom, { secretKeyRef: { name: 'redis-auth', key: 'password' } });
    const conf = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'redis-config').data['redis.conf'];
    assert.match(conf, /^maxmemory 1gb\nmaxmemory-policy allkeys-lru\n$/m);
    assert.ok(objects.some((o) => o.kind === 'Job' && /^redis-create-[0-9a-f]{8}$/.test(o.metadata.name)));
  });

  itLintsCleanAndPassesUpstream(file, objects);
});

describe('docs: the MongoReplicaSet example', () => {
  const source = fs.readFileSync(path.join(repoRoot, 'docs/examples/mongodb.ts'), 'utf8');
  const file = path.join(runExample(source), 'mongo.k8s.yaml');
  const objects = parseObjects(fs.readFileSync(file, 'utf8'));

  it('is quoted in docs/blueprints/mongodb.md exactly as tested', () => {
    const docs = fs.readFileSync(path.join(repoRoot, 'docs/blueprints/mongodb.md'), 'utf8');
    assert.ok(docs.includes(`\`\`\`ts\n${source}\`\`\``), 'docs/blueprints/mongodb.md must quote docs/examples/mongodb.ts verbatim');
  });

  it('runs 5 voting members of rs0 with the key file from the Secret', () => {
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    assert.equal(sts.spec.replicas, 5);
    assert.deepEqual(sts.spec.template.spec.containers[0].args.slice(0, 2), ['--replSet', 'rs0']);
    assert.equal(sts.spec.template.spec.volumes.find((v: any) => v.name === 'keyfile-secret').secret.secretName, 'mongo-keyfile');
    const script = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'mongo-init').data['initiate.js'];
    assert.equal((script.match(/host: '/g) ?? []).length, 5);
    assert.doesNotMatch(script, /votes: 0/);
  });

  itLintsCleanAndPassesUpstream(file, objects);
});
