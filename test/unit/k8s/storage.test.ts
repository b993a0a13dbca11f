import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { simulateBinding } from '../../../lib/k8s/binder';
import { labelSelectorOf, pvcClaimInput, pvSpecOf, statefulSetClaimInputs } from '../../../lib/k8s/storage';
import type { KubeObject } from '../../../lib/lint/types';

const yaml = (text: string) => parse(text) as KubeObject;

const statefulSet = yaml(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: myapp }
spec:
  replicas: 2
  ordinals: { start: 3 }
  serviceName: myapp
  volumeClaimTemplates:
  - metadata: { name: myappdata, namespace: ignored }
    spec:
      accessModes: [ReadWriteOnce]
      resources: { requests: { storage: 2Gi } }
  - metadata:
      name: logs
      annotations: { volume.beta.kubernetes.io/storage-class: slow }
    spec:
      accessModes: [ReadWriteMany]
      storageClassName: fast
      volumeMode: Block
      selector: { matchLabels: { tier: logs } }
      resources: { requests: { storage: 500m } }
`);

describe('statefulSetClaimInputs', () => {
  const inputs = statefulSetClaimInputs(statefulSet, 'apps', (t, o) => `${t}/${o}`);

  it('creates claims ordinal by ordinal, template by template, from ordinals.start', () => {
    assert.deepEqual(
      inputs.map((i) => [i.claim.name, i.template, i.templateIndex, i.ordinal, i.claim.ref]),
      [
        ['myappdata-myapp-3', 'myappdata', 0, 3, '0/3'],
        ['logs-myapp-3', 'logs', 1, 3, '1/3'],
        ['myappdata-myapp-4', 'myappdata', 0, 4, '0/4'],
        ['logs-myapp-4', 'logs', 1, 4, '1/4'],
      ],
    );
  });

  it("puts claims in the StatefulSet's namespace", () => {
    assert.deepEqual(new Set(inputs.map((i) => i.claim.namespace)), new Set(['apps']));
  });

  it('reads class (beta annotation first), modes, volume mode, selector and request', () => {
    const logs = inputs[1];
    assert.equal(logs.claim.storageClassName, 'slow');
    assert.equal(logs.classUnset, false);
    assert.deepEqual(logs.claim.accessModes, ['ReadWriteMany']);
    assert.equal(logs.claim.volumeMode, 'Block');
    assert.deepEqual(logs.claim.selector, { matchLabels: { tier: 'logs' } });
    assert.deepEqual([logs.claim.request?.num, logs.claim.request?.den], [1n, 2n]);
  });

  it('uses the given default class for a claim that sets none, and says it did', () => {
    const [data] = statefulSetClaimInputs(statefulSet, 'apps', () => 0, { defaultClass: 'standard' });
    assert.equal(data.claim.storageClassName, 'standard');
    assert.equal(data.classUnset, true);
    assert.equal(inputs[0].claim.storageClassName, '');
  });

  it('defaults to one replica from ordinal 0', () => {
    const minimal = yaml(`
metadata: { name: db }
spec:
  volumeClaimTemplates:
  - metadata: { name: data }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`);
    assert.deepEqual(statefulSetClaimInputs(minimal, 'default', () => 0).map((i) => i.claim.name), ['data-db-0']);
  });

  it('survives malformed specs', () => {
    assert.deepEqual(statefulSetClaimInputs(yaml('metadata: { name: x }\nspec: 3'), 'default', () => 0), []);
    assert.deepEqual(
      statefulSetClaimInputs(yaml('metadata: { name: x }\nspec: { volumeClaimTemplates: [7, { spec: {} }] }'), 'default', () => 0),
      [],
    );
  });
});

describe('pvcClaimInput', () => {
  it('reads a standalone claim', () => {
    const input = pvcClaimInput(
      yaml(`
metadata: { name: data }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  volumeName: pv7
  resources: { requests: { storage: 10Gi } }
`),
      'prod',
      'ref',
    );
    assert.equal(input.claim.name, 'data');
    assert.equal(input.claim.namespace, 'prod');
    assert.equal(input.claim.storageClassName, '');
    assert.equal(input.classUnset, false);
    assert.equal(input.claim.volumeName, 'pv7');
    assert.equal(input.requestError, undefined);
  });

  it('reports an unparseable request with the API server message', () => {
    const input = pvcClaimInput(yaml('metadata: { name: d }\nspec: { resources: { requests: { storage: 10 gigs } } }'), 'x', 0);
    assert.equal(input.claim.request, undefined);
    assert.equal(
      input.requestError,
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  it('reads a YAML number as a quantity', () => {
    const input = pvcClaimInput(yaml('metadata: { name: d }\nspec: { resources: { requests: { storage: 1e9 } } }'), 'x', 0);
    assert.deepEqual([input.claim.request?.num, input.claim.request?.den], [1_000_000_000n, 1n]);
  });
});

describe('pvSpecOf', () => {
  it('reads an NFS PV', () => {
    const spec = pvSpecOf(
      yaml(`
apiVersion: v1
kind: PersistentVolume
metadata: { name: pv001, labels: { name: pv001, index: 1 } }
spec:
  capacity: { storage: 2Gi }
  accessModes: [ReadWriteMany, ReadWriteOnce]
  storageClassName: nfs
  claimRef: { namespace: default, name: myappdata-myapp-0 }
  nfs: { server: nfs1, path: /data/volumes/v1 }
`),
      'ref',
    );
    assert.equal(spec.name, 'pv001');
    assert.deepEqual(spec.labels, { name: 'pv001', index: '1' });
    assert.equal(spec.storageClassName, 'nfs');
    assert.deepEqual(spec.claimRef, { namespace: 'default', name: 'myappdata-myapp-0' });
    assert.deepEqual([spec.capacity?.num, spec.capacity?.text], [2n * 1024n ** 3n, '2Gi']);
  });

  it('keeps a claimRef without namespace as such', () => {
    const spec = pvSpecOf(yaml('metadata: { name: p }\nspec: { claimRef: { name: c } }'), 0);
    assert.deepEqual(spec.claimRef, { name: 'c' });
    assert.equal(spec.capacity, undefined);
    assert.deepEqual(spec.accessModes, []);
  });

  it('end to end: the seed chart binds each claim to its pre-bound PV', () => {
    const claims = statefulSetClaimInputs(
      yaml(`
metadata: { name: myapp }
spec:
  replicas: 3
  volumeClaimTemplates:
  - metadata: { name: myappdata }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 2Gi } } }
`),
      'default',
      (_, ordinal) => ordinal,
    ).map((i) => i.claim);
    const pvs = [3, 2, 1].map((n) =>
      pvSpecOf(
        yaml(`
metadata: { name: pv00${n} }
spec:
  capacity: { storage: 2Gi }
  accessModes: [ReadWriteMany, ReadWriteOnce]
  claimRef: { namespace: default, name: myappdata-myapp-${n - 1} }
`),
        n,
      ),
    );
    const result = simulateBinding(claims, pvs);
    assert.deepEqual([...result.bound.values()].sort(), ['pv001', 'pv002', 'pv003']);
    assert.equal(result.bound.get('default/myappdata-myapp-2'), 'pv003');
  });
});

describe('labelSelectorOf', () => {
  it('reads matchLabels and matchExpressions, skipping junk', () => {
    assert.deepEqual(
      labelSelectorOf({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['v', 3] }, 'junk'] }),
      { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] },
    );
    assert.deepEqual(labelSelectorOf({}), {});
    assert.equal(labelSelectorOf(undefined), undefined);
    assert.equal(labelSelectorOf('app=x'), undefined);
  });
});
