/**
 * docs/blueprints/etcd.md: its worked example (docs/examples/etcd.ts) runs as written, both of its revisions lint
 * clean, `diff` and `plan` between them print the runbook, and the docs quote the example and that runbook as they are.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diffPaths, lintPaths } from '../../lib/api';
import { formatRunbookStep, runbook, type MemberChange } from '../../lib/k8s/systems';
import { repoRoot, runExample } from './synth-helpers';

const EXAMPLE = path.join(repoRoot, 'docs/examples/etcd.ts');
const DOCS = path.join(repoRoot, 'docs/blueprints/etcd.md');

function synthWith(members: number): string {
  process.env.ETCD_MEMBERS = String(members);
  try {
    return path.join(runExample(fs.readFileSync(EXAMPLE, 'utf8')), 'etcd.k8s.yaml');
  } finally {
    delete process.env.ETCD_MEMBERS;
  }
}

describe('docs: EtcdCluster', () => {
  const docs = fs.readFileSync(DOCS, 'utf8');
  const three = synthWith(3);
  const four = synthWith(4);

  it('quotes docs/examples/etcd.ts verbatim', () => {
    assert.ok(docs.includes(`\`\`\`ts\n${fs.readFileSync(EXAMPLE, 'utf8')}\`\`\``));
  });

  it('both revisions lint clean', async () => {
    for (const file of [three, four]) {
      assert.deepEqual((await lintPaths([file])).findings.map((f) => `${f.rule}: ${f.message}`), []);
    }
  });

  for (const direction of ['up', 'down'] as const) {
    it(`diff prints the ${direction === 'up' ? '3 → 4' : '4 → 3'} runbook the docs quote`, async () => {
      const report = direction === 'up' ? await diffPaths(three, four) : await diffPaths(four, three);
      const [finding] = report.findings.filter((f) => f.rule === 'unsafe-membership-change');
      const change: MemberChange = { system: 'etcd', statefulSet: 'etcd', serviceName: 'etcd', namespace: 'etcd', ordinal: 3, direction, anchorOrdinal: 0 };
      const lines = runbook(change).map((step) => formatRunbookStep(step, change));
      lines.forEach((line, i) => assert.ok(finding.message.includes(`(${i + 1}) ${line}`), `diff prints step ${i + 1}`));
      assert.ok(docs.includes(`\`\`\`text\n${lines.join('\n')}\n\`\`\``), 'the docs quote the runbook as printed');
      const [from, to] = direction === 'up' ? [three, four] : [four, three];
      const plan = spawnSync(process.execPath, [path.join(repoRoot, 'build/lib/cli/main.js'), 'plan', from, to], { encoding: 'utf8' });
      assert.equal(plan.status, 0, plan.stderr);
      lines.forEach((line, i) => assert.ok(plan.stdout.includes(`    ${i + 1}. ${line}\n`), `plan prints step ${i + 1}`));
    });
  }
});
