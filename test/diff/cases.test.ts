/**
 * One file pair per kind of change (test/fixtures/diff/<case>/{old,new}.yaml): `diff` must say "error" exactly
 * when a Kubernetes 1.28 API server refuses to apply NEW over OLD, with its message, on the NEW line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { diffPaths, diffTexts } from '../../lib/api';
import { formatText } from '../../lib/report/text';
import { notesOf } from '../../lib/report/summary';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/diff');

// The 1.28 API server's own words, written out here so that a change in lib/diff cannot silently change them.
const STS_FORBIDDEN = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', " +
  "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
const STS_RECREATE = 'To apply it, delete the StatefulSet but not its pods ' +
  '(kubectl delete statefulset web -n shop --cascade=orphan), then re-apply';
const RESIZE = '; existing claims keep their old size and must be resized on their own (kubectl patch pvc), ' +
  'if their StorageClass allows volume expansion';
const PVC_FORBIDDEN = 'spec: Forbidden: spec is immutable after creation except resources.requests for bound claims';
const RESIZE_FORBIDDEN =
  'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';
const PVC_RECREATE = 'To change it, delete the claim (kubectl delete pvc data-web-0 -n shop) and re-apply; the data ' +
  "stays on its volume only if the PersistentVolume's reclaim policy is Retain";
const SVC_RECREATE = 'delete the Service (kubectl delete service web -n shop) and re-apply';
const PV_RECREATE = 'To point the volume elsewhere, create a new PersistentVolume (under a new name, or after ' +
  'kubectl delete pv pv001 once its claim is gone) and bind the claim to it';

interface Expected {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** Line in NEW (in OLD for removals). */
  readonly line: number;
  readonly file?: 'old.yaml' | 'new.yaml';
  readonly message: string;
}

const CASES: Record<string, Expected[]> = {
  'vct-storage-grown': [{
    rule: 'immutable-field', severity: 'error', line: 30,
    message: 'spec.volumeClaimTemplates[data].spec.resources.requests.storage: 10Gi → 20Gi: ' +
      `StatefulSet.apps "web" is invalid: ${STS_FORBIDDEN}. ${STS_RECREATE}${RESIZE}`,
  }],
  'service-name-changed': [{
    rule: 'immutable-field', severity: 'error', line: 7,
    message: `spec.serviceName: web → web-headless: StatefulSet.apps "web" is invalid: ${STS_FORBIDDEN}. ${STS_RECREATE}`,
  }],
  'pod-management-policy-changed': [{
    rule: 'immutable-field', severity: 'error', line: 8,
    message: `spec.podManagementPolicy: OrderedReady → Parallel: StatefulSet.apps "web" is invalid: ${STS_FORBIDDEN}. ${STS_RECREATE}`,
  }],
  'revision-history-limit': [{
    rule: 'immutable-field', severity: 'error', line: 9,
    message: `spec.revisionHistoryLimit: 10 → 5: StatefulSet.apps "web" is invalid: ${STS_FORBIDDEN}. ${STS_RECREATE}`,
  }],
  'sts-selector-changed': [{
    rule: 'immutable-field', severity: 'error', line: 12,
    message: `spec.selector.matchLabels.tier: (unset) → frontend: StatefulSet.apps "web" is invalid: ${STS_FORBIDDEN}. ${STS_RECREATE}`,
  }],
  'vct-added': [{
    rule: 'immutable-field', severity: 'error', line: 31,
    message: 'spec.volumeClaimTemplates[logs]: (unset) → {"metadata":{"name":"logs"},"spec":{"accessModes":' +
      '["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeMode":"Filesystem"}}: ' +
      `StatefulSet.apps "web" is invalid: ${STS_FORBIDDEN}. ${STS_RECREATE}`,
  }],
  'selector-changed': [{
    rule: 'immutable-field', severity: 'error', line: 8,
    message: 'spec.selector.matchLabels.app: api → api-v2: Deployment.apps "api" is invalid: spec.selector: ' +
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"api-v2"}, ' +
      'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable. To apply it, delete the ' +
      'Deployment (kubectl delete deployment api -n shop) and re-apply, or create it under a new name',
  }],
  'clusterip-to-headless': [{
    rule: 'immutable-field', severity: 'error', line: 7,
    message: 'spec.clusterIP: (unset) → None: Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ' +
      '[]string{"None"}: may not change once set. A Service cannot switch between headless and ClusterIP or ' +
      `change its address in place: ${SVC_RECREATE}`,
  }],
  'clusterip-address-changed': [{
    rule: 'immutable-field', severity: 'error', line: 7,
    message: 'spec.clusterIP: 10.96.0.10 → 10.96.0.20: Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ' +
      '[]string{"10.96.0.20"}: may not change once set. A Service cannot switch between headless and ClusterIP or ' +
      `change its address in place: ${SVC_RECREATE}`,
  }],
  'clusterip-pinned-later': [{
    rule: 'immutable-field', severity: 'error', line: 7,
    message: 'spec.clusterIP: (unset) → 10.96.0.10: Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ' +
      '[]string{"10.96.0.10"}: may not change once set (unless it is exactly the address the cluster allocated ' +
      'when the Service was created). A Service cannot switch between headless and ClusterIP or change its ' +
      `address in place: ${SVC_RECREATE}`,
  }],
  'headless-to-clusterip': [{
    rule: 'immutable-field', severity: 'warning', line: 6,
    message: 'spec.clusterIP: None → (unset): the API server keeps clusterIP None when it is left out, so Service ' +
      `"web" silently stays headless. To make it a ClusterIP Service, ${SVC_RECREATE}`,
  }],
  'pvc-shrink': [{
    rule: 'immutable-field', severity: 'error', line: 11,
    message: 'spec.resources.requests.storage: 10Gi → 5Gi: PersistentVolumeClaim "data-web-0" is invalid: ' +
      'spec.resources.requests.storage: Forbidden: field can not be less than previous value. A volume cannot ' +
      'shrink: keep the old size, or create a new, smaller claim and copy the data over',
  }],
  'pvc-access-modes-changed': [{
    rule: 'immutable-field', severity: 'error', line: 7,
    message: `spec.accessModes: ["ReadWriteOnce"] → ["ReadWriteMany"]: PersistentVolumeClaim "data-web-0" is invalid: ${PVC_FORBIDDEN}. ${PVC_RECREATE}`,
  }],
  'pvc-storage-class-changed': [{
    rule: 'immutable-field', severity: 'error', line: 8,
    message: `spec.storageClassName: nfs → fast: PersistentVolumeClaim "data-web-0" is invalid: ${PVC_FORBIDDEN}. ${PVC_RECREATE}`,
  }],
  'pvc-volume-name-spelled-out': [{
    rule: 'immutable-field', severity: 'warning', line: 9,
    message: 'spec.volumeName: (unset) → pv001: the cluster fills in volumeName on a claim it binds, so the API ' +
      'server accepts this only if it equals the value the live claim already has; otherwise PersistentVolumeClaim ' +
      `"data-web-0" is invalid: ${PVC_FORBIDDEN}. Compare with kubectl get pvc data-web-0 -n shop -o yaml`,
  }],
  'pv-nfs-path-changed': [{
    rule: 'immutable-field', severity: 'error', line: 15,
    message: 'spec.nfs.path: /data/volumes/v1 → /data/volumes/v9: PersistentVolume "pv001" is invalid: ' +
      'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation. ' +
      PV_RECREATE,
  }],
  'pv-volume-mode-changed': [{
    rule: 'immutable-field', severity: 'error', line: 10,
    message: 'spec.volumeMode: Filesystem → Block: PersistentVolume "pv001" is invalid: volumeMode: Invalid value: ' +
      `"Block": field is immutable. ${PV_RECREATE}`,
  }],
  'scale-down-3-to-1': [{
    rule: 'scale-down-retains-claims', severity: 'warning', line: 8,
    message: 'StatefulSet "web" scales down from 3 to 1 replica: pods web-1, web-2 go away, but their claims ' +
      'data-web-1, data-web-2 stay behind (bound to PersistentVolumes pv002, pv003) because ' +
      'persistentVolumeClaimRetentionPolicy.whenScaled is Retain; a later scale-up reattaches the old data. ' +
      'Set whenScaled: Delete to remove them, or delete the claims once their data is no longer needed',
  }],
  'removed-sts': [{
    rule: 'removed-sts-retains-claims', severity: 'warning', line: 17, file: 'old.yaml',
    message: 'StatefulSet "web" is removed, but its claims data-web-0, data-web-1, data-web-2 stay behind (bound ' +
      'to PersistentVolumes pv001, pv002, pv003) because persistentVolumeClaimRetentionPolicy.whenDeleted is ' +
      'Retain; a StatefulSet of the same name created later reattaches the data. Delete the claims once their ' +
      'data is no longer needed',
  }],
  'removed-pv-retain': [{
    rule: 'removed-pv-retains-data', severity: 'warning', line: 21, file: 'old.yaml',
    message: 'PersistentVolume "pv002" is removed with reclaim policy Retain: the data on nfs nfs1:/data/volumes/v2 ' +
      'stays and must be cleaned up or re-attached by hand; while claim shop/data-web-1 uses it, the PV is only ' +
      'deleted once the claim is gone',
  }],
  // Growing a claim: only a bound claim whose StorageClass sets allowVolumeExpansion: true (issue 9).
  'pvc-grow-static-bound': [{
    rule: 'immutable-field', severity: 'error', line: 11,
    message: `spec.resources.requests.storage: 10Gi → 20Gi: persistentvolumeclaims "data-web-0" is forbidden: ${RESIZE_FORBIDDEN} ` +
      '(the claim has storageClassName ""). A volume provisioned by hand cannot grow through its claim: grow it on the ' +
      "storage side, raise the PersistentVolume's capacity, and keep the claim's request",
  }],
  'pvc-grow-static-pending': [{
    rule: 'immutable-field', severity: 'error', line: 11,
    message: `spec.resources.requests.storage: 10Gi → 20Gi: PersistentVolumeClaim "data-web-0" is invalid: ${PVC_FORBIDDEN}. ` +
      'Only a bound claim can grow, and no PersistentVolume among the files binds this one: keep the old size until it is ' +
      'bound, or delete the claim (kubectl delete pvc data-web-0 -n shop) and re-apply it with the new size',
  }],
  'pvc-grow-no-expansion': [{
    rule: 'immutable-field', severity: 'error', line: 11,
    message: `spec.resources.requests.storage: 10Gi → 20Gi: persistentvolumeclaims "data-web-0" is forbidden: ${RESIZE_FORBIDDEN} ` +
      '(StorageClass fast does not set allowVolumeExpansion: true). Set allowVolumeExpansion: true on StorageClass fast if ' +
      'its provisioner can expand volumes, or keep the old size',
  }],
  'pvc-grow-unknown-class': [{
    rule: 'immutable-field', severity: 'warning', line: 11,
    message: 'spec.resources.requests.storage: 10Gi → 20Gi: the API server accepts this only if StorageClass "fast" (not ' +
      `among the files) sets allowVolumeExpansion: true; otherwise persistentvolumeclaims "data-web-0" is forbidden: ${RESIZE_FORBIDDEN}`,
  }],
  'pvc-selector-label-renamed': [{
    rule: 'immutable-field', severity: 'error', line: 12,
    message: 'spec.selector: {"matchLabels":{"app":"zk","petindex":"0"}} → {"matchLabels":{"app":"zk","podindex":"0"}}: ' +
      `PersistentVolumeClaim "datadir-zoo-0" is invalid: ${PVC_FORBIDDEN}. ${PVC_RECREATE.replace('data-web-0', 'datadir-zoo-0')}`,
  }],
  'pvc-grow-default-class': [{
    rule: 'immutable-field', severity: 'warning', line: 10,
    message: "spec.resources.requests.storage: 10Gi → 20Gi: the API server accepts this only if the cluster's default " +
      'StorageClass (the claim names none, and none among the files is the default) sets allowVolumeExpansion: true; ' +
      `otherwise persistentvolumeclaims "data-web-0" is forbidden: ${RESIZE_FORBIDDEN}`,
  }],
  // Accepted by the API server: no findings.
  'pvc-grow-ok': [],
  'pv-capacity-reclaim-ok': [],
  'template-image-only-ok': [],
  'replicas-partition-ok': [],
  'scale-down-when-scaled-delete': [],
  'defaults-spelled-out-ok': [],
  'service-defaults-spelled-out-ok': [],
  'quantity-respelled-ok': [],
  'apps-v1beta2-to-v1-ok': [],
  'apps-v1beta1-to-v1-ok': [],
  'apps-v1beta1-selector-narrowed': [{
    rule: 'immutable-field', severity: 'error', line: 10,
    message: `spec.selector.matchLabels.tier: coordination → (unset): StatefulSet.apps "zk" is invalid: ${STS_FORBIDDEN}. ` +
      'To apply it, delete the StatefulSet but not its pods (kubectl delete statefulset zk -n shop --cascade=orphan), then re-apply',
  }],
  'deployment-apps-v1beta1-to-v1-ok': [],
  'deployment-selector-unset-in-old': [{
    rule: 'immutable-field', severity: 'warning', line: 7,
    message: 'spec.selector: (unset) → {"matchLabels":{"app":"web"}}: OLD sets no spec.selector, which the API server ' +
      'requires (spec.selector: Required value), so the live Deployment was not created from OLD as written; the ' +
      'update is refused unless its selector already equals this one (Deployment.apps "web" is invalid: ' +
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, ' +
      'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable). Compare with kubectl get deployment ' +
      'web -n shop -o yaml',
  }],
  'sts-selector-unset-in-old': [{
    rule: 'immutable-field', severity: 'warning', line: 9,
    message: 'spec.selector: (unset) → {"matchLabels":{"app":"zk"}}: OLD sets no spec.selector, which the API server ' +
      'requires (spec.selector: Required value), so the live StatefulSet was not created from OLD as written; the ' +
      `update is refused unless its selector already equals this one (StatefulSet.apps "zk" is invalid: ${STS_FORBIDDEN}). ` +
      'Compare with kubectl get statefulset zk -n shop -o yaml',
  }],
  'vct-storage-shrunk': [{
    rule: 'immutable-field', severity: 'error', line: 30,
    message: 'spec.volumeClaimTemplates[data].spec.resources.requests.storage: 10Gi → 5Gi: ' +
      `StatefulSet.apps "web" is invalid: ${STS_FORBIDDEN}. ${STS_RECREATE}; existing claims keep their old size: a ` +
      'claim cannot shrink (spec.resources.requests.storage: Forbidden: field can not be less than previous value), so ' +
      'only pods of new ordinals get the smaller size',
  }],
  'namespace-defaulted-ok': [],
  // The object's own `cdk8s-stateful.io/ignore: immutable-field` silences the refusal.
  'ignored-by-annotation': [],
};

describe('diff cases (test/fixtures/diff)', () => {
  for (const [name, expected] of Object.entries(CASES)) {
    it(name, async () => {
      const dir = path.join(FIXTURES, name);
      const report = await diffPaths(path.join(dir, 'old.yaml'), path.join(dir, 'new.yaml'));
      const actual = report.findings.map((f) => ({
        rule: f.rule, severity: f.severity, line: f.line, file: path.basename(f.file), message: f.message,
      }));
      assert.deepEqual(actual, expected.map((e) => ({ ...e, file: e.file ?? 'new.yaml' })));
      assert.equal(report.summary.errors, expected.filter((e) => e.severity === 'error').length);
    });
  }
});

describe('diff: apps/v1beta1 defaults', () => {
  it('read an apps/v1beta1 Deployment as stored: its selector from the template, 2 old ReplicaSets kept', async () => {
    const dir = path.join(FIXTURES, 'deployment-apps-v1beta1-to-v1-ok');
    const report = await diffPaths(path.join(dir, 'old.yaml'), path.join(dir, 'new.yaml'));
    assert.deepEqual([report.summary.changed, report.summary.unchanged], [0, 1]);
  });
});

describe('diff: problems of OLD', () => {
  const fixed = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: "1"\n';
  const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: "0"\n  a: "1"\n';

  it('are notes, so the change that fixes one passes', () => {
    const report = diffTexts(broken, fixed);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.summary.notes, [
      'OLD old.yaml:7:3: duplicate key "a"; kubectl would silently keep the last value ("1") (yaml-syntax): a problem ' +
        'of the old revision, not of this change',
    ]);
  });

  it('warn, naming what NEW adds, when OLD could not read a document that may have held it', () => {
    const sts = (storage: string) => 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n' +
      '  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n' +
      '      containers: [{name: c, image: nginx:1.25}]\n  volumeClaimTemplates:\n  - metadata: {name: data}\n' +
      `    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: ${storage}}}}\n`;
    const report = diffTexts(`${sts('10Gi')}stray words\n`, sts('20Gi'));
    assert.deepEqual(report.findings.map((f) => [f.file, f.line, f.rule, f.severity]), [['old.yaml', 17, 'yaml-syntax', 'warning']]);
    assert.match(report.findings[0].message, /OLD could not be read here, so what NEW adds may be objects OLD held, compared with nothing \(StatefulSet\.apps "web" in namespace "default"\)/);
    assert.equal(report.summary.errors, 0);
    // Read whole (the broken document added nothing of NEW's): a note.
    const quiet = diffTexts(`${sts('10Gi')}---\nstray: [\n`, sts('10Gi'));
    assert.deepEqual(quiet.findings, []);
    assert.match(quiet.summary.notes?.[0] ?? '', /^OLD old\.yaml:\d+:\d+: invalid YAML: .* a problem of the old revision, not of this change$/);
  });

  it('stay findings in NEW', () => {
    const report = diffTexts(fixed, broken);
    assert.deepEqual(report.findings.map((f) => [f.file, f.line, f.rule, f.severity]), [['new.yaml', 7, 'yaml-syntax', 'error']]);
    assert.equal(report.summary.notes, undefined);
  });
});

describe('diff: a namespace moved out of the manifests', () => {
  const placed = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: zk\n  namespace: kafka\nspec:\n  clusterIP: None\n';
  const unplaced = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: zk\nspec:\n  clusterIP: None\n';

  it('says how to compare the two when NEW leaves the namespace to kubectl -n or a kustomization', () => {
    const report = diffTexts(placed, unplaced);
    assert.deepEqual(report.summary.notes, [
      'Service "zk" in namespace "default": OLD places it in namespace "kafka" instead; if NEW is applied there ' +
        "(kubectl apply -n, a kustomization's namespace:), it may be the same object: run diff -n kafka to check the change",
    ]);
    const moved = diffTexts(placed, unplaced, { defaultNamespace: 'kafka' });
    assert.equal(moved.summary.notes, undefined);
    assert.deepEqual([moved.summary.removed, moved.summary.unchanged], [0, 1]);
  });

  it('stays quiet when NEW names a namespace of its own', () => {
    assert.equal(diffTexts(placed, placed.replace('kafka', 'other')).summary.notes, undefined);
  });
});

describe('diff summary', () => {
  it('counts added, removed, changed and unchanged objects and names the removed ones', async () => {
    const dir = path.join(FIXTURES, 'removed-sts');
    const report = await diffPaths(path.join(dir, 'old.yaml'), path.join(dir, 'new.yaml'));
    const { added, removed, changed, unchanged, notes } = report.summary;
    assert.deepEqual({ added, removed, changed, unchanged }, { added: 0, removed: 1, changed: 0, unchanged: 4 });
    // Data only: the formatters word it (report/summary.ts).
    assert.equal(notes, undefined);
    assert.deepEqual(report.objects.filter((o) => o.status === 'removed'), [
      { status: 'removed', group: 'apps', kind: 'StatefulSet', namespace: 'shop', name: 'web', file: path.join(dir, 'old.yaml'), line: 14 },
    ]);
    const text = formatText(report).split('\n');
    assert.deepEqual(text.slice(-3), [
      `note: removed StatefulSet.apps shop/web (${path.join(dir, 'old.yaml')}:14)`,
      '✖ 1 problem (0 errors, 1 warning) in 5 objects in 2 revisions: 0 added, 1 removed, 0 changed, 4 unchanged',
      '',
    ]);
  });

  it('reports the objects only NEW has as added (reversing a removal)', async () => {
    const dir = path.join(FIXTURES, 'removed-sts');
    const report = await diffPaths(path.join(dir, 'new.yaml'), path.join(dir, 'old.yaml'));
    assert.equal(report.summary.added, 1);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(notesOf(report), [`added StatefulSet.apps shop/web (${path.join(dir, 'old.yaml')}:14)`]);
  });

  it('compares directories object by object, whatever file an object moved to', async () => {
    const report = await diffPaths(path.join(FIXTURES, 'dirs/old'), path.join(FIXTURES, 'dirs/new'));
    assert.deepEqual(report.findings.map((f) => [path.relative(FIXTURES, f.file), f.line, f.rule]), [
      ['dirs/new/storage.yaml', 14, 'immutable-field'],
    ]);
    assert.equal(report.summary.unchanged, 1);
  });
});
