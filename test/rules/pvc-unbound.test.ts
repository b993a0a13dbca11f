import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText, ruleTable } from './harness';

ruleTable('pvc-unbound');

function statefulSet(replicas: number, policy: 'OrderedReady' | 'Parallel'): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web, namespace: default }
spec:
  serviceName: web
  replicas: ${replicas}
  podManagementPolicy: ${policy}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - { name: app, image: nginx, volumeMounts: [{ name: data, mountPath: /data }] }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], storageClassName: "", resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { clusterIP: None, selector: { app: web }, ports: [{ name: web, port: 80 }] }
`;
}

function pvs(count: number, preBound: boolean): string {
  return Array.from({ length: count }, (_, i) => {
    const ref = preBound ? `, claimRef: { namespace: default, name: data-web-${i} }` : '';
    return `---
apiVersion: v1
kind: PersistentVolume
metadata: { name: pv${i} }
spec: { capacity: { storage: 1Gi }, accessModes: [ReadWriteOnce], storageClassName: ""${ref}, nfs: { server: nfs1, path: /v${i} } }
`;
  }).join('');
}

describe('pvc-unbound beyond a thousand replicas (issue 13: no cap turns an error into silence)', () => {
  it('an OrderedReady claim past the first thousand ordinals that no PV serves is reported', () => {
    const findings = lintText(statefulSet(1500, 'OrderedReady') + pvs(1200, true), 'big.yaml').filter((f) => f.rule === 'pvc-unbound');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /^data-web-1200: no PV can bind .*pods web-1201\.\.web-1499 are never created/);
  });

  it('claims past the PVs of the set under Parallel: which stay Pending is random, how many is not', () => {
    const findings = lintText(statefulSet(1100, 'Parallel') + pvs(1000, false), 'big.yaml').filter((f) => f.rule === 'pvc-unbound');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /^100 of the 1099 claims data-web-1, .* and 1093 more stay Pending, and which is not determined/);
  });

  it('a typo such as replicas: 30000000 plans claims up to the PVs of the set and says what it left out', () => {
    const findings = lintText(statefulSet(30_000_000, 'OrderedReady') + pvs(2, true), 'typo.yaml').filter((f) => f.rule === 'pvc-unbound');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /^data-web-2: .*; 29990000 more of its 30000000 replicas were not simulated: with only 2 PVs in the set/);
  });
});
