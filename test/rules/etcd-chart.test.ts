/**
 * The project's own etcd chart before and after issue 11: the operator-knowledge rules catch exactly the two
 * defects of the old output (every pod bootstrapping `new` from one static list; no anti-affinity), and the fixed
 * chart lints clean under every rule, at its default size and scaled up.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { EtcdChart } from '../../charts/etcd';
import { lintText, repoRoot } from './harness';

const BEFORE = path.join(repoRoot, 'test/fixtures/systems/etcd-chart-before.k8s.yaml');

function synth(props: ConstructorParameters<typeof EtcdChart>[2] = {}): string {
  const manifests = Testing.synth(new EtcdChart(new App({ outdir: os.tmpdir() }), 'etcd', props));
  return manifests.map((m) => stringify(m)).join('---\n');
}

describe('charts/etcd.ts', () => {
  it('before the fix: static bootstrap and no anti-affinity, nothing else', () => {
    const findings = lintText(fs.readFileSync(BEFORE, 'utf8'), BEFORE);
    assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.line]), [
      ['quorum-spread', 'error', 198],
      ['membership-list', 'warning', 214],
    ]);
    assert.match(findings[1].message, /couldn't find local name in the initial cluster configuration/);
    assert.match(findings[0].message, /3 replicas, quorum 2/);
  });

  for (const replicas of [3, 4, 5]) {
    it(`after the fix: ${replicas} replicas lint clean under every rule`, () => {
      const text = synth({ replicas, allowEvenMembers: replicas % 2 === 0 });
      assert.deepEqual(lintText(text, 'etcd.k8s.yaml').map((f) => `${f.rule}: ${f.message}`), []);
    });
  }

  for (const replicas of [1, 2]) {
    it(`${replicas} member(s): no budget (none can keep the quorum without blocking drains), lints clean`, () => {
      const text = synth({ replicas, allowEvenMembers: replicas % 2 === 0 });
      assert.doesNotMatch(text, /PodDisruptionBudget/);
      assert.deepEqual(lintText(text, 'etcd.k8s.yaml').map((f) => f.rule), []);
    });
  }
});
