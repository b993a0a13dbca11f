import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { MAX_ERRORS, SchemaResult, validateSchema, normalise } from '../../../lib/schema/validate';

const QUANTITY_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX_MESSAGE = "unable to parse quantity's suffix";

/** Parses YAML the way Kubernetes does (YAML 1.1: unquoted yes/no/on/off are booleans). */
function yaml11(text: string): unknown {
  return parse(text, { version: '1.1' });
}

function statefulSet(): Record<string, any> {
  return yaml11(`
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  annotations: null
  creationTimestamp: null
spec:
  serviceName: nginx
  replicas: 3
  podManagementPolicy: Parallel
  selector:
    matchLabels: { app: nginx }
  template:
    metadata:
      labels: { app: nginx }
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
          ports: [{ name: web, containerPort: 80 }]
          env: [{ name: MODE, value: "yes" }]
          resources:
            requests: { cpu: 500m, memory: 1e3 }
            limits: { memory: 10Gi }
          readinessProbe:
            httpGet: { path: /, port: web }
          volumeMounts: [{ name: www, mountPath: /usr/share/nginx/html }]
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: { name: www }
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: ""
        resources:
          requests: { storage: 1Gi }
status: {}
`) as Record<string, any>;
}

function pvc(storage: unknown): unknown {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
  };
}

function errorsOf(result: SchemaResult): { path: readonly (string | number)[]; message: string }[] {
  assert.equal(result.status, 'invalid', JSON.stringify(result));
  return result.status === 'invalid' ? result.errors.map((e) => ({ path: e.path, message: e.message })) : [];
}

test('a complete StatefulSet is valid (nulls, status: {} and typed claim templates included)', () => {
  assert.deepEqual(validateSchema(statefulSet()), { status: 'valid' });
});

test('other stateful kinds are valid', () => {
  const objects = yaml11(`
- apiVersion: v1
  kind: Service
  metadata: { name: nginx, labels: { app: nginx } }
  spec:
    clusterIP: None
    publishNotReadyAddresses: true
    selector: { app: nginx }
    ports: [{ name: web, port: 80, targetPort: web }]
- apiVersion: v1
  kind: PersistentVolume
  metadata: { name: pv001 }
  spec:
    capacity: { storage: 10Gi }
    accessModes: [ReadWriteOnce]
    persistentVolumeReclaimPolicy: Retain
    storageClassName: ""
    nfs: { server: nfs.example.com, path: /exports/pv001 }
    claimRef: { namespace: default, name: www-web-0 }
- apiVersion: storage.k8s.io/v1
  kind: StorageClass
  metadata: { name: local }
  provisioner: kubernetes.io/no-provisioner
  volumeBindingMode: WaitForFirstConsumer
- apiVersion: policy/v1
  kind: PodDisruptionBudget
  metadata: { name: web }
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: nginx } } }
`) as unknown[];
  for (const obj of objects) assert.deepEqual(validateSchema(obj), { status: 'valid' }, JSON.stringify(obj));
});

test('a CustomResourceDefinition with a structural schema is valid; a typo in it is not', () => {
  const crd = yaml11(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: backups.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: backups, singular: backup, kind: Backup, shortNames: [bk] }
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      additionalPrinterColumns: [{ name: Age, type: date, jsonPath: .metadata.creationTimestamp }]
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
          properties:
            spec:
              type: object
              required: [schedule]
              properties:
                schedule: { type: string, pattern: '^\\S+$' }
                retain: { type: integer, minimum: 1, maximum: 30, default: 7 }
                size: { x-kubernetes-int-or-string: true, anyOf: [{ type: integer }, { type: string }] }
                labels: { type: object, additionalProperties: { type: string } }
`) as Record<string, any>;
  assert.deepEqual(validateSchema(crd), { status: 'valid' });
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.propertes = {};
  assert.deepEqual(errorsOf(validateSchema(crd)).map((e) => e.message), [
    'spec.versions[0].schema.openAPIV3Schema.properties.spec.propertes: unknown field "propertes"',
  ]);
});

test('an unknown field is reported at its key, in the API server words', () => {
  const sts = statefulSet();
  sts.spec.replicaz = 3;
  assert.deepEqual(errorsOf(validateSchema(sts)), [
    { path: ['spec', 'replicaz'], message: 'spec.replicaz: unknown field "replicaz"' },
  ]);
});

test('an unknown field near a field valid at that place gets "did you mean", one already set does not', () => {
  const sts = statefulSet();
  const container = sts.spec.template.spec.containers[0] as Record<string, unknown>;
  container.resource = container.resources;
  delete container.resources;
  container.imagePullPolicy = 'Always';
  container.imagepullpolicy = 'Always';
  container.livenessprobe = {};
  assert.deepEqual(errorsOf(validateSchema(sts)).map((e) => e.message), [
    'spec.template.spec.containers[0].resource: unknown field "resource"; did you mean "resources"?',
    'spec.template.spec.containers[0].imagepullpolicy: unknown field "imagepullpolicy"',
    'spec.template.spec.containers[0].livenessprobe: unknown field "livenessprobe"; did you mean "livenessProbe"?',
  ]);
});

test('a removed apiVersion is checked as its replacement too: what else the object needs there', () => {
  const sts: Record<string, unknown> = { ...statefulSet(), apiVersion: 'apps/v1beta1' };
  delete (sts.spec as Record<string, unknown>).selector;
  const result = validateSchema(sts);
  assert.equal(result.status, 'unserved');
  assert.equal(
    (result as { message: string }).message,
    'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28 (removed in 1.16): use apps/v1 StatefulSet, which ' +
      'also needs: spec.selector: Required value',
  );
});

test('an unknown field deep in a list item names the item', () => {
  const sts = statefulSet();
  sts.spec.template.spec.containers[0].volumeMount = [];
  assert.deepEqual(errorsOf(validateSchema(sts)), [
    {
      path: ['spec', 'template', 'spec', 'containers', 0, 'volumeMount'],
      message: 'spec.template.spec.containers[0].volumeMount: unknown field "volumeMount"',
    },
  ]);
});

test('a missing required field is reported at the field', () => {
  const sts = statefulSet();
  delete sts.spec.selector;
  delete sts.spec.template.spec.containers[0].name;
  assert.deepEqual(errorsOf(validateSchema(sts)), [
    { path: ['spec', 'selector'], message: 'spec.selector: Required value' },
    { path: ['spec', 'template', 'spec', 'containers', 0, 'name'], message: 'spec.template.spec.containers[0].name: Required value' },
  ]);
});

test('a null required field counts as missing', () => {
  const sts = statefulSet();
  sts.spec.template = null;
  assert.deepEqual(errorsOf(validateSchema(sts)), [{ path: ['spec', 'template'], message: 'spec.template: Required value' }]);
});

test('a StatefulSet without serviceName passes: the 1.28 API server accepts it', () => {
  const sts = statefulSet();
  delete sts.spec.serviceName;
  assert.deepEqual(validateSchema(sts), { status: 'valid' });
});

test('a StatefulSet still needs its selector and template', () => {
  const sts = statefulSet();
  delete sts.spec.serviceName;
  delete sts.spec.selector;
  assert.deepEqual(errorsOf(validateSchema(sts)), [{ path: ['spec', 'selector'], message: 'spec.selector: Required value' }]);
});

test('quantities follow the Kubernetes grammar', () => {
  // '0' is a quantity too, but not a storage request: see semantic.test.ts.
  for (const good of ['500m', '1e3', '10Gi', '1.5Gi', '.5', '+1', '1E-3', '100M', '2k', '3Ei', '7n', 5, 0.5]) {
    assert.deepEqual(validateSchema(pvc(good)), { status: 'valid' }, `${good} should be a quantity`);
  }
  // [the API server's reason (Go's ParseQuantity: the grammar, or a suffix of the grammar's shape it does not know), the hint]
  const meant: Record<string, [string, string | undefined]> = {
    '10 gigs': [QUANTITY_MESSAGE, undefined], '1K': [SUFFIX_MESSAGE, '1k'], '10 Gi': [QUANTITY_MESSAGE, '10Gi'],
    Gi: [QUANTITY_MESSAGE, undefined], '': [QUANTITY_MESSAGE, undefined], '1.2.3': [QUANTITY_MESSAGE, undefined],
    '1GB': [QUANTITY_MESSAGE, '1G'], '1ki': [SUFFIX_MESSAGE, '1Ki'], '-': [QUANTITY_MESSAGE, undefined],
    '1e': [SUFFIX_MESSAGE, undefined],
  };
  for (const [bad, [reason, hint]] of Object.entries(meant)) {
    assert.deepEqual(errorsOf(validateSchema(pvc(bad))), [
      {
        path: ['spec', 'resources', 'requests', 'storage'],
        message: `spec.resources.requests.storage: Invalid value: ${JSON.stringify(bad)}: ${reason}` +
          (hint === undefined ? '' : `; did you mean "${hint}"?`),
      },
    ]);
  }
});

test('a quantity of the wrong type gets one message, not one per alternative', () => {
  assert.deepEqual(errorsOf(validateSchema(pvc(true))), [
    {
      path: ['spec', 'resources', 'requests', 'storage'],
      message: 'spec.resources.requests.storage: Invalid value: true: must be a quantity: a string such as "500m" or "10Gi", or a number',
    },
  ]);
});

test('IntOrString takes an integer or a string, nothing else', () => {
  const service = (targetPort: unknown): unknown => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { ports: [{ port: 80, targetPort }] },
  });
  assert.equal(validateSchema(service(8080)).status, 'valid');
  assert.equal(validateSchema(service('http')).status, 'valid');
  assert.deepEqual(errorsOf(validateSchema(service(80.5))), [
    { path: ['spec', 'ports', 0, 'targetPort'], message: 'spec.ports[0].targetPort: Invalid value: 80.5: must be an integer or a string' },
  ]);
});

test('an integer field rejects a string', () => {
  const sts = statefulSet();
  sts.spec.replicas = '3';
  assert.deepEqual(errorsOf(validateSchema(sts)), [
    { path: ['spec', 'replicas'], message: 'spec.replicas: Invalid value: "3": must be an integer' },
  ]);
});

test('an unquoted yes where a string is required is a boolean that must be quoted', () => {
  const pod = yaml11(`
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: { version: 1.0 }
spec:
  containers:
    - name: c
      image: busybox
      env:
        - name: ENABLED
          value: yes
`);
  assert.deepEqual(errorsOf(validateSchema(pod)), [
    {
      path: ['metadata', 'labels', 'version'],
      message: 'metadata.labels.version: Invalid value: 1: is a number, must be a string: quote the value',
    },
    {
      path: ['spec', 'containers', 0, 'env', 0, 'value'],
      message:
        'spec.containers[0].env[0].value: Invalid value: true: is a boolean, must be a string: YAML reads unquoted yes, no, on, off, true and false as booleans; quote the value',
    },
  ]);
});

test('map keys that are not identifiers are printed in brackets', () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'app.kubernetes.io/name': false } } };
  assert.deepEqual(errorsOf(validateSchema(obj)).map((e) => e.message), [
    'metadata.labels[app.kubernetes.io/name]: Invalid value: false: is a boolean, must be a string: YAML reads unquoted yes, no, on, off, true and false as booleans; quote the value',
  ]);
});

test('a null list item is an error (only nulls in mappings mean absent)', () => {
  const sts = statefulSet();
  sts.spec.template.spec.containers.push(null);
  assert.deepEqual(errorsOf(validateSchema(sts)), [
    { path: ['spec', 'template', 'spec', 'containers', 1], message: 'spec.template.spec.containers[1]: Invalid value: null: must be a mapping' },
  ]);
});

test(`at most ${MAX_ERRORS} errors are listed, then a count of the rest`, () => {
  const sts = statefulSet();
  for (let i = 0; i < MAX_ERRORS + 7; i++) sts.spec[`extra${i}`] = i;
  const errors = errorsOf(validateSchema(sts));
  assert.equal(errors.length, MAX_ERRORS + 1);
  assert.deepEqual(errors[0], { path: ['spec', 'extra0'], message: 'spec.extra0: unknown field "extra0"' });
  assert.deepEqual(errors[MAX_ERRORS], { path: [], message: '7 more schema errors not shown' });
});

test('apiVersion and kind are required', () => {
  assert.deepEqual(errorsOf(validateSchema({ metadata: { name: 'x' } })), [
    { path: ['apiVersion'], message: 'apiVersion: Required value' },
    { path: ['kind'], message: 'kind: Required value' },
  ]);
  assert.deepEqual(errorsOf(validateSchema({ apiVersion: 'v1', kind: 42 })), [
    { path: ['kind'], message: 'kind: Invalid value: 42: must be a string' },
  ]);
  assert.deepEqual(errorsOf(validateSchema(['a'])), [
    { path: [], message: 'Invalid value: ["a"]: a Kubernetes object must be a mapping' },
  ]);
});

test('a removed apiVersion is unserved and names the served replacement', () => {
  const sts = statefulSet();
  sts.apiVersion = 'apps/v1beta1';
  assert.deepEqual(validateSchema(sts), {
    status: 'unserved',
    message: 'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28 (removed in 1.16): use apps/v1 StatefulSet',
    path: ['apiVersion'],
  });
  assert.deepEqual(validateSchema({ apiVersion: 'apps/v1alpha1', kind: 'PetSet' }), {
    status: 'unserved',
    message: 'apps/v1alpha1 PetSet is not served by Kubernetes 1.28 (removed in 1.5): use apps/v1 StatefulSet',
    path: ['apiVersion'],
  });
  assert.deepEqual(validateSchema({ apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy' }), {
    status: 'unserved',
    message:
      'policy/v1beta1 PodSecurityPolicy is not served by Kubernetes 1.28 (removed in 1.25): it has no replacement: use Pod Security Admission (namespace labels pod-security.kubernetes.io/*)',
    path: ['apiVersion'],
  });
});

test('a built-in kind under a version its group does not serve is unserved', () => {
  assert.deepEqual(validateSchema({ apiVersion: 'apps/v9', kind: 'StatefulSet' }), {
    status: 'unserved',
    message: 'apps/v9 StatefulSet is not served by Kubernetes 1.28: use apps/v1',
    path: ['apiVersion'],
  });
  assert.deepEqual(validateSchema({ apiVersion: 'v1', kind: 'Deployment' }), {
    status: 'unserved',
    message: 'v1 Deployment is not served by Kubernetes 1.28: use apps/v1',
    path: ['apiVersion'],
  });
});

test('a misspelt kind in a built-in group is unserved, with a suggestion', () => {
  assert.deepEqual(validateSchema({ apiVersion: 'apps/v1', kind: 'Statefulset' }), {
    status: 'unserved',
    message: 'apps/v1 Statefulset is not served by Kubernetes 1.28: no kind "Statefulset" in apps/v1: did you mean StatefulSet (apps/v1)?',
    path: ['kind'],
  });
});

test('a custom resource is unknown: skipped with a note', () => {
  assert.deepEqual(validateSchema({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', spec: { x: 1 } }), {
    status: 'unknown',
    message: 'monitoring.coreos.com/v1 ServiceMonitor is not a built-in Kubernetes 1.28 kind (a custom resource?): not validated',
  });
  // A CRD may reuse a built-in kind's name in its own group.
  assert.equal(validateSchema({ apiVersion: 'example.com/v1', kind: 'StatefulSet' }).status, 'unknown');
});

test('core v1 Event is served but has no schema in the assembly: unknown, not unserved', () => {
  assert.equal(validateSchema({ apiVersion: 'v1', kind: 'Event' }).status, 'unknown');
});

test('YAML 1.1 timestamps and binary data are strings, as to the Kubernetes decoder', () => {
  const cm = yaml11(`
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  annotations: { deployed-at: 2020-01-01 }
  creationTimestamp: 2020-01-01T10:00:00Z
data: { since: 2021-03-04 }
binaryData: { blob: !!binary aGVsbG8= }
`);
  assert.deepEqual(validateSchema(cm), { status: 'valid' });
});

test('a v1 List is left to the loader, which validates its items one by one', () => {
  assert.deepEqual(validateSchema({ apiVersion: 'v1', kind: 'List', items: [] }), {
    status: 'unknown',
    message: 'a v1 List is not validated as a whole: validate each of its items',
  });
});

test('normalise drops nulls from mappings and returns untouched input as is', () => {
  const clean = { a: [1, { b: 2 }], c: { d: 'x' } };
  assert.equal(normalise(clean), clean);
  const dirty = { a: [null, { b: null, e: 1 }], c: { d: null }, f: null };
  assert.deepEqual(normalise(dirty), { a: [null, { e: 1 }], c: {} });
  assert.deepEqual(dirty, { a: [null, { b: null, e: 1 }], c: { d: null }, f: null }, 'input is not modified');
});
