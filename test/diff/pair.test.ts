import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from '../../lib/load/load';
import { groupOf, pairObjects } from '../../lib/diff/pair';
import { diffTexts } from '../../lib/api';

const load = (text: string) => loadText(text, 'x.yaml').manifests;

describe('pairObjects', () => {
  it('pairs by group, not version: apps/v1beta2 and apps/v1 are one object', () => {
    const pairs = pairObjects(
      load('apiVersion: apps/v1beta2\nkind: StatefulSet\nmetadata: {name: web}\n'),
      load('apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\n'),
    );
    assert.deepEqual(pairs.map((p) => [p.group, p.kind, p.namespace, p.name, !!p.old, !!p.new]),
      [['apps', 'StatefulSet', 'default', 'web', true, true]]);
  });

  it('resolves an unset namespace to the default, and gives cluster-scoped kinds none', () => {
    const pairs = pairObjects(
      load('kind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\n---\nkind: PersistentVolume\napiVersion: v1\nmetadata: {name: pv, namespace: shop}\n'),
      load('kind: ConfigMap\napiVersion: v1\nmetadata: {name: c, namespace: prod}\n---\nkind: PersistentVolume\napiVersion: v1\nmetadata: {name: pv}\n'),
      'prod',
    );
    assert.deepEqual(pairs.map((p) => [p.kind, p.namespace, !!p.old, !!p.new]),
      [['ConfigMap', 'prod', true, true], ['PersistentVolume', '', true, true]]);
  });

  it('keeps objects of different kinds, groups or namespaces apart', () => {
    const pairs = pairObjects(
      load('kind: Deployment\napiVersion: apps/v1\nmetadata: {name: a, namespace: ns1}\n'),
      load('kind: Deployment\napiVersion: apps/v1\nmetadata: {name: a, namespace: ns2}\n'),
    );
    assert.deepEqual(pairs.map((p) => [p.namespace, !!p.old, !!p.new]), [['ns2', false, true], ['ns1', true, false]]);
  });

  it('of two copies of one object in a revision, pairs the last (the copy kubectl apply keeps)', () => {
    const copies = 'kind: Service\napiVersion: v1\nmetadata: {name: web}\nspec: {clusterIP: None}\n---\n' +
      'kind: Service\napiVersion: v1\nmetadata: {name: web}\nspec: {type: ClusterIP}\n';
    const pairs = pairObjects(load(copies), load(copies));
    assert.equal(pairs.length, 1);
    assert.deepEqual([pairs[0].old?.manifest.docIndex, pairs[0].new?.manifest.docIndex], [1, 1]);
  });

  it('maps apiVersions to groups', () => {
    assert.deepEqual(['v1', 'apps/v1', 'storage.k8s.io/v1', undefined].map(groupOf), ['', 'apps', 'storage.k8s.io', '']);
  });
});

describe('diffTexts (programmatic API)', () => {
  const sts = (group: string, podManagementPolicy: string) =>
    `apiVersion: ${group}/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  podManagementPolicy: ${podManagementPolicy}\n`;

  it('finds a refused change between two texts, naming the revisions as asked', () => {
    const report = diffTexts(sts('apps', 'OrderedReady'), sts('apps', 'Parallel'), { newName: 'synth' });
    assert.deepEqual(report.findings.map((f) => [f.file, f.line, f.rule]), [['synth', 5, 'immutable-field']]);
  });

  it('leaves a custom resource that reuses a built-in kind name alone', () => {
    const report = diffTexts(sts('example.com', 'OrderedReady'), sts('example.com', 'Parallel'));
    assert.deepEqual(report.findings, []);
    assert.equal(report.summary.changed, 1);
  });
});

describe('diff of StatefulSets with huge or refused replicas (ordinals are ranges, never listed)', () => {
  const sts = (replicas: string) =>
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n' +
    `  replicas: ${replicas}\n  serviceName: web\n` +
    '  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {accessModes: [ReadWriteOnce]}\n';

  it('counts a scale-down from 30000000 replicas instead of listing it', () => {
    const report = diffTexts(sts('30000000'), sts('3'));
    assert.deepEqual(report.findings.map((f) => [f.rule, f.line]), [['scale-down-retains-claims', 5]]);
    assert.match(report.findings[0].message, /scales down from 30000000 to 3 replicas: pods web-3, web-4, web-5, web-6, web-7, web-8 and 29999991 more go away/);
    assert.match(report.findings[0].message, /claims data-web-3, .* and 29999991 more stay behind/);
  });

  it('answers a StatefulSet of 1000000000 replicas diffed against itself, and removed', () => {
    assert.deepEqual(diffTexts(sts('1000000000'), sts('1000000000')).findings, []);
    const removed = diffTexts(sts('1000000000'), '');
    assert.match(removed.findings[0].message, /claims data-web-0, .* and 999999994 more stay behind/);
  });

  it('says that it does not judge a revision whose replicas the API server refuses', () => {
    for (const replicas of ['4294967296', '1.0e+308', '-5']) {
      const report = diffTexts(sts('3'), sts(replicas));
      assert.equal(report.findings.length, 1, replicas);
      assert.match(report.findings[0].message, /^spec\.replicas: Invalid value: .*: must be (less|greater) than or equal to -?\d+: the API server refuses/);
    }
  });
});
