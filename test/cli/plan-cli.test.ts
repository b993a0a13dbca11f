/**
 * `cdk8s-stateful plan OLD NEW`: the runbook of each membership change, one revision per member, as text a user
 * follows or JSON a script (and the real-server tests) runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const repoRoot = path.resolve(__dirname, '../../..');
const main = path.join(repoRoot, 'build/lib/cli/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 'plan-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function zookeeper(replicas: number, namespace = 'zk'): string {
  const file = path.join(dir, `zk-${replicas}-${namespace}.yaml`);
  writeFileSync(file, `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: zk
  namespace: ${namespace}
  annotations: {cdk8s-stateful.io/cluster: zookeeper}
spec:
  serviceName: zk-hs
  replicas: ${replicas}
  selector: {matchLabels: {app: zk}}
  template:
    metadata: {labels: {app: zk}}
    spec:
      containers: [{name: zk, image: zookeeper:3.8}]
`);
  return file;
}

function plan(...args: string[]) {
  const result = spawnSync(process.execPath, [main, 'plan', ...args], { encoding: 'utf8', env: { ...process.env, DEBUG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cdk8s-stateful plan', () => {
  it('prints one revision per member that comes, with numbered steps', () => {
    const run = plan(zookeeper(3), zookeeper(5));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^ZooKeeper StatefulSet "zk" \(namespace zk\): 3 → 5 members \(annotation cdk8s-stateful\.io\/cluster: zookeeper\)\n/);
    assert.match(run.stdout, /  revision 1: add zk-3 \(replicas 4\)\n    1\. /);
    assert.match(run.stdout, /  revision 2: add zk-4 \(replicas 5\)\n    1\. /);
    assert.match(run.stdout, /zk-3\.zk-hs\.zk\.svc\.cluster\.local/);
  });

  it('removes members from the highest ordinal down, as the StatefulSet controller does', () => {
    const run = plan(zookeeper(5), zookeeper(3), '-f', 'json');
    assert.equal(run.status, 0, run.stderr);
    const { plans } = JSON.parse(run.stdout);
    assert.deepEqual(plans[0].members.map((m: { pod: string }) => m.pod), ['zk-4', 'zk-3']);
    assert.equal(plans[0].from, 5);
    for (const step of plans[0].members[0].steps) assert.equal(typeof step.text, 'string');
  });

  it('says there is nothing to do when no identified cluster changes size', () => {
    const run = plan(zookeeper(3), zookeeper(3));
    assert.deepEqual(run, { status: 0, stdout: 'No membership changes: no identified cluster changes its number of members.\n', stderr: '' });
  });

  it('exits 2 with the file named when a revision cannot be read or parsed', () => {
    const missing = plan(path.join(dir, 'absent.yaml'), zookeeper(3));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^cdk8s-stateful: plan: .*absent\.yaml: no such file or directory\n$/);
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'kind: [\n');
    const syntax = plan(zookeeper(3), broken);
    assert.equal(syntax.status, 2);
    assert.match(syntax.stderr, /broken\.yaml:\d+:\d+: /);
    assert.equal(plan(zookeeper(3)).status, 2);
  });
});
