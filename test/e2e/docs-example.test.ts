/**
 * The PostgreSQL-like app of docs/constructs.md (docs/examples/postgres.ts) runs as written: it synthesizes, lints
 * clean, passes the upstream 1.28 definitions, and writes what the docs say it writes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lintPaths } from '../../lib/api';
import { parseObjects, repoRoot, runExample } from './synth-helpers';
import { loadValidators, UPSTREAM_SKIP, upstreamErrors } from './upstream-oracle';

const EXAMPLE = path.join(repoRoot, 'docs/examples/postgres.ts');

export { runExample };

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

  it('lints clean', async () => {
    const report = await lintPaths([file]);
    assert.deepEqual(report.findings.map((f) => `${f.rule}: ${f.message}`), []);
  });

  it('passes the upstream 1.28 definitions', { skip: UPSTREAM_SKIP }, () => {
    const validatorFor = loadValidators();
    assert.deepEqual(objects.map((o) => upstreamErrors(validatorFor, o)).filter(Boolean), []);
  });
});
