/** `diff` on what the myapp chart synthesizes: the revisions a cdk8s user compares (programmatic API). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from 'cdk8s';
import { MyAppChart, type MyAppChartProps } from '../../charts/myapp';
import { diffTexts } from '../../lib/api';

function synth(props: MyAppChartProps = {}): string {
  const app = new App();
  new MyAppChart(app, 'myapp', props);
  return app.synthYaml();
}

const rules = (props: MyAppChartProps) =>
  diffTexts(synth(), synth(props)).findings.map((f) => [f.severity, f.rule, f.object?.kind, f.object?.name]);

describe('diff of two myapp chart synths', () => {
  it('is clean when the chart is synthesized again unchanged, or only the image changes', () => {
    const same = diffTexts(synth(), synth());
    assert.deepEqual(same.findings, []);
    assert.equal(same.summary.changed, 0);
    assert.deepEqual(rules({ image: 'ikubernetes/myapp:v2' }), []);
  });

  it('warns on a scale-down: the claim of the last pod and its PV stay behind', () => {
    const report = diffTexts(synth(), synth({ replicas: 2 }));
    assert.deepEqual(report.findings.map((f) => [f.severity, f.rule, f.object?.name]), [
      ['warning', 'scale-down-retains-claims', 'myapp'],
      ['warning', 'removed-pv-retains-data', 'pv003'],
    ]);
    assert.match(report.findings[0].message,
      /^StatefulSet "myapp" scales down from 3 to 2 replicas: pod myapp-2 goes away, but its claim myappdata-myapp-2 stays behind \(bound to PersistentVolume pv003\)/);
  });

  it('reports moving the NFS volumes to another server as refused, once per PV', () => {
    assert.deepEqual(rules({ nfsServer: 'nfs2' }), [
      ['error', 'immutable-field', 'PersistentVolume', 'pv001'],
      ['error', 'immutable-field', 'PersistentVolume', 'pv002'],
      ['error', 'immutable-field', 'PersistentVolume', 'pv003'],
    ]);
  });
});
