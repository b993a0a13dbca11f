/** Consistency of the hand-written tables (removed APIs, cluster scope) with the kinds 1.28 serves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REMOVED_APIS as ALL_REMOVED_APIS } from '../../../lib/schema/removed-apis';
import { atLeast } from '../../../lib/k8s/versions';
import { servedKinds, validateSchema } from '../../../lib/schema/validate';
import { clusterScopedKinds, isClusterScoped, isClusterScopedIn, isServedBuiltIn, servedBuiltIns } from '../../../lib/k8s/kinds';
import { deriveSchemas } from '../../../lib/schema/derive';
import { constructGvk, loadAssembly } from '../../../scripts/gen-schemas';

const key = (k: { apiVersion: string; kind: string }): string => `${k.apiVersion} ${k.kind}`;
/** The removals in effect at 1.28 (later ones: test/unit/schema/versions.test.ts). */
const REMOVED_APIS = ALL_REMOVED_APIS.filter((r) => r.removedIn === undefined || atLeast('1.28', r.removedIn));

test('the generated validators serve exactly the kinds the assembly describes (the build is not stale)', () => {
  const derived = deriveSchemas(loadAssembly(), constructGvk).kinds.map(key).sort();
  assert.deepEqual(servedKinds().map(key).sort(), derived);
  const stateful = ['apps/v1 StatefulSet', 'v1 Service', 'v1 PersistentVolume', 'v1 PersistentVolumeClaim'];
  for (const k of [...stateful, 'storage.k8s.io/v1 StorageClass']) {
    assert.ok(derived.includes(k), k);
  }
});

test('every removed API names a replacement that 1.28 serves', () => {
  const served = new Set(servedKinds().map(key));
  const badReplacements = REMOVED_APIS.filter((r) => r.replacement && !served.has(key(r.replacement))).map(key);
  assert.deepEqual(badReplacements, []);
  const withNeither = REMOVED_APIS.filter((r) => !r.replacement && !r.advice).map(key);
  assert.deepEqual(withNeither, []);
});

test('no removed API is served', () => {
  const served = new Set(servedKinds().map(key));
  assert.deepEqual(REMOVED_APIS.filter((r) => served.has(key(r))).map(key), []);
});

test('every removed API validates as unserved', () => {
  const notUnserved = REMOVED_APIS.filter(
    (r) => validateSchema({ apiVersion: r.apiVersion, kind: r.kind }).status !== 'unserved',
  );
  assert.deepEqual(notUnserved.map(key), []);
});

test('every cluster-scoped kind is a built-in kind (served by 1.28 or removed)', () => {
  const builtIn = new Set([...servedKinds(), ...REMOVED_APIS].map((k) => k.kind));
  assert.deepEqual(clusterScopedKinds().filter((k) => !builtIn.has(k)), []);
});

test('isClusterScoped', () => {
  const clusterScoped = ['Namespace', 'PersistentVolume', 'StorageClass', 'ClusterRoleBinding', 'CSIDriver'];
  for (const kind of [...clusterScoped, 'CustomResourceDefinition', 'IngressClass', 'PriorityClass']) {
    assert.equal(isClusterScoped(kind), true, kind);
  }
  const namespaced = ['PersistentVolumeClaim', 'StatefulSet', 'Service', 'Pod', 'Role', 'RoleBinding', 'Lease'];
  // A custom resource's kind counts as namespaced; kinds are case-sensitive.
  for (const kind of [...namespaced, 'ServiceMonitor', 'persistentvolume']) {
    assert.equal(isClusterScoped(kind), false, kind);
  }
});

test('the k8s catalogue of built-in kinds serves exactly what the generated schemas validate', () => {
  assert.deepEqual(servedBuiltIns().map(key).sort(), servedKinds().map(key).sort());
  assert.equal(isServedBuiltIn('apps/v1', 'StatefulSet'), true);
  assert.equal(isServedBuiltIn('apps/v1beta1', 'StatefulSet'), false);
  assert.equal(isServedBuiltIn('serving.knative.dev/v1', 'Service'), false);
});

test('scope is decided by group and kind: a custom resource reusing a built-in name is namespaced', () => {
  assert.equal(isClusterScopedIn('', 'PersistentVolume'), true);
  assert.equal(isClusterScopedIn('storage.k8s.io', 'StorageClass'), true);
  assert.equal(isClusterScopedIn('example.com', 'PersistentVolume'), false);
  assert.equal(isClusterScopedIn('policy', 'PodSecurityPolicy'), true);
  assert.equal(isClusterScopedIn('apps', 'StatefulSet'), false);
});
