/** The model layer: ordinal ranges, typed views, the API-server predicates, and what lint makes of them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadText } from '../../../lib/load/load';
import { lintManifests } from '../../../lib/api';
import {
  describeClaims,
  isClaimOf,
  ordinalRange,
  ordinalsMissingFrom,
  plannedOrdinals,
} from '../../../lib/k8s/ordinals';
import { containerPortErrors, podSpecErrors, portNameProblems, servicePortErrors, statefulSetNumberErrors } from '../../../lib/k8s/validation';
import { readService, readStatefulSet, readStorageClass } from '../../../lib/k8s/views';

const lint = (text: string) =>
  lintManifests(loadText(text, 'x.yaml').manifests).findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`);

const statefulSet = (spec: string) =>
  'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n' + spec +
  '  serviceName: web\n  selector: {matchLabels: {app: web}}\n' +
  '  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: nginx}]\n';

describe('ordinal ranges', () => {
  it('computes what a scale change removes without listing the ordinals', () => {
    assert.deepEqual(ordinalsMissingFrom({ start: 0, count: 30_000_000 }, { start: 0, count: 3 }), [{ start: 3, count: 29_999_997 }]);
    assert.deepEqual(ordinalsMissingFrom({ start: 0, count: 5 }, { start: 2, count: 2 }), [{ start: 0, count: 2 }, { start: 4, count: 1 }]);
    assert.deepEqual(ordinalsMissingFrom({ start: 0, count: 3 }, { start: 0, count: 0 }), [{ start: 0, count: 3 }]);
    assert.deepEqual(ordinalsMissingFrom({ start: 0, count: 3 }, { start: 0, count: 5 }), []);
  });

  it('plans at most the cap and says when it stops short', () => {
    const planned = plannedOrdinals({ start: 5, count: 2_000_000_000 }, 4);
    assert.deepEqual(planned, { ordinals: [5, 6, 7, 8], total: 2_000_000_000, truncated: true });
    assert.equal(describeClaims(['data'], 'web', planned, 2).text, 'data-web-5, data-web-6 and 1999999998 more');
  });

  it('recognises a claim name of a range from the name alone', () => {
    const range = { start: 0, count: 30_000_000 };
    assert.equal(isClaimOf('data-web-29999999', ['data'], 'web', range), true);
    assert.equal(isClaimOf('data-web-30000000', ['data'], 'web', range), false);
    assert.equal(isClaimOf('data-web-007', ['data'], 'web', range), false);
    assert.equal(isClaimOf('logs-web-1', ['data'], 'web', range), false);
  });
});

describe('views', () => {
  it('apply API defaults and refuse counts the API server refuses', () => {
    const view = readStatefulSet({ spec: { ordinals: { start: 2 } } });
    assert.deepEqual([view.replicas, view.ordinalsStart, view.podManagementPolicy, view.whenScaled, view.countsValid],
      [1, 2, 'OrderedReady', 'Retain', true]);
    for (const replicas of [-5, 2 ** 31, 1e308, 1.5]) {
      const invalid = readStatefulSet({ spec: { replicas } });
      assert.deepEqual([invalid.countsValid, ordinalRange(invalid).count], [false, 0], String(replicas));
    }
  });

  it('read the retention policy and point at each container, mount and port of the pod template', () => {
    const view = readStatefulSet({
      spec: {
        persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' },
        template: {
          spec: {
            initContainers: [{ name: 'init', volumeMounts: [{ name: 'data' }] }],
            containers: [
              { name: 'a' },
              { volumeMounts: [{ name: 'conf' }, { mountPath: '/x' }], volumeDevices: [{ name: 'raw' }] },
            ],
          },
        },
      },
    });
    assert.deepEqual([view.whenScaled, view.whenDeleted], ['Delete', 'Retain']);
    const containers = view.podTemplate.containers.map((c) => ({
      name: c.name,
      path: c.path.join('.'),
      podField: c.podField,
      references: c.volumeReferences.map((r) => `${r.list}[${r.index}] ${r.name} at ${r.path.join('.')}`),
    }));
    assert.deepEqual(containers, [
      { name: 'a', path: 'spec.template.spec.containers.0', podField: 'spec.containers[0]', references: [] },
      {
        name: '#1',
        path: 'spec.template.spec.containers.1',
        podField: 'spec.containers[1]',
        references: [
          'volumeMounts[0] conf at spec.template.spec.containers.1.volumeMounts.0.name',
          'volumeDevices[0] raw at spec.template.spec.containers.1.volumeDevices.0.name',
        ],
      },
      {
        name: 'init',
        path: 'spec.template.spec.initContainers.0',
        podField: 'spec.initContainers[0]',
        references: ['volumeMounts[0] data at spec.template.spec.initContainers.0.volumeMounts.0.name'],
      },
    ]);
  });

  it('read a Service and a StorageClass tolerantly', () => {
    assert.deepEqual(readService({ spec: { clusterIP: 'None', type: 'ExternalName' } }).headless, false);
    assert.deepEqual(readService({ spec: { clusterIP: 'None', ports: 'x' } }), {
      name: '', type: 'ClusterIP', clusterIP: 'None', headless: true, selector: {}, publishNotReadyAddresses: false, ports: [],
    });
    const sc = readStorageClass({ metadata: { name: 'nfs', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } });
    assert.deepEqual([sc.isDefault, sc.reclaimPolicy, sc.volumeBindingMode], [true, 'Delete', 'Immediate']);
  });
});

describe('API-server predicates', () => {
  it('word port names as IsValidPortName does', () => {
    assert.deepEqual(portNameProblems('web'), []);
    assert.deepEqual(portNameProblems('Web_HTTP'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
    assert.deepEqual(portNameProblems('80'), ['must contain at least one letter (a-z)']);
    assert.deepEqual(portNameProblems('-a--b'), ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
  });

  it('check container and Service ports as validateContainerPorts and validateServicePort do', () => {
    assert.deepEqual(containerPortErrors([{ name: 'web', containerPort: 80 }, { name: 'web', containerPort: 70000 }], ['ports']), [
      { path: ['ports', 1, 'name'], message: 'ports[1].name: Duplicate value: "web"' },
      { path: ['ports', 1, 'containerPort'], message: 'ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive' },
    ]);
    assert.deepEqual(servicePortErrors([{ port: 80 }, { name: 'b', port: 81, targetPort: 'Web' }], ['spec', 'ports']).map((e) => e.message), [
      'spec.ports[0].name: Required value',
      'spec.ports[1].targetPort: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
  });

  it('check container names and mount paths as ValidatePodSpec does', () => {
    const podSpec = {
      initContainers: [{ name: 'init' }],
      containers: [{ name: 'init', volumeMounts: [{ name: 'a', mountPath: '/d' }, { name: 'b', mountPath: '/d' }] }],
    };
    assert.deepEqual(podSpecErrors(podSpec, ['spec']).map((e) => e.message), [
      'spec.containers[0].name: Duplicate value: "init"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
    ]);
  });

  it('check the counts of a StatefulSet as int32 fields that must not be negative', () => {
    assert.deepEqual(statefulSetNumberErrors({ replicas: -5, ordinals: { start: 2 ** 31 }, minReadySeconds: 0 }).map((e) => e.message), [
      'spec.replicas: Invalid value: -5: must be greater than or equal to 0',
      'spec.ordinals.start: Invalid value: 2147483648: must be less than or equal to 2147483647',
    ]);
  });
});

describe('lint through the model', () => {
  it('rejects a negative or out-of-range replicas instead of reading it as 1', () => {
    assert.deepEqual(lint(statefulSet('  replicas: -5\n')).filter((f) => f.includes('schema')),
      ['5:3 error schema spec.replicas: Invalid value: -5: must be greater than or equal to 0']);
    assert.deepEqual(lint(statefulSet('  replicas: 2147483648\n  ordinals: {start: 1.0e+308}\n')).filter((f) => f.includes('schema')), [
      '5:3 error schema spec.replicas: Invalid value: 2147483648: must be less than or equal to 2147483647',
      '6:14 error schema spec.ordinals.start: Invalid value: 1e+308: must be less than or equal to 2147483647',
    ]);
  });

  it('rejects the port names the API server rejects, which the constructs reject too', () => {
    const text = statefulSet('').replace('image: nginx}', 'image: nginx, ports: [{name: abcdefghijklmnopqrst, containerPort: 80}]}') +
      '---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  clusterIP: None\n  selector: {app: web}\n  ports: [{name: Web_HTTP, port: 80}]\n';
    const schema = lint(text).filter((f) => f.includes(' schema '));
    assert.equal(schema.length, 2);
    // A StatefulSet's pod template is validated only when the controller creates a pod: worded as that pod's error.
    assert.match(schema[0], /^10:53 error schema spec\.containers\[0\]\.ports\[0\]\.name: Invalid value: "abcdefghijklmnopqrst": must be no more than 15 characters \(Kubernetes 1\.28 accepts the StatefulSet, but the StatefulSet controller fails every pod creation with this error\)$/);
    assert.match(schema[1], /^18:12 error schema spec\.ports\[0\]\.name: Invalid value: "Web_HTTP": a lowercase RFC 1123 label must consist of/);
  });

  it('says which ordinals it does not simulate rather than staying silent about them', () => {
    const template = '  - metadata: {name: data}\n' +
      '    spec: {storageClassName: "", accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n';
    const pv = '---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv1}\n' +
      'spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], nfs: {server: nfs1, path: /v1}}\n';
    const findings = lint(statefulSet('  replicas: 30000000\n') + '  volumeClaimTemplates:\n' + template + pv);
    const pending = findings.filter((f) => f.includes('error pvc-unbound'));
    assert.equal(pending.length, 1);
    assert.match(pending[0], /; 29990000 more of its 30000000 replicas were not simulated: with only 1 PV in the set their claims stay Pending too$/);
  });
});
