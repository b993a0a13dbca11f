import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registry } from '../../lib/rules';

const allRules = registry.rules;

/** Issue 3's contract: every rule has an id, a default severity, a one-line description, a one-sentence remediation. */
describe('rule catalogue', () => {
  it('keeps the public rule ids of DESIGN.md', () => {
    const ids = allRules.map((rule) => rule.id);
    const contract = [
      'sts-service',
      'sts-selector',
      'vct-mount',
      'pvc-unbound',
      'pvc-nondeterministic',
      'pv-claim-ref',
    ];
    for (const id of contract) assert.ok(ids.includes(id), `missing rule ${id}`);
  });

  it('has unique kebab-case ids', () => {
    const ids = allRules.map((rule) => rule.id);
    assert.deepEqual([...new Set(ids)], ids);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      it('has a default severity', () => {
        assert.ok(rule.severity === 'error' || rule.severity === 'warning', `severity ${String(rule.severity)}`);
      });

      it('has a one-line description', () => {
        assert.ok(rule.docs.description.trim().length > 10, 'description too short');
        assert.ok(!rule.docs.description.includes('\n'), 'description spans lines');
      });

      it('has a remediation of one sentence ending with a period', () => {
        const { remediation } = rule.docs;
        assert.ok(!remediation.includes('\n'), 'remediation spans lines');
        assert.match(remediation, /^[A-Z].*\.$/, 'remediation must start with a capital and end with "."');
        // One sentence: no full stop followed by a new sentence inside (abbreviations like "e.g." are allowed).
        assert.doesNotMatch(remediation.slice(0, -1).replace(/\be\.g\.|\bi\.e\./g, ''), /\.\s+[A-Z]/);
      });

      it('looks at some kinds, or is reported by the engine itself', () => {
        assert.ok('engine' in rule || rule.kinds.length > 0);
      });
    });
  }
});
