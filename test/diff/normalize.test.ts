import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from '../../lib/diff/normalize';
import { diffFields } from '../../lib/diff/changes';
import { defaultOf } from '../../lib/k8s/defaults';
import type { KubeObject } from '../../lib/core/types';

const sts = (spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec });

describe('normalize', () => {
  it('fills in the StatefulSet defaults of a 1.28 API server', () => {
    const spec = normalize(sts({ serviceName: 'web' })).spec as Record<string, unknown>;
    assert.deepEqual(
      {
        replicas: spec.replicas, podManagementPolicy: spec.podManagementPolicy,
        revisionHistoryLimit: spec.revisionHistoryLimit, updateStrategy: spec.updateStrategy,
        persistentVolumeClaimRetentionPolicy: spec.persistentVolumeClaimRetentionPolicy,
      },
      {
        replicas: 1, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    );
  });

  it('gives an OnDelete strategy no rollingUpdate', () => {
    const spec = normalize(sts({ updateStrategy: { type: 'OnDelete' } })).spec as Record<string, unknown>;
    assert.deepEqual(spec.updateStrategy, { type: 'OnDelete' });
  });

  it('fills in what apps/v1beta1 defaulted: the selector from the template labels, OnDelete for a StatefulSet', () => {
    const template = { metadata: { labels: { app: 'web' } } };
    const old = { ...sts({ template }), apiVersion: 'apps/v1beta1' };
    const spec = normalize(old).spec as Record<string, unknown>;
    assert.deepEqual(spec.selector, { matchLabels: { app: 'web' } });
    assert.deepEqual(spec.updateStrategy, { type: 'OnDelete' });
    const written = normalize({ ...old, spec: { template, selector: { matchLabels: { tier: 'x' } } } }).spec as Record<string, unknown>;
    assert.deepEqual(written.selector, { matchLabels: { tier: 'x' } }, 'a selector written stays');
    const current = normalize(sts({ template })).spec as Record<string, unknown>;
    assert.equal(current.selector, undefined, 'apps/v1 defaults no selector: it is required');
    assert.equal(defaultOf('StatefulSet', ['spec', 'updateStrategy', 'type']), 'RollingUpdate', 'the views read apps/v1');
  });

  it('strips what the API server owns from claim templates and fills in volumeMode', () => {
    const template = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', creationTimestamp: null },
      spec: { resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' },
    };
    const spec = normalize(sts({ volumeClaimTemplates: [template] })).spec as Record<string, unknown>;
    assert.deepEqual(spec.volumeClaimTemplates, [
      { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' } },
    ]);
  });

  it('defaults a Service port protocol and targetPort (to the port) and mirrors clusterIP into clusterIPs', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' },
      spec: { clusterIP: 'None', ports: [{ port: 80 }, { port: 81, targetPort: 'http' }] } };
    assert.deepEqual(normalize(svc).spec, {
      clusterIP: 'None', clusterIPs: ['None'], type: 'ClusterIP', sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 81, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('treats null, empty lists and empty maps as absent, but keeps an empty volume source', () => {
    const pod = sts({ template: { metadata: { labels: {} }, spec: { volumes: [{ name: 'tmp', emptyDir: {} }],
      containers: [{ name: 'a', image: 'x', resources: { limits: {} }, args: [], env: null }] } } });
    const template = (normalize(pod).spec as Record<string, any>).template;
    assert.equal(template.metadata, undefined);
    assert.deepEqual(template.spec.volumes, [{ name: 'tmp', emptyDir: {} }]);
    assert.deepEqual(template.spec.containers[0], {
      name: 'a', image: 'x', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
    });
  });

  it('does not modify its input', () => {
    const input = sts({ serviceName: 'web', volumeClaimTemplates: [{ kind: 'PersistentVolumeClaim', metadata: { name: 'd' } }] });
    const before = structuredClone(input);
    normalize(input);
    assert.deepEqual(input, before);
  });
});

describe('diffFields', () => {
  it('names list items by name and locates them by index on each side', () => {
    const old = { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] };
    const cur = { containers: [{ name: 'b', image: '2' }, { name: 'a', image: '1' }] };
    assert.deepEqual(diffFields(old, cur, ['spec'], 'spec'), [{
      display: 'spec.containers[b].image', newPath: ['spec', 'containers', 0, 'image'],
      oldPath: ['spec', 'containers', 1, 'image'], oldValue: '1', newValue: '2',
    }]);
  });

  it('compares resource quantities by value, other strings as written', () => {
    assert.deepEqual(diffFields({ requests: { storage: '1Gi' } }, { requests: { storage: '1024Mi' } }), []);
    assert.equal(diffFields({ requests: { storage: '1Gi' } }, { requests: { storage: '1G' } }).length, 1);
    assert.equal(diffFields({ image: '1Gi' }, { image: '1024Mi' }).length, 1);
  });

  it('compares lists of scalars as a whole, in order', () => {
    const changes = diffFields({ accessModes: ['A', 'B'] }, { accessModes: ['B', 'A'] });
    assert.deepEqual(changes.map((c) => [c.display, c.oldValue, c.newValue]), [['accessModes', ['A', 'B'], ['B', 'A']]]);
  });
});

describe('normalize: zero values of non-pointer fields', () => {
  it('treats serviceName "" as unset, and an NFS readOnly false as unset', () => {
    const a = normalize(sts({ serviceName: '' }));
    assert.equal((a.spec as Record<string, unknown>).serviceName, undefined);
    const pv = (nfs: Record<string, unknown>): KubeObject =>
      ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'p' }, spec: { nfs } });
    assert.deepEqual(diffFields(normalize(pv({ server: 's', path: '/p', readOnly: false })), normalize(pv({ server: 's', path: '/p' }))), []);
    assert.equal(diffFields(normalize(pv({ server: 's', path: '/p', readOnly: true })), normalize(pv({ server: 's', path: '/p' }))).length, 1);
  });
});
