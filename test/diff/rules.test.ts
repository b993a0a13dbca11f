import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalogueOf } from '../../lib/core/rule';
import { registry } from '../../lib/rules';

describe('diff rule catalogue', () => {
  it('lists every revision rule once, with a description, a remediation sentence and the kinds it checks', () => {
    const ids = registry.revisionRules.map((rule) => rule.id);
    assert.deepEqual(ids, [
      'immutable-field', 'scale-down-retains-claims', 'removed-sts-retains-claims', 'removed-pv-retains-data',
      'unsafe-membership-change',
    ]);
    for (const rule of registry.revisionRules) {
      assert.ok(rule.docs.description.length > 20, `${rule.id}: description`);
      assert.match(rule.docs.remediation, /^[A-Z].*\.$/, `${rule.id}: remediation is one sentence`);
      assert.ok(rule.kinds.length > 0, `${rule.id}: kinds`);
    }
  });

  it("diff's catalogue is the engine's rules and the revision rules, without lint's object and set rules", () => {
    const diff = catalogueOf(registry, 'diff').map((rule) => rule.id);
    assert.deepEqual(diff, ['yaml-syntax', 'schema', ...registry.revisionRules.map((rule) => rule.id)]);
    const lint = catalogueOf(registry, 'lint').map((rule) => rule.id);
    assert.deepEqual(lint.filter((id) => diff.includes(id)), ['yaml-syntax', 'schema']);
  });
});
