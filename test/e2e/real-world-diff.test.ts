/**
 * `diff` on real revisions (test/real-world-diff/PAIRS.tsv): stored versions of public StatefulSet and claim
 * manifests, byte for byte, under <owner>__<repo>/<commit>/<path>, compared as a pull request's check would compare
 * them. EVERY finding is listed in EXPECTED with a one-line judgement, and every note about OLD in OLD_NOTES;
 * anything else fails the test. Three of these pairs once gave false alarms (an apps/v1beta1 selector taken for a
 * change, a fixed YAML error failing the fix) and one gave an error per label of one selector change.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diffPaths } from '../../lib/api';
import type { Finding } from '../../lib/core/types';

const root = path.resolve(__dirname, '../../../test/real-world-diff');

interface Pair {
  readonly pair: string;
  readonly repo: string;
  readonly old: string;
  readonly new: string;
}

function readPairs(): Pair[] {
  const [, ...rows] = fs.readFileSync(path.join(root, 'PAIRS.tsv'), 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [pair, repo, old, current] = row.split('\t');
    return { pair, repo, old, new: current };
  });
}

/** A finding as judged: the pair, where in NEW, what it says, and why it is right. */
interface Judged {
  readonly pair: string;
  readonly line: number;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly says: string;
  readonly why: string;
}

const EXPECTED: readonly Judged[] = [
  {
    pair: '1', line: 12, rule: 'scale-down-retains-claims', severity: 'warning', says: 'scales down from 3 to 2 replicas',
    why: 'true as a warning: pzoo-2 goes, its claim and data stay (whenScaled defaults to Retain)',
  },
  ...[13, 29, 45].map((line, ordinal): Judged => ({
    pair: '12', line, rule: 'immutable-field', severity: 'error',
    says: `spec.selector: {"matchLabels":{"app":"kafka","petindex":"${ordinal}"}} → {"matchLabels":{"app":"kafka","podindex":"${ordinal}"}}`,
    why: 'true, once per claim: a bound claim\'s spec is immutable but for its storage request',
  })),
  {
    pair: '14', line: 45, rule: 'immutable-field', severity: 'error',
    says: 'spec.selector: {"matchLabels":{"app":"zk"}} → {"matchLabels":{"app.kubernetes.io/name":"zk"}}',
    why: 'true: a StatefulSet selector cannot change; the Services\' and the PDB\'s selectors may, and are not reported',
  },
  {
    pair: '17', line: 10, rule: 'immutable-field', severity: 'warning', says: 'OLD sets no spec.selector, which the API server requires',
    why: 'true as a warning: OLD (apps/v1, no selector) was never created as written; the e2e framework filled in the template labels, which NEW writes out',
  },
  {
    pair: '18', line: 79, rule: 'immutable-field', severity: 'error',
    says: 'spec.volumeClaimTemplates[datadir].metadata.annotations: {"volume.alpha.kubernetes.io/storage-class":"anything"} → (unset)',
    why: 'true: ValidateStatefulSetUpdate compares the claim templates whole, metadata included',
  },
];

/** OLD's own problems, reported as notes (the commit that fixes one must pass). */
const OLD_NOTES: readonly { readonly pair: string; readonly says: string }[] = [
  { pair: '1', says: 'zookeeper/50pzoo.yml:7:1: duplicate key "spec"' },
];

describe('real-world revisions (test/real-world-diff)', () => {
  const pairs = readPairs();

  it('holds at least 8 pairs of stored versions, each present with its repository and commit', () => {
    assert.ok(pairs.length >= 8, `${pairs.length} pairs`);
    for (const pair of pairs) {
      for (const file of [pair.old, pair.new]) {
        assert.ok(fs.existsSync(path.join(root, file)), `${file} missing`);
        assert.match(file, new RegExp(`^${pair.repo.replace('/', '__')}/[0-9a-f]{40}/`), `${file}: repository and commit`);
      }
    }
  });

  for (const pair of pairs) {
    it(`pair ${pair.pair} (${pair.repo}): every finding judged, every judged finding found`, async () => {
      const report = await diffPaths(path.join(root, pair.old), path.join(root, pair.new));
      const judged = EXPECTED.filter((e) => e.pair === pair.pair);
      const matches = (f: Finding, e: Judged) =>
        f.line === e.line && f.rule === e.rule && f.severity === e.severity && f.message.includes(e.says);
      const unjudged = report.findings.filter((f) => !judged.some((e) => matches(f, e)));
      assert.deepEqual(unjudged.map((f) => `${f.line} ${f.severity} ${f.rule} ${f.message}`), []);
      for (const e of judged) assert.equal(report.findings.filter((f) => matches(f, e)).length, 1, `${e.line} ${e.rule}`);
      for (const f of report.findings.filter((f) => f.severity === 'error')) {
        assert.ok(f.file.endsWith(pair.new), 'errors point into NEW');
      }
      const notes = (report.summary.notes ?? []).filter((note) => note.startsWith('OLD '));
      const expectedNotes = OLD_NOTES.filter((n) => n.pair === pair.pair);
      assert.equal(notes.length, expectedNotes.length, notes.join('\n'));
      for (const n of expectedNotes) assert.ok(notes.some((note) => note.includes(n.says)), `no note with ${n.says}`);
    });
  }
});
