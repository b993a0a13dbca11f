/**
 * The constructs run the lint engine at synth time: `app.synth()` fails with the findings `cdk8s-stateful lint
 * --complete` prints for the files synth would write, over every object of the app (hand-written ones included).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { AccessMode, HeadlessService, NfsVolumePool, SYNTH_LINT_CONTEXT_KEY, StatefulApp, StatefulAppProps } from '../../../lib/constructs';
import { readSynthLintSettings, synthLintSettings } from '../../../lib/constructs/validation';
import { lintPaths } from '../../../lib/api';

const HEADER = 'Validation failed with the following errors:\n';

const app1: StatefulAppProps = {
  containers: [{ image: 'nginx:1.25', ports: [{ name: 'web', number: 80 }], mounts: [{ template: 'data', path: '/data' }] }],
  volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(2), storageClassName: '' }],
};

/** A chart `test` in an app writing to dist/ (Testing.synth writes nothing), with the lint context if given. */
function newChart(lintContext?: unknown, outdir = 'dist'): Chart {
  const app = new App({ outdir });
  if (lintContext !== undefined) app.node.setContext(SYNTH_LINT_CONTEXT_KEY, lintContext);
  return new Chart(app, 'test');
}

/** A hand-written NFS PV pre-bound to a claim of namespace default. */
function handWrittenPv(scope: Chart, name: string, size: string, claim: string): k8s.KubePersistentVolume {
  return new k8s.KubePersistentVolume(scope, name, {
    metadata: { name },
    spec: {
      capacity: { storage: k8s.Quantity.fromString(size) },
      accessModes: ['ReadWriteOnce'],
      nfs: { server: 'nfs1', path: `/exports/${name}` },
      claimRef: { name: claim, namespace: 'default' },
    },
  });
}

/** A hand-written 1Gi PV without class or claimRef: meant for app1's claims, and too small for them. */
function smallUnboundPv(scope: Chart): k8s.KubePersistentVolume {
  return new k8s.KubePersistentVolume(scope, 'pv-small', {
    metadata: { name: 'pv-small' },
    spec: { capacity: { storage: k8s.Quantity.fromString('1Gi') }, accessModes: ['ReadWriteOnce'], nfs: { server: 'nfs1', path: '/exports/small' } },
  });
}

function synthError(chart: Chart): string {
  try {
    Testing.synth(chart);
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail('synth did not fail');
}

describe('StatefulApp synth runs the lint engine', () => {
  it('fails with the sts-service finding when an escape hatch breaks the Service link', () => {
    const chart = newChart();
    const app = new StatefulApp(chart, 'web', { ...app1, volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1) }] });
    app.statefulSet.addJsonPatch(JsonPatch.replace('/spec/serviceName', 'other'));
    assert.equal(synthError(chart), HEADER
      + '  [test] dist/test.k8s.yaml:31:3  Service "other" (spec.serviceName) is not among the linted files, but headless '
      + 'Service "web" selects these pods: did you mean serviceName: web? Without a Service named "other", '
      + 'web-0.other.default.svc.cluster.local will not resolve  sts-service');
  });

  it('fails with the vct-mount error when a patch leaves a mount without a volume; the unused template is only a warning', () => {
    const chart = newChart();
    const app = new StatefulApp(chart, 'web', { ...app1, volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1) }] });
    app.statefulSet.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/volumeMounts/0/name', 'datadir'));
    assert.equal(synthError(chart), HEADER
      + '  [test] dist/test.k8s.yaml:56:15  volumeMount "datadir" of container "main" names no pod volume or claim '
      + 'template: the StatefulSet controller will fail every pod creation with '
      + 'spec.containers[0].volumeMounts[0].name: Not found: "datadir"  vct-mount');
  });

  it('synthesizes a claim template nobody mounts, reporting the vct-mount warning as lint does (not an error)', () => {
    const templates = [{ name: 'data', size: Size.gibibytes(1) }, { name: 'spare', size: Size.gibibytes(1) }];
    const quiet = newChart();
    new StatefulApp(quiet, 'web', { ...app1, volumeClaimTemplates: templates });
    assert.ok(Testing.synth(quiet).length > 0);
    const strict = newChart({ failOnWarnings: true });
    new StatefulApp(strict, 'web', { ...app1, volumeClaimTemplates: templates });
    assert.match(synthError(strict), /claim template "spare" is not mounted by any container: every pod still gets a claim \(spare-web-<ordinal>\) that nothing uses {2}vct-mount$/);
  });

  it('sees a PV the user adds by hand, pre-bound to a claim no ordinal creates (a warning: the claim may come with a scale-up)', () => {
    const build = (lintContext?: unknown) => {
      const chart = newChart(lintContext);
      new StatefulApp(chart, 'web', { ...app1, replicas: 2 });
      handWrittenPv(chart, 'pv-extra', '2Gi', 'data-web-5');
      return chart;
    };
    // data-web-0's own PV is not in the app (none is meant for it), so only the stray reservation is reported.
    assert.equal(Testing.synth(build()).length, 3);
    assert.match(synthError(build({ failOnWarnings: true })),
      /claimRef reserves the PV for claim default\/data-web-5 of ordinal 5, which StatefulSet web does not create .*  pv-claim-ref$/);
  });

  it('sees a hand-written PV that is too small for the claim it is pre-bound to', () => {
    const chart = newChart();
    new StatefulApp(chart, 'web', app1);
    handWrittenPv(chart, 'pv-small', '1Gi', 'data-web-0');
    assert.equal(synthError(chart), HEADER
      + '  [test] dist/test.k8s.yaml:67:13  data-web-0: no PV can bind (1 claim needs ReadWriteOnce 2Gi; pv-small too small: 1Gi < 2Gi); '
      + 'under OrderedReady pod web-0 stays Pending  pvc-unbound');
  });

  it('passes once the hand-written PV fits', () => {
    const chart = newChart();
    new StatefulApp(chart, 'web', app1);
    handWrittenPv(chart, 'pv-fits', '2Gi', 'data-web-0');
    assert.equal(Testing.synth(chart).length, 3);
  });

  it('lints a chart once however many StatefulApps it holds', () => {
    const chart = newChart();
    new StatefulApp(chart, 'a', app1);
    new StatefulApp(chart, 'b', app1);
    smallUnboundPv(chart);
    const lines = synthError(chart).split('\n').slice(1);
    assert.deepEqual(lines.map((line) => line.replace(/:\d+:\d+ .*?(\S+)$/, ' $1')), [
      '  [test] dist/test.k8s.yaml pvc-unbound',
      '  [test] dist/test.k8s.yaml pvc-unbound',
    ]);
    assert.match(lines[0], /data-a-0: no PV can bind/);
    assert.match(lines[1], /data-b-0: no PV can bind/);
  });

  it('lints every chart of the app together: PVs in another chart bind the claims', () => {
    const app = new App({ outdir: 'dist' });
    new StatefulApp(new Chart(app, 'web'), 'web', app1);
    const storage = new Chart(app, 'storage');
    handWrittenPv(storage, 'pv-a', '2Gi', 'data-web-0');
    handWrittenPv(storage, 'pv-b', '2Gi', 'logs-web-7');
    // The finding is in storage's file; storage has no StatefulApp, so the web chart reports it.
    assert.equal(synthError(storage), HEADER
      + '  [web] dist/storage.k8s.yaml:26:3  claimRef names claim default/logs-web-7, but StatefulSet web has no claim '
      + 'template "logs" (its templates are data): no such claim is ever created and the PV stays reserved for nothing  pv-claim-ref');
  });

  it('fails app.synth() before any YAML is written, naming the file it would have written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-lint-'));
    try {
      const chart = newChart(undefined, outdir);
      new StatefulApp(chart, 'web', app1);
      smallUnboundPv(chart);
      assert.throws(() => App.of(chart).synth(), { message: new RegExp(`^${HEADER}  \\[test\\] ${outdir}/test\\.k8s\\.yaml:67:13  data-web-0: no PV can bind`) });
      assert.deepEqual(fs.readdirSync(outdir), []);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('reports what `lint` reports on the written files, at the same lines', async () => {
    const build = (lintContext: unknown, outdir: string) => {
      const chart = newChart(lintContext, outdir);
      const app = new StatefulApp(chart, 'web', { ...app1, replicas: 3 });
      app.statefulSet.addJsonPatch(JsonPatch.replace('/spec/serviceName', 'other'));
      handWrittenPv(chart, 'pv-small', '1Gi', 'data-web-0');
      return chart;
    };
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-lint-'));
    try {
      const fromSynth = synthError(build(undefined, outdir)).split('\n').slice(1);
      App.of(build(false, outdir)).synth();
      // The app is the whole set: synth lints it as `lint --complete` does.
      const report = await lintPaths([path.join(outdir, 'test.k8s.yaml')], { complete: true });
      const fromLint = report.findings
        .filter((finding) => finding.severity === 'error')
        .map((finding) => `  [test] ${finding.file}:${finding.line}:${finding.column}  ${finding.message}  ${finding.rule}`);
      assert.equal(fromLint.length, 2, `expected an sts-service and a pvc-unbound error, got ${fromLint.join('\n')}`);
      assert.deepEqual(fromSynth, fromLint);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('a standalone HeadlessService, NfsVolumePool or NfsPersistentVolume runs the lint at synth too', () => {
  it('fails synth of a chart holding a hand-written StatefulSet whose serviceName the HeadlessService does not match', () => {
    const chart = newChart();
    new HeadlessService(chart, 'svc', { name: 'db', selector: { app: 'db' }, ports: [{ name: 'db', port: 5432 }] });
    new k8s.KubeStatefulSet(chart, 'sts', {
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db-headless',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
      },
    });
    assert.match(synthError(chart), /Service "db-headless" \(spec\.serviceName\) is not among the linted files.*  sts-service$/);
  });

  it('fails synth when a claim cannot bind the PVs of a standalone pool', () => {
    const chart = newChart();
    new NfsVolumePool(chart, 'pool', {
      server: 'nfs1', pathPattern: '/v{n}',
      statefulSet: { name: 'db', namespace: 'default', replicas: 1 },
      template: { name: 'data', size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE], storageClassName: '' },
    });
    new k8s.KubePersistentVolumeClaim(chart, 'claim', {
      metadata: { name: 'data-db-0' },
      spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('2Gi') } } },
    });
    assert.match(synthError(chart), /data-db-0: no PV can bind .*too small: 1Gi < 2Gi.*  pvc-unbound$/);
  });
});

const KEYS = 'rules, defaultNamespace, ignoreMissingSchemas, failOnUnknownKinds, kubernetesVersion, failOnWarnings, defaultStorageClass, provisioningClasses, complete or config';

describe(`context "${SYNTH_LINT_CONTEXT_KEY}"`, () => {
  const brokenChart = (lintContext: unknown) => {
    const chart = newChart(lintContext);
    new StatefulApp(chart, 'web', app1);
    smallUnboundPv(chart);
    return chart;
  };

  it('false turns the synth-time lint off', () => {
    assert.equal(Testing.synth(brokenChart(false)).length, 3);
  });

  it('rules turn a rule off or down to a warning, which does not fail synth', () => {
    assert.equal(Testing.synth(brokenChart({ rules: { 'pvc-unbound': 'off' } })).length, 3);
    assert.equal(Testing.synth(brokenChart({ rules: { 'pvc-unbound': 'warning' } })).length, 3);
  });

  it('failOnWarnings fails on warnings too', () => {
    assert.match(synthError(brokenChart({ rules: { 'pvc-unbound': 'warning' }, failOnWarnings: true })), /data-web-0: no PV can bind .*  pvc-unbound$/);
  });

  it('a mistake in the setting fails synth with a message naming the key', () => {
    assert.equal(synthError(brokenChart({ rules: { 'pvc-unbond': 'off' } })).split('\n')[1].replace(/ \(known rules: .*\)$/, ''),
      `  [test] context "${SYNTH_LINT_CONTEXT_KEY}": unknown rule "pvc-unbond"`);
    assert.throws(() => readSynthLintSettings('no'), { message: `context "${SYNTH_LINT_CONTEXT_KEY}": expected a mapping with ${KEYS}` });
    assert.throws(() => readSynthLintSettings({ rules: { 'pvc-unbound': 'fatal' } }), { message: `context "${SYNTH_LINT_CONTEXT_KEY}": rules.pvc-unbound: "fatal" is not one of off, warning, error` });
    assert.throws(() => readSynthLintSettings({ strict: true }), { message: `context "${SYNTH_LINT_CONTEXT_KEY}": unknown key "strict" (expected ${KEYS})` });
  });

  it('defaultNamespace is the namespace of objects that set none', () => {
    // A claim with its namespace unset lands in apps: the PV pre-bound to apps/data-0 must serve it.
    const chart = newChart({ defaultNamespace: 'apps' });
    new k8s.KubePersistentVolumeClaim(chart, 'data-0', {
      metadata: { name: 'data-0' },
      spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('2Gi') } } },
    });
    new k8s.KubePersistentVolume(chart, 'pv-a', {
      metadata: { name: 'pv-a' },
      spec: { capacity: { storage: k8s.Quantity.fromString('1Gi') }, accessModes: ['ReadWriteOnce'], nfs: { server: 'nfs1', path: '/a' }, claimRef: { name: 'data-0', namespace: 'apps' } },
    });
    new StatefulApp(chart, 'web', { ...app1, namespace: 'apps' });
    assert.match(synthError(chart), /data-0: .*pv-a/);
  });

  it('a claim template whose PVs are elsewhere synthesizes: no PV in the app, or none meant for it', () => {
    // Issue 10: class '' with no PV in the chart, and a template without class next to another template's NFS pool.
    const alone = newChart();
    new StatefulApp(alone, 'web', app1);
    assert.equal(Testing.synth(alone).length, 2);
    const chart = newChart();
    new StatefulApp(chart, 'db', {
      containers: [{ image: 'db:1', ports: [{ name: 'db', number: 5432 }], mounts: [{ template: 'a', path: '/a' }, { template: 'b', path: '/b' }] }],
      volumeClaimTemplates: [{ name: 'a', size: Size.gibibytes(1) }, { name: 'b', size: Size.gibibytes(1), nfs: { server: 's', pathPattern: '/p{n}' } }],
    });
    assert.equal(Testing.synth(chart).length, 3);
  });
});

describe('the synth-time lint reads the settings of the cdk8s plugin in ./cdk8s.yaml', () => {
  const VALIDATION = 'validations:\n  - package: ./node_modules/cdk8s-stateful/build/lib/cdk8s-plugin.js\n    class: StatefulLintValidation\n';
  const brokenChart = (lintContext?: unknown) => {
    const chart = newChart(lintContext);
    new StatefulApp(chart, 'web', app1);
    smallUnboundPv(chart);
    return chart;
  };

  /** Runs `body` with the working directory in a scratch project holding this cdk8s.yaml (and files). */
  function inProject(cdk8sYaml: string, body: (dir: string) => void, files: Record<string, string> = {}): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-synth-settings-'));
    const cwd = process.cwd();
    try {
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), cdk8sYaml);
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
      process.chdir(dir);
      body(dir);
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a rule turned off in the plugin properties is off at synth', () => {
    inProject(`app: node main.js\n${VALIDATION}    properties:\n      rules:\n        pvc-unbound: off\n`, () => {
      assert.equal(Testing.synth(brokenChart()).length, 3);
    });
  });

  it('a rule turned off in the config file the properties name is off at synth', () => {
    inProject(`app: node main.js\n${VALIDATION}    properties:\n      config: lint.yaml\n`, () => {
      assert.equal(Testing.synth(brokenChart()).length, 3);
    }, { 'lint.yaml': 'rules:\n  pvc-unbound: off\n' });
  });

  it('the context wins over the properties, rule by rule', () => {
    inProject(`app: node main.js\n${VALIDATION}    properties:\n      rules:\n        pvc-unbound: off\n`, () => {
      assert.match(synthError(brokenChart({ rules: { 'pvc-unbound': 'error' } })), /data-web-0: no PV can bind/);
    });
  });

  it('a mistake in the properties fails synth naming cdk8s.yaml, as the plugin would', () => {
    inProject(`app: node main.js\n${VALIDATION}    properties:\n      rules:\n        pvc-unbond: off\n`, () => {
      assert.match(synthError(brokenChart()), /\[test\] cdk8s\.yaml: properties of the cdk8s-stateful validation: unknown rule "pvc-unbond"/);
    });
  });

  it('under cdk8s synth with the plugin configured, leaves the lint to the plugin (reported once, exit 2)', () => {
    inProject(`app: node main.js\n${VALIDATION}`, (dir) => {
      const env = { CDK8S_OUTDIR: 'dist', CDK8S_RECORD_CONSTRUCT_METADATA: 'true' };
      assert.equal(synthLintSettings(undefined, dir, env), undefined);
      assert.deepEqual(synthLintSettings({ failOnWarnings: true }, dir, env), { failOnWarnings: true });
      assert.deepEqual(synthLintSettings(undefined, dir, {}), {});
    });
  });
});
