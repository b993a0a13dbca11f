/**
 * docs/blueprints/rabbitmq.md: its worked example (docs/examples/rabbitmq.ts) runs as written, its revisions lint
 * clean, `diff` between them prints the runbook, and the docs quote the example and that runbook as they are.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diffPaths, lintPaths } from '../../lib/api';
import { formatRunbookStep, runbook, type MemberChange } from '../../lib/k8s/systems';
import { repoRoot, runExample } from './synth-helpers';

const EXAMPLE = path.join(repoRoot, 'docs/examples/rabbitmq.ts');
const DOCS = path.join(repoRoot, 'docs/blueprints/rabbitmq.md');

function synthWith(nodes: number, dataMoved = false): string {
  process.env.RABBITMQ_NODES = String(nodes);
  if (dataMoved) process.env.RABBITMQ_DATA_MOVED = 'true';
  try {
    return path.join(runExample(fs.readFileSync(EXAMPLE, 'utf8')), 'rabbitmq.k8s.yaml');
  } finally {
    delete process.env.RABBITMQ_NODES;
    delete process.env.RABBITMQ_DATA_MOVED;
  }
}

describe('docs: RabbitMQCluster', () => {
  const docs = fs.readFileSync(DOCS, 'utf8');
  const three = synthWith(3);
  const four = synthWith(4);
  const threeMoved = synthWith(3, true);

  it('quotes docs/examples/rabbitmq.ts verbatim', () => {
    assert.ok(docs.includes(`\`\`\`ts\n${fs.readFileSync(EXAMPLE, 'utf8')}\`\`\``));
  });

  it('every revision lints clean', async () => {
    for (const file of [three, four, threeMoved]) {
      assert.deepEqual((await lintPaths([file])).findings.map((f) => `${f.rule}: ${f.message}`), []);
    }
  });

  const cases = [['up', three, four, 'warning'], ['down', four, three, 'error'], ['down', four, threeMoved, 'warning']] as const;
  for (const [direction, from, to, severity] of cases) {
    it(`diff prints the ${direction === 'up' ? '3 → 4' : '4 → 3'} runbook the docs quote (${severity}${to === threeMoved ? ', data moved' : ''})`, async () => {
      const [finding] = (await diffPaths(from, to)).findings.filter((f) => f.rule === 'unsafe-membership-change');
      assert.equal(finding.severity, severity);
      const change: MemberChange = { system: 'rabbitmq', statefulSet: 'rabbitmq', serviceName: 'rabbitmq', namespace: 'messaging', ordinal: 3, direction, anchorOrdinal: 0 };
      const lines = runbook(change).map((step) => formatRunbookStep(step, change));
      lines.forEach((line, i) => assert.ok(finding.message.includes(`(${i + 1}) ${line}`), `diff prints step ${i + 1}`));
      assert.ok(docs.includes(`\`\`\`text\n${lines.join('\n')}\n\`\`\``), 'the docs quote the runbook as printed');
    });
  }
});
