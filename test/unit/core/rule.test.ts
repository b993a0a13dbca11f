import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRegistry, defineRule, formatMessage } from '../../../lib/core/rule';
import { registry } from '../../../lib/rules';

const rule = defineRule({
  id: 'sample',
  phase: 'object',
  severity: 'warning',
  kinds: ['ConfigMap'],
  docs: { description: 'A sample rule for the tests.', remediation: 'Nothing to do.' },
  messages: {
    template: 'ConfigMap "{{name}}" has {{count}} keys',
    worded: (d: { count: number }) => `${d.count} key${d.count === 1 ? '' : 's'}`,
  },
  check: () => [],
});

describe('formatMessage', () => {
  it('fills a template from the data, and calls a message function with it', () => {
    assert.equal(formatMessage(rule, 'template', { name: 'cfg', count: 3 }), 'ConfigMap "cfg" has 3 keys');
    assert.equal(formatMessage(rule, 'worded', { count: 1 }), '1 key');
    assert.equal(formatMessage(rule, 'worded', { count: 2 }), '2 keys');
  });

  it('fails loudly on an unknown messageId or a placeholder without data (a bug in the rule)', () => {
    assert.throws(() => formatMessage(rule, 'nope', {}), /rule sample has no message "nope"/);
    assert.throws(() => formatMessage(rule, 'template', { name: 'cfg' }), /no data for \{\{count\}\}/);
    assert.throws(() => formatMessage(rule, 'toString', {}), /has no message "toString"/);
  });
});

describe('createRegistry', () => {
  it('refuses two rules with one id', () => {
    assert.throws(() => createRegistry([rule, rule]), /two rules with the id "sample"/);
  });

  it('sorts rules by what runs them, and lists the always-on rules with why', () => {
    assert.ok(registry.manifestRules.every((r) => r.phase === 'object' || r.phase === 'set'));
    assert.ok(!registry.manifestRules.some((r) => r.id === 'schema' || r.id === 'yaml-syntax'));
    assert.ok(registry.revisionRules.every((r) => r.phase === 'revision'));
    assert.deepEqual([...registry.alwaysOn.keys()], ['yaml-syntax']);
  });

  it('every message of every rule is a non-empty template or a function', () => {
    for (const r of registry.rules) {
      if ('engine' in r) continue;
      assert.ok(Object.keys(r.messages).length > 0, `${r.id} has no messages`);
      for (const [id, message] of Object.entries(r.messages)) {
        assert.ok(typeof message === 'function' || message.length > 0, `${r.id}.${id}`);
      }
    }
  });
});
