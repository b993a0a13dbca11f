import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildContext } from '../../../lib/lint/context';
import { loadText } from '../../../lib/load/load';

const text = [
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n',
  'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\n  namespace: ignored\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  labels: {second: "true"}\n',
].join('---\n');

describe('buildContext', () => {
  const { manifests } = loadText(text, 'set.yaml');

  it('gives namespaced objects their namespace or the default, and cluster-scoped kinds none', () => {
    const context = buildContext(manifests, 'apps');
    assert.deepEqual(manifests.map((m) => context.namespaceOf(m)), ['apps', 'shop', '', 'shop']);
    assert.equal(buildContext(manifests).namespaceOf(manifests[0]), 'default');
  });

  it('finds objects by kind, namespace and name; of two with one identity the last, as kubectl apply keeps', () => {
    const context = buildContext(manifests);
    assert.equal(context.find('Service', 'default', 'web'), manifests[0]);
    assert.equal(context.find('Service', 'shop', 'web'), manifests[3]);
    assert.equal(context.find('PersistentVolume', '', 'pv1'), manifests[2]);
    assert.equal(context.find('PersistentVolume', 'ignored', 'pv1'), undefined);
    // The earlier copy of Service shop/web is not the object: only duplicate-object looks at it.
    assert.deepEqual(context.byKind('Service'), [manifests[0], manifests[3]]);
    assert.deepEqual(context.byKind('StatefulSet'), []);
  });

  it('indexes only built-in kinds at an apiVersion 1.28 serves, not custom resources or removed versions', () => {
    const mixed = loadText(
      [
        'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: web\n',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
        'apiVersion: example.com/v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\n',
        'apiVersion: apps/v1beta1\nkind: StatefulSet\nmetadata:\n  name: db\n',
      ].join('---\n'),
      'mixed.yaml',
    ).manifests;
    const context = buildContext(mixed);
    assert.equal(context.find('Service', 'default', 'web'), mixed[1]);
    assert.deepEqual(context.byKind('Service'), [mixed[1]]);
    assert.deepEqual(context.byKind('PersistentVolume'), []);
    assert.deepEqual(context.byKind('StatefulSet'), []);
    assert.equal(context.find('StatefulSet', 'default', 'db'), undefined);
  });

  it('memoises per key for the whole run', () => {
    const context = buildContext(manifests);
    let builds = 0;
    const build = () => ({ n: ++builds });
    assert.equal(context.memo('index', build), context.memo('index', build));
    assert.equal(builds, 1);
    assert.deepEqual(context.memo('other', build), { n: 2 });
  });
});
