import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goLabelSelector } from '../../lib/diff/checks/selector-immutable';

describe('goLabelSelector (how the API server quotes a bad selector value)', () => {
  it('prints match labels sorted by key, and match expressions', () => {
    assert.equal(
      goLabelSelector({ matchLabels: { tier: 'db', app: 'x' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] }),
      'v1.LabelSelector{MatchLabels:map[string]string{"app":"x", "tier":"db"}, MatchExpressions:' +
        '[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"env", Operator:"In", Values:[]string{"a", "b"}}}}',
    );
  });
});
