import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaResult, validateSchema } from '../../../lib/schema/validate';

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_RULE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const LABEL_NAME_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

type Json = Record<string, any>;

function errorsOf(result: SchemaResult): { path: readonly (string | number)[]; message: string }[] {
  assert.equal(result.status, 'invalid', JSON.stringify(result));
  return result.status === 'invalid' ? result.errors.map((e) => ({ path: e.path, message: e.message })) : [];
}

function claim(): Json {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', labels: { app: 'db' } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
}

function statefulSet(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: claim().spec }],
    },
  };
}

function nfsVolume(): Json {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv-0' },
    spec: {
      accessModes: ['ReadWriteMany'],
      capacity: { storage: '5Gi' },
      nfs: { server: 'nfs.example.com', path: '/exports/0' },
    },
  };
}

test('well-formed claims, claim templates and NFS volumes stay valid', () => {
  for (const obj of [claim(), statefulSet(), nfsVolume()]) assert.deepEqual(validateSchema(obj), { status: 'valid' });
});

test('a claim without access modes is rejected as the API server does', () => {
  for (const accessModes of [undefined, []]) {
    const pvc = claim();
    if (accessModes === undefined) delete pvc.spec.accessModes;
    else pvc.spec.accessModes = accessModes;
    assert.deepEqual(errorsOf(validateSchema(pvc)), [
      { path: ['spec', 'accessModes'], message: 'spec.accessModes: Required value: at least 1 access mode is required' },
    ]);
  }
});

test('a claim without a storage request is rejected at resources[storage]', () => {
  const pvc = claim();
  pvc.spec.resources = { requests: { cpu: '1' } };
  assert.deepEqual(errorsOf(validateSchema(pvc)), [
    { path: ['spec', 'resources', 'requests', 'storage'], message: 'spec.resources[storage]: Required value' },
  ]);
  delete pvc.spec.resources;
  assert.equal(errorsOf(validateSchema(pvc))[0].message, 'spec.resources[storage]: Required value');
});

test('a zero or negative storage request is rejected, quoted in canonical form', () => {
  for (const [storage, shown] of [['0', '0'], ['0Gi', '0'], [0, '0'], ['-1Gi', '-1Gi']] as const) {
    const pvc = claim();
    pvc.spec.resources.requests.storage = storage;
    assert.deepEqual(errorsOf(validateSchema(pvc)), [
      {
        path: ['spec', 'resources', 'requests', 'storage'],
        message: `spec.resources[storage]: Invalid value: "${shown}": must be greater than zero`,
      },
    ]);
  }
});

test('claim templates of a StatefulSet are checked like claims, at their own path', () => {
  const CONSEQUENCE =
    ' (Kubernetes 1.28 accepts the StatefulSet but rejects every claim the controller creates from this template, so no pod starts)';
  const sts = statefulSet();
  delete sts.spec.volumeClaimTemplates[0].spec.accessModes;
  sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '0';
  assert.deepEqual(errorsOf(validateSchema(sts)), [
    {
      path: ['spec', 'volumeClaimTemplates', 0, 'spec', 'accessModes'],
      message: `spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required${CONSEQUENCE}`,
    },
    {
      path: ['spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage'],
      message: `spec.volumeClaimTemplates[0].spec.resources[storage]: Invalid value: "0": must be greater than zero${CONSEQUENCE}`,
    },
  ]);
});

test('a PersistentVolume needs access modes and a positive storage capacity', () => {
  const pv = nfsVolume();
  delete pv.spec.accessModes;
  pv.spec.capacity.storage = '0';
  assert.deepEqual(errorsOf(validateSchema(pv)), [
    { path: ['spec', 'accessModes'], message: 'spec.accessModes: Required value' },
    { path: ['spec', 'capacity', 'storage'], message: 'spec.capacity[storage]: Invalid value: "0": must be greater than zero' },
  ]);
  pv.spec.accessModes = ['ReadWriteOnce'];
  delete pv.spec.capacity;
  assert.deepEqual(errorsOf(validateSchema(pv)), [{ path: ['spec', 'capacity'], message: 'spec.capacity: Required value' }]);
  pv.spec.capacity = { cpu: '1' };
  assert.deepEqual(errorsOf(validateSchema(pv)), [
    { path: ['spec', 'capacity'], message: 'spec.capacity: Unsupported value: ["cpu"]: supported values: "storage"' },
  ]);
});

test('an NFS volume needs a server and an absolute path', () => {
  const pv = nfsVolume();
  pv.spec.nfs.path = 'rel/path';
  assert.deepEqual(errorsOf(validateSchema(pv)), [
    { path: ['spec', 'nfs', 'path'], message: 'spec.nfs.path: Invalid value: "rel/path": must be an absolute path' },
  ]);
  pv.spec.nfs = { server: '', path: '/exports' };
  assert.deepEqual(errorsOf(validateSchema(pv)), [{ path: ['spec', 'nfs', 'server'], message: 'spec.nfs.server: Required value' }]);
});

test('a local volume needs node affinity, where the API server reads it (not the old alpha annotation)', () => {
  const pv = nfsVolume();
  delete pv.spec.nfs;
  pv.spec.local = { path: '/mnt/disks/ssd1' };
  pv.metadata.annotations = { 'volume.alpha.kubernetes.io/node-affinity': '{"requiredDuringSchedulingIgnoredDuringExecution":{}}' };
  assert.deepEqual(errorsOf(validateSchema(pv)), [
    { path: ['spec', 'local'], message: 'spec.nodeAffinity: Required value: Local volume requires node affinity' },
  ]);
  pv.spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } };
  assert.equal(validateSchema(pv).status, 'valid');
});

test('ReadWriteOncePod stands alone, on a claim, a claim template and a volume', () => {
  const message = 'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes';
  const pvc = claim();
  pvc.spec.accessModes = ['ReadWriteOncePod', 'ReadWriteOnce'];
  assert.deepEqual(errorsOf(validateSchema(pvc)), [{ path: ['spec', 'accessModes'], message }]);
  pvc.spec.accessModes = ['ReadWriteOncePod'];
  assert.equal(validateSchema(pvc).status, 'valid');
  const pv = nfsVolume();
  pv.spec.accessModes = ['ReadWriteMany', 'ReadWriteOncePod'];
  assert.deepEqual(errorsOf(validateSchema(pv)), [{ path: ['spec', 'accessModes'], message }]);
});

test('object names follow the rule of their kind', () => {
  const pvc = claim();
  pvc.metadata.name = 'My_Name';
  assert.deepEqual(errorsOf(validateSchema(pvc)), [
    { path: ['metadata', 'name'], message: `metadata.name: Invalid value: "My_Name": ${SUBDOMAIN_RULE}` },
  ]);
  // A dotted name is a subdomain (fine for a claim) but not a DNS-1035 label (what a Service needs).
  pvc.metadata.name = 'data.v2';
  assert.deepEqual(validateSchema(pvc), { status: 'valid' });
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' }, spec: { clusterIP: 'None' } };
  assert.deepEqual(errorsOf(validateSchema(service)), [
    { path: ['metadata', 'name'], message: `metadata.name: Invalid value: "1web": ${DNS1035_RULE}` },
  ]);
});

test('the namespace of a namespaced object must be an RFC 1123 label; a PersistentVolume\'s is not checked', () => {
  const pvc = claim();
  pvc.metadata.namespace = 'team.a';
  assert.deepEqual(errorsOf(validateSchema(pvc)), [
    {
      path: ['metadata', 'namespace'],
      message:
        "metadata.namespace: Invalid value: \"team.a\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    },
  ]);
  const pv = nfsVolume();
  pv.metadata.namespace = 'team.a';
  assert.deepEqual(validateSchema(pv), { status: 'valid' });
});

test('a name longer than 253 characters is rejected for its length', () => {
  const pvc = claim();
  pvc.metadata.name = 'a'.repeat(254);
  assert.deepEqual(errorsOf(validateSchema(pvc)), [
    { path: ['metadata', 'name'], message: `metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters` },
  ]);
});

test('label keys and values must be valid, in metadata and in pod templates', () => {
  const pvc = claim();
  pvc.metadata.labels = { app: 'x y', 'bad key': 'ok', 'example.com/tier': '' };
  assert.deepEqual(errorsOf(validateSchema(pvc)), [
    { path: ['metadata', 'labels', 'app'], message: `metadata.labels: Invalid value: "x y": ${LABEL_VALUE_RULE}` },
    { path: ['metadata', 'labels', 'bad key'], message: `metadata.labels: Invalid value: "bad key": ${LABEL_NAME_RULE}` },
  ]);
  const sts = statefulSet();
  sts.spec.template.metadata.labels.version = 'v'.repeat(64);
  assert.deepEqual(errorsOf(validateSchema(sts)), [
    {
      path: ['spec', 'template', 'metadata', 'labels', 'version'],
      message: `spec.template.metadata.labels: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`,
    },
  ]);
});

test('kinds whose name rule is not known here are not name-checked', () => {
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'system:reader' },
    rules: [],
  };
  assert.deepEqual(validateSchema(role), { status: 'valid' });
});

test('container predicates the constructs ask are linted too: env names, subPath, probe thresholds, requests above limits', () => {
  const sts = statefulSet();
  sts.spec.template.spec.containers[0] = {
    name: 'web',
    image: 'nginx',
    env: [{ name: '1ABC', value: 'x' }, { name: 'GOOD', value: 'y' }],
    volumeMounts: [{ name: 'data', mountPath: '/d', subPath: '/abs' }],
    livenessProbe: { successThreshold: 2, tcpSocket: { port: 80 } },
    readinessProbe: { successThreshold: 2, tcpSocket: { port: 80 } },
    resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } },
  };
  const messages = errorsOf(validateSchema(sts)).map((e) => e.message.replace(/ \(Kubernetes 1\.28 accepts.*$/, ''));
  assert.deepEqual(messages.filter((m) => !m.includes('volumeMounts[0].name')), [
    `spec.containers[0].env[0].name: Invalid value: "1ABC": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
    'spec.containers[0].volumeMounts[0].subPath: Invalid value: "/abs": must be a relative path',
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    'spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
  ]);
});

test('container predicates point at the container and item they found a problem in', () => {
  const sts = statefulSet();
  const web = sts.spec.template.spec.containers[0];
  sts.spec.template.spec.containers = [
    web,
    { name: 'side', image: 'busybox', env: [{ name: 'OK', value: 'x' }, { name: '2X', value: 'y' }],
      volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'data', mountPath: '/e', subPath: 'a/../b' }] },
  ];
  sts.spec.template.spec.initContainers = [{ name: 'init', image: 'busybox', startupProbe: { successThreshold: 3, exec: { command: ['true'] } } }];
  const paths = errorsOf(validateSchema(sts)).map((e) => e.path.join('.'));
  assert.deepEqual(paths, [
    'spec.template.spec.initContainers.0.startupProbe.successThreshold',
    'spec.template.spec.containers.1.env.1.name',
    'spec.template.spec.containers.1.volumeMounts.1.subPath',
  ]);
});
