import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { bindClaims } from '../../../lib/k8s/binder';
import { claimInput, labelSelectorOf, pvcClaimInput, pvSpecOf } from '../../../lib/k8s/storage';
import type { KubeObject } from '../../../lib/core/types';

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

describe('claimInput (a StatefulSet claim template)', () => {
  const [dataTemplate, logsTemplate] = (statefulSet.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates;
  const data = claimInput(dataTemplate, 'apps', 'myappdata-myapp-3', 'ref');

  it('takes the name and namespace it is given, not the template\'s own', () => {
    assert.deepEqual([data.claim.name, data.claim.namespace, data.claim.ref], ['myappdata-myapp-3', 'apps', 'ref']);
  });

  it('reads class (beta annotation first), modes, volume mode, selector and request', () => {
    const logs = claimInput(logsTemplate, 'apps', 'logs-myapp-3', 0);
    assert.equal(logs.claim.storageClassName, 'slow');
    assert.equal(logs.classUnset, false);
    assert.deepEqual(logs.claim.accessModes, ['ReadWriteMany']);
    assert.equal(logs.claim.volumeMode, 'Block');
    assert.deepEqual(logs.claim.selector, { matchLabels: { tier: 'logs' } });
    assert.deepEqual([logs.claim.request?.num, logs.claim.request?.den], [1n, 2n]);
  });

  it('uses the given default class for a claim that sets none, and says it did', () => {
    const withDefault = claimInput(dataTemplate, 'apps', 'myappdata-myapp-3', 0, { defaultClass: 'standard' });
    assert.equal(withDefault.claim.storageClassName, 'standard');
    assert.equal(withDefault.classUnset, true);
    assert.equal(data.claim.storageClassName, '');
  });

  it('reads a template once for all its claims: they share the parsed request and selector', () => {
    const [a, b] = ['logs-myapp-3', 'logs-myapp-4'].map((name) => claimInput(logsTemplate, 'apps', name, name));
    assert.deepEqual([a.claim.name, b.claim.name], ['logs-myapp-3', 'logs-myapp-4']);
    assert.equal(a.claim.request, b.claim.request);
    assert.equal(a.claim.selector, b.claim.selector);
  });

  it('survives malformed templates', () => {
    for (const template of [7, 'x', null, { spec: 3 }, { spec: { accessModes: 'RWO', resources: [] } }]) {
      const input = claimInput(template, 'default', 'c', 0);
      assert.deepEqual(input.claim, { namespace: 'default', name: 'c', accessModes: [], storageClassName: '', ref: 0 });
    }
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
    const template = yaml('metadata: { name: myappdata }\nspec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 2Gi } } }');
    const claims = [0, 1, 2].map((ordinal) => claimInput(template, 'default', `myappdata-myapp-${ordinal}`, ordinal).claim);
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
    const result = bindClaims(claims, pvs);
    assert.deepEqual([...result.outcomes.values()].map((o) => [o.pv?.name, o.class]), [
      ['pv001', 'bound'],
      ['pv002', 'bound'],
      ['pv003', 'bound'],
    ]);
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
