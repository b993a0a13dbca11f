import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ignoredRules, isSuppressed } from '../../../lib/core/ignore';
import { loadText } from '../../../lib/load/load';

function manifest(annotations: string) {
  return loadText(`kind: ConfigMap\nmetadata:\n  name: a\n${annotations}`, 'a.yaml').manifests[0];
}

describe('ignore annotation', () => {
  it('lists the comma-separated rule ids, ignoring blanks', () => {
    assert.deepEqual([...ignoredRules(manifest('  annotations:\n    cdk8s-stateful.io/ignore: " sts-service, ,pvc-unbound "\n'))], ['sts-service', 'pvc-unbound']);
    assert.deepEqual([...ignoredRules(manifest(''))], []);
    assert.deepEqual([...ignoredRules(manifest('  annotations:\n    cdk8s-stateful.io/ignore: true\n'))], []);
  });

  it('suppresses when any of the given objects ignores the rule', () => {
    const quiet = manifest('  annotations:\n    cdk8s-stateful.io/ignore: pvc-unbound\n');
    const plain = manifest('');
    assert.equal(isSuppressed('pvc-unbound', plain, quiet), true);
    assert.equal(isSuppressed('pvc-unbound', plain), false);
    assert.equal(isSuppressed('sts-service', quiet), false);
  });
});
