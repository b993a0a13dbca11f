/**
 * `--jobs`: a run with worker threads (which parse files and run the schema pass on their documents, see
 * lib/load/parallel.ts) reports exactly what a run on the main thread reports, in the same order, on files with
 * schema errors, files only the `yaml` path reads, files that are no text and files that cannot be read.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lintLoaded, loadForLint, type LintPathsOptions } from '../../../lib/lint/run';
import { registry } from '../../../lib/rules';
import { validateSchema } from '../../../lib/schema/validate';
import { generateCorpus } from '../../bench/corpus';

/** Documents whose schema messages quote the token the user wrote, or whose values JSON cannot carry as written. */
const HAND_WRITTEN: Record<string, string> = {
  'tokens.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: tokens
spec:
  serviceName: tokens
  replicas: 3.0
  minReadySeconds: -0.0
  selector:
    matchLabels: {app: tokens}
  template:
    metadata:
      labels: {app: tokens}
    spec:
      containers:
        - name: main
          image: busybox
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: numbers
data:
  mode: 0644
  debug: yes
  __proto__: data
`,
  'old-api.yaml': `apiVersion: apps/v1beta1
kind: StatefulSet
metadata:
  name: old
spec:
  serviceName: old
  template:
    spec:
      containers: [{name: main, image: busybox}]
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: custom
---
apiVersion: storage.k8s.io/v1alpha1
kind: VolumeAttributesClass
metadata:
  name: alpha
driverName: example.com/csi
`,
  'binary.yaml': 'apiVersion: v1\0kind: ConfigMap\n',
  // The second document has an anchor: only the `yaml` path reads it, on the main thread, between the others.
  'anchors.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: first
data:
  port: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: anchored
  labels: &labels {app: anchored}
  annotations: *labels
data:
  enabled: true
---
apiVersion: v1
kind: Service
metadata:
  name: Third_Service
spec:
  ports: [{port: 80}]
`,
};

describe('a run reports the same whatever --jobs says', () => {
  let dir: string;
  let paths: string[];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobs-'));
    const corpus = generateCorpus({ dir, documents: 300, files: 30, seed: 11, brokenShare: 0.5 });
    for (const defect of ['duplicate-key', 'unknown-field', 'bad-quantity'] as const) {
      assert.ok(corpus.defects.has(defect), `the corpus has a ${defect} file`);
    }
    for (const [name, text] of Object.entries(HAND_WRITTEN)) fs.writeFileSync(path.join(dir, name), text);
    paths = [dir, path.join(dir, 'missing.yaml')];
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = async (jobs: number, extra: Partial<LintPathsOptions> = {}) => {
    const loaded = await loadForLint(paths, { registry, jobs, ...extra });
    return { loaded, report: lintLoaded(loaded, { registry, ...extra }) };
  };

  it('prints the same findings, in the same order, with 1, 2 and 3 threads', async () => {
    const single = await run(1);
    assert.equal(single.loaded.checks, undefined, 'one thread checks in the schema pass');
    const messages = single.report.findings.map((f) => f.message).join('\n');
    for (const expected of ['data.enabled: Invalid value: true', 'Third_Service', 'data.port: Invalid value: 8080', 'unknown field "replicaz"', 'a float where the API has an integer', 'the unquoted `yes`', 'the unquoted `0644`', 'not a text file', 'quantities must match']) {
      assert.ok(messages.includes(expected), `the corpus yields "${expected}"`);
    }
    assert.ok(single.report.summary.notes?.some((note) => note.includes('Widget')));
    for (const jobs of [2, 3]) {
      const threaded = await run(jobs);
      assert.deepEqual(threaded.loaded.errors, single.loaded.errors);
      assert.deepEqual(threaded.loaded.manifests.map((m) => [m.file, m.docIndex, m.object]), single.loaded.manifests.map((m) => [m.file, m.docIndex, m.object]));
      assert.equal(threaded.loaded.errors.length, 1);
      assert.deepEqual(threaded.report, single.report);
      assert.equal(JSON.stringify(threaded.report), JSON.stringify(single.report));
    }
  });

  it('checks every document while loading when there are threads, as the schema pass would', async () => {
    const { loaded } = await run(2);
    assert.equal(loaded.checks?.results.size, loaded.manifests.length);
    for (const manifest of loaded.manifests) {
      assert.deepEqual(loaded.checks.results.get(manifest), validateSchema(manifest.object), `${manifest.file} #${manifest.docIndex}`);
    }
    const values = loaded.manifests.find((m) => m.object.metadata?.name === 'tokens')!.object as { spec: { minReadySeconds: number } };
    assert.ok(Object.is(values.spec.minReadySeconds, -0), 'a -0 crosses from the thread as -0');
    const data = loaded.manifests.find((m) => m.object.metadata?.name === 'numbers')!.object.data as Record<string, unknown>;
    assert.ok(Object.hasOwn(data, '__proto__') && data.__proto__ === 'data', 'a __proto__ key crosses as an own field');
  });

  it('does not reuse the threads\' checks for another Kubernetes version or with the schema rule off', async () => {
    const loaded = await loadForLint(paths, { registry, jobs: 2 });
    for (const options of [{ kubernetesVersion: '1.33' as const }, { rules: { schema: 'off' as const } }]) {
      const single = await run(1, options);
      assert.deepEqual(lintLoaded(loaded, { registry, ...options }), single.report);
    }
    const off = await run(2, { rules: { schema: 'off' } });
    assert.equal(off.loaded.checks, undefined);
  });
});
