import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIFF_CHECKS, DIFF_RULES } from '../../lib/diff';
import { ENGINE_RULES } from '../../lib/lint/catalogue';

describe('diff rule catalogue', () => {
  it('describes every rule a diff check reports, once, with a description and a remediation sentence', () => {
    const catalogued = DIFF_RULES.map((rule) => rule.id);
    assert.equal(new Set(catalogued).size, catalogued.length, 'duplicate rule ids');
    assert.deepEqual([...new Set(DIFF_CHECKS.map((check) => check.id))].sort(), [...catalogued].sort());
    for (const rule of DIFF_RULES) {
      assert.ok(rule.description.length > 20, `${rule.id}: description`);
      assert.match(rule.remediation, /^[A-Z].*\.$/, `${rule.id}: remediation is one sentence`);
    }
  });

  it('uses no id of the engine rules', () => {
    const engine = new Set(ENGINE_RULES.map((rule) => rule.id));
    assert.deepEqual(DIFF_RULES.filter((rule) => engine.has(rule.id)), []);
  });
});
