/**
 * The ZooKeeperEnsemble example of docs/blueprints/zookeeper.md (docs/examples/zookeeper.ts) runs as written: it
 * synthesizes, lints clean under every rule, passes the upstream 1.28 definitions, and writes what the page says.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseObjects, repoRoot, runExample } from './synth-helpers';
import { itLintsCleanAndPassesUpstream } from './docs-checks';

const EXAMPLE = path.join(repoRoot, 'docs/examples/zookeeper.ts');
const PAGE = path.join(repoRoot, 'docs/blueprints/zookeeper.md');

describe('docs: the ZooKeeperEnsemble example', () => {
  const source = fs.readFileSync(EXAMPLE, 'utf8');
  const dist = runExample(source);
  const file = path.join(dist, 'zookeeper.k8s.yaml');
  const objects = parseObjects(fs.readFileSync(file, 'utf8'));
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it('is quoted in docs/blueprints/zookeeper.md exactly as tested', () => {
    assert.ok(fs.readFileSync(PAGE, 'utf8').includes(`\`\`\`ts\n${source}\`\`\``), 'docs/blueprints/zookeeper.md must quote docs/examples/zookeeper.ts verbatim');
  });

  it('writes 3 participants and 1 observer, reconfig on, the settings and the storage asked for', () => {
    const servers = find('ConfigMap', 'zk-config').data['servers.cfg'].trim().split('\n');
    assert.equal(servers.length, 4);
    assert.equal(servers[0], 'server.1=zk-0.zk.coordination.svc.cluster.local:2888:3888:participant;zk-0.zk.coordination.svc.cluster.local:2181');
    assert.match(servers[3], /^server\.4=zk-3\.zk\.coordination\.svc\.cluster\.local:2888:3888:observer;/);
    const cfg = find('ConfigMap', 'zk-config').data['zoo.cfg'];
    assert.match(cfg, /^reconfigEnabled=true$/m);
    assert.match(cfg, /^maxClientCnxns=120$/m);
    const sts = find('StatefulSet', 'zk');
    assert.equal(sts.spec.replicas, 4);
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].spec.resources.requests, { storage: '20Gi' });
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.storageClassName, 'fast-ssd');
  });

  itLintsCleanAndPassesUpstream(file, objects);
});
