import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildContext, isServedBuiltIn, replacedCopies } from '../../../lib/lint/context';
import { loadText } from '../../../lib/load/load';
import { identityKey, objectIdentity } from '../../../lib/k8s/identity';
import type { Manifest } from '../../../lib/core/types';

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

describe('buildContext identities', () => {
  const kinds = [
    'apiVersion: v1\nkind: Service',
    'apiVersion: serving.knative.dev/v1\nkind: Service',
    'apiVersion: apps/v1\nkind: StatefulSet',
    'apiVersion: apps/v1beta1\nkind: StatefulSet',
    'apiVersion: v1\nkind: PersistentVolume',
  ];
  const documents = fc.array(
    fc.record({ kind: fc.nat({ max: kinds.length - 1 }), name: fc.constantFrom('a', 'b', ''), namespace: fc.constantFrom('', 'x') }),
    { maxLength: 12 },
  );

  it('replaces earlier copies of any kind with the last, and finds the last served copy, as a scan does', () => {
    fc.assert(
      fc.property(documents, (docs) => {
        const text = docs
          .map(({ kind, name, namespace }) => `${kinds[kind]}\nmetadata:\n  name: "${name}"\n${namespace ? `  namespace: ${namespace}\n` : ''}`)
          .join('---\n');
        const { manifests } = loadText(text || 'apiVersion: v1\nkind: Service\n', 'set.yaml');
        const context = buildContext(manifests);
        const id = (m: Manifest) => objectIdentity(m.object, 'default');
        const same = (a: Manifest, b: Manifest) => identityKey(id(a)!) === identityKey(id(b)!);
        const expected = new Map<Manifest, Manifest>();
        manifests.forEach((m, i) => {
          const later = id(m) === undefined ? [] : manifests.slice(i + 1).filter((n) => id(n) !== undefined && same(m, n));
          if (later.length > 0) expected.set(m, later[later.length - 1]);
        });
        assert.deepEqual([...replacedCopies(context)], [...expected]);
        for (const m of manifests) {
          const mid = id(m);
          if (mid === undefined || !isServedBuiltIn(m.object)) continue;
          const served = manifests.filter((n) => isServedBuiltIn(n.object) && id(n) !== undefined && same(m, n));
          assert.equal(context.find(mid.kind, mid.namespace, mid.name), served[served.length - 1]);
          assert.equal(context.byKind(mid.kind).includes(m), m === served[served.length - 1]);
        }
      }),
      { numRuns: 500, seed: 13 },
    );
  });
});
