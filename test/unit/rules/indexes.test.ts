/**
 * The indexes the rules build once per run answer as the scans they replace, on random sets: claim names read as
 * `<template>-<set>-<ordinal>`, a StatefulSet's plan, the last copy of each identity, PV specs read once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ClaimNameShapes, claimPlan } from '../../../lib/rules/support/claims';
import { pvSpecOfManifest, pvSpecs, storageAnalysis } from '../../../lib/rules/support/storage';
import { IdentityIndex, lastCopies, objectIdentity } from '../../../lib/k8s/identity';
import { labelSelectorOf, pvSpecOf } from '../../../lib/k8s/storage';
import { compileLabelSelector } from '../../../lib/k8s/selector';
import { dig } from '../../../lib/k8s/values';
import { budgetsOf, clusters, statefulSetsOfBudget } from '../../../lib/rules/support/cluster';
import { buildContext } from '../../../lib/lint/context';
import { loadText } from '../../../lib/load/load';

/** Names from few characters, so that one name often ends in another followed by an ordinal. */
const names = fc.string({ unit: fc.constantFrom('a', 'b', '-', '0', '1', '\n'), minLength: 1, maxLength: 9 });

/** The scan ClaimNameShapes replaces: the first set, in order, whose claim-name pattern matches. */
function firstByPattern(sets: readonly string[], claimName: string) {
  for (const [position, name] of sets.entries()) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`^(.+)-${escaped}-(\\d+)$`).exec(claimName);
    if (match !== null) return { item: position, template: match[1], ordinalText: match[2] };
  }
  return undefined;
}

describe('ClaimNameShapes', () => {
  it('finds the first StatefulSet whose claim pattern a name matches, as trying every pattern does', () => {
    fc.assert(
      fc.property(fc.array(names, { maxLength: 6 }), fc.array(names, { minLength: 1, maxLength: 4 }), (sets, parts) => {
        const shapes = new ClaimNameShapes(sets.map((name, position) => ({ name, item: position })));
        // Claim names built from the set names are likely to match, others test the misses.
        const claimNames = [parts.join('-'), `${parts[0]}-${sets[0] ?? 'x'}-${parts.length}`, `${parts.join('')}-${sets.at(-1) ?? ''}-0${parts.length}`];
        for (const claimName of claimNames) assert.deepEqual(shapes.match(claimName), firstByPattern(sets, claimName), JSON.stringify({ sets, claimName }));
      }),
      { numRuns: 2000, seed: 13 },
    );
  });

  it('reads template and ordinal of a name whose StatefulSet name holds dashes and digits', () => {
    const shapes = new ClaimNameShapes([{ name: 'web', item: 'web' }, { name: 'db-1', item: 'db-1' }]);
    assert.deepEqual(shapes.match('data-db-1-10'), { item: 'db-1', template: 'data', ordinalText: '10' });
    assert.deepEqual(shapes.match('data-web-01'), { item: 'web', template: 'data', ordinalText: '01' });
    assert.equal(shapes.match('web-0'), undefined);
    assert.equal(shapes.match('data-web-'), undefined);
  });
});

/** A random set: StatefulSets with claim templates, PVCs and PVs over two namespaces, some objects repeated. */
const setText = fc
  .array(
    fc.record({
      kind: fc.constantFrom('StatefulSet', 'PersistentVolumeClaim', 'PersistentVolume'),
      name: fc.constantFrom('a', 'b', 'data-a-0', 'data-b-1', 'pv-1'),
      namespace: fc.constantFrom('x', 'y', ''),
      replicas: fc.nat({ max: 3 }),
      claimRef: fc.constantFrom('', 'data-a-0', 'data-a-5', 'logs-b-0'),
      size: fc.constantFrom('1Gi', '2Gi', ''),
      modes: fc.constantFrom('[ReadWriteOnce]', '[ReadWriteOnce, ReadWriteMany]', '[]'),
    }),
    { maxLength: 12 },
  )
  .map((objects) =>
    objects
      .map((o) => {
        const namespace = o.namespace === '' ? '' : `  namespace: ${o.namespace}\n`;
        if (o.kind === 'StatefulSet') {
          return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${o.name}\n${namespace}spec:\n  replicas: ${o.replicas}\n` +
            `  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {accessModes: ${o.modes}, storageClassName: "", resources: {requests: {storage: 1Gi}}}\n`;
        }
        if (o.kind === 'PersistentVolumeClaim') {
          return `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${o.name}\n${namespace}` +
            `spec: {accessModes: ${o.modes}, storageClassName: "", resources: {requests: {storage: 1Gi}}}\n`;
        }
        const claimRef = o.claimRef === '' ? '' : `  claimRef: {namespace: ${o.namespace || 'default'}, name: ${o.claimRef}}\n`;
        const capacity = o.size === '' ? '' : `  capacity: {storage: ${o.size}}\n`;
        return `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: ${o.name}\n  labels: {tier: t}\nspec:\n  accessModes: ${o.modes}\n${capacity}${claimRef}`;
      })
      .join('---\n'),
  );

describe('indexes of a lint run', () => {
  it('the plan of each StatefulSet is found by lookup as by scanning the plans', () => {
    fc.assert(
      fc.property(setText, (text) => {
        const context = buildContext(loadText(text, 'set.yaml').manifests);
        const plan = claimPlan(context);
        for (const manifest of context.byKind('StatefulSet')) {
          assert.equal(plan.statefulSetOf(manifest), plan.statefulSets.find((s) => s.manifest === manifest));
        }
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('each PV is read once per run: the rules and the binder share one spec per PV, in set order', () => {
    fc.assert(
      fc.property(setText, (text) => {
        const context = buildContext(loadText(text, 'set.yaml').manifests, 'default', { complete: true });
        const pvs = context.byKind('PersistentVolume');
        const specs = pvSpecs(context);
        assert.deepEqual([...specs.keys()], pvs);
        assert.equal(pvSpecs(context), specs);
        for (const pv of pvs) assert.equal(pvSpecOfManifest(pv, context), specs.get(pv));
        // Every PV the binding names (bound, alternative, pending explanation, contention) is that same object.
        const { binding } = storageAnalysis(context);
        const named = [
          ...[...binding.outcomes.values()].flatMap((o) => [o.pv, o.displacedFrom, ...o.alternatives]),
          ...binding.pending.flatMap((p) => [...p.fitting, ...p.mismatches.map((m) => m.pv)]),
          ...binding.contentions.flatMap((c) => c.pvs),
        ];
        for (const spec of named) if (spec !== undefined) assert.equal(spec, specs.get(spec.ref), spec.name);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('IdentityIndex keeps the last copy of each identity, as lastCopies does, and says whether one repeated', () => {
    fc.assert(
      fc.property(setText, (text) => {
        const { manifests } = loadText(text, 'set.yaml');
        const identify = (m: (typeof manifests)[number]) => objectIdentity(m.object, 'default');
        const index = new IdentityIndex<(typeof manifests)[number]>();
        for (const m of manifests) {
          const id = identify(m);
          if (id !== undefined) index.set(id, m);
        }
        const last = lastCopies(manifests, identify);
        for (const { id, item } of last.values()) assert.equal(index.get(id), item);
        // And the other way: what the index gives for any object is a last copy, so it holds no other.
        const lastItems = new Set([...last.values()].map(({ item }) => item));
        for (const m of manifests) {
          const id = identify(m);
          if (id !== undefined) assert.ok(lastItems.has(index.get(id)!), `${m.file}#${m.docIndex}`);
        }
        const identified = manifests.filter((m) => identify(m) !== undefined).length;
        assert.equal(index.repeated, identified > last.size);
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});

describe('pvSpecOf', () => {
  it('sets exactly the fields a PV gives, in one order', () => {
    const [full, bare] = loadText(
      'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: a, labels: {x: "1"}}\nspec:\n' +
        '  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: s\n  volumeMode: Block\n' +
        '  claimRef: {namespace: ns1, name: c, uid: u}\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: b}\n' +
        'spec:\n  claimRef: {name: c}\n',
      'pv.yaml',
    ).manifests;
    const spec = pvSpecOf(full.object, 'ref');
    assert.deepEqual(Object.keys(spec), ['name', 'capacity', 'accessModes', 'storageClassName', 'volumeMode', 'labels', 'claimRef', 'ref']);
    assert.deepStrictEqual(spec.claimRef, { namespace: 'ns1', name: 'c', uid: 'u' });
    assert.deepStrictEqual(pvSpecOf(bare.object, 'ref'), { name: 'b', accessModes: [], labels: {}, claimRef: { name: 'c' }, ref: 'ref' });
  });
});

describe('PodDisruptionBudget selectors compiled once per run', () => {
  const labels = fc.constantFrom('{}', '{app: a}', '{app: b}', '{app: a, tier: db}');
  const selectors = fc.constantFrom('{}', '{matchLabels: {app: a}}', '{matchExpressions: [{key: tier, operator: Exists}]}', '{matchLabels: {app: [x]}}');
  const set = fc.tuple(fc.array(labels, { minLength: 1, maxLength: 4 }), fc.array(selectors, { minLength: 1, maxLength: 4 })).map(([sets, pdbs]) => [
    ...sets.map((l, i) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s${i}}\nspec:\n  template:\n    metadata: {labels: ${l}}\n`),
    ...pdbs.map((s, i) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p${i}}\nspec: {maxUnavailable: 1, selector: ${s}}\n`),
  ].join('---\n'));

  it('budgetsOf and statefulSetsOfBudget agree with each PDB selector compiled afresh, in both directions', () => {
    fc.assert(
      fc.property(set, (text) => {
        const context = buildContext(loadText(text, 'set.yaml').manifests);
        const pdbs = context.byKind('PodDisruptionBudget');
        for (const cluster of clusters(context).values()) {
          const direct = pdbs.filter((pdb) => compileLabelSelector(labelSelectorOf(dig(pdb.object, 'spec', 'selector')))(cluster.view.templateLabels));
          assert.deepEqual(budgetsOf(cluster, context), direct);
          for (const pdb of pdbs) assert.equal(statefulSetsOfBudget(pdb, context).includes(cluster), direct.includes(pdb));
        }
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});
