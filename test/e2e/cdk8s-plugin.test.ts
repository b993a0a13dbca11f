/**
 * `cdk8s synth` (the real cdk8s-cli) running the linter as a validation plugin, set up the way a user's repository
 * does it: the package installed under node_modules/cdk8s-stateful (here a symlink to this checkout) and a
 * `validations:` entry in cdk8s.yaml whose `package:` is a `./` path, which cdk8s-cli resolves against the directory
 * synth runs in.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { PluginContext, StatefulLintValidation, Violation } from '../../lib/cdk8s-plugin';
import { ruleCatalogue } from '../../lib/api';

const repoRoot = path.resolve(__dirname, '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/plugin');
const cdk8s = path.join(repoRoot, 'node_modules/cdk8s-cli/bin/cdk8s');

const STS_SERVICE_MESSAGE =
  'Service "db-headless" (spec.serviceName) is not among the linted files, but headless Service "db" selects these ' +
  'pods: did you mean serviceName: db? Without a Service named "db-headless", ' +
  'db-0.db-headless.default.svc.cluster.local will not resolve';

const VALIDATION = `validations:
  - package: ./node_modules/cdk8s-stateful/build/lib/cdk8s-plugin.js
    version: 0.1.0
    class: StatefulLintValidation
`;

let workDir: string;

before(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-plugin-'));
});
after(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** A cdk8s project whose app writes `manifest` (a fixture) as dist/db.k8s.yaml, or runs `appSource`. */
function project(name: string, options: { manifest?: string; appSource?: string; validations?: string }): string {
  const dir = path.join(workDir, name);
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/cdk8s-stateful'), 'dir');
  const appSource =
    options.appSource ??
    `const fs = require('fs');\nconst path = require('path');\n` +
      `fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });\n` +
      `fs.copyFileSync(${JSON.stringify(options.manifest)}, path.join(process.env.CDK8S_OUTDIR, 'db.k8s.yaml'));\n`;
  fs.writeFileSync(path.join(dir, 'app.js'), appSource);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `app: node app.js\noutput: dist\n${options.validations ?? VALIDATION}`);
  return dir;
}

function synth(dir: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cdk8s, 'synth', '--no-check-upgrade'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', FORCE_COLOR: '0' },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const remediation = (rule: string): string => ruleCatalogue().find((r) => r.id === rule)!.remediation;

describe('cdk8s synth with the cdk8s-stateful validation plugin', { timeout: 300_000 }, () => {
  test('a StatefulSet whose serviceName names no Service fails synth with exit 2 and the linter message', () => {
    const result = synth(project('broken', { manifest: path.join(fixtures, 'broken/db.yaml') }));
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.ok(result.stdout.includes('sts-service (1 occurrences)'), result.stdout);
    assert.ok(result.stdout.includes(`  Recommendation: StatefulSet "db": ${STS_SERVICE_MESSAGE}\n`), result.stdout);
    assert.ok(result.stdout.includes(`  How to fix: ${remediation('sts-service')}`), result.stdout);
    assert.ok(result.stdout.includes('    - Manifest Path: dist/db.k8s.yaml\n    - Resource Name: db\n'), result.stdout);
    assert.ok(result.stdout.includes('    - Locations:\n      > dist/db.k8s.yaml:18:3\n'), result.stdout);
    assert.match(result.stderr, /^Validation failed\. See above reports for details$/m);
  });

  test('the fixed manifests pass and synth exits 0', () => {
    const result = synth(project('clean', { manifest: path.join(fixtures, 'clean/db.yaml') }));
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /║ Status +│ success +║/);
    assert.match(result.stdout, /║ errors +│ 0 +║/);
    assert.match(result.stdout, /^Validations ended succesfully$/m);
  });

  test('properties from cdk8s.yaml reach the engine: a rule turned off no longer fails synth', () => {
    const validations = `${VALIDATION}    properties:\n      rules:\n        sts-service: off\n`;
    const result = synth(project('rule-off', { manifest: path.join(fixtures, 'broken/db.yaml'), validations }));
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.ok(!result.stdout.includes('sts-service'), result.stdout);
  });

  test('a misspelt rule id in the properties stops synth with a message naming it', () => {
    const validations = `${VALIDATION}    properties:\n      rules:\n        sts-servce: warning\n`;
    const result = synth(project('bad-property', { manifest: path.join(fixtures, 'clean/db.yaml'), validations }));
    assert.equal(result.status, 1, result.stdout + result.stderr);
    const known = ruleCatalogue().map((rule) => rule.id).join(', ');
    assert.ok(
      result.stderr.includes(
        `ConfigError: cdk8s.yaml: properties of the cdk8s-stateful validation: unknown rule "sts-servce" (known rules: ${known})`,
      ),
      result.stderr,
    );
  });

  test('a real cdk8s app: the violation names the construct path of the offending object', () => {
    // cdk8s-cli finds construct paths by metadata.name alone, so the StatefulSet gets a name no other object has.
    const [service, statefulSet] = parseAllDocuments(fs.readFileSync(path.join(fixtures, 'broken/db.yaml'), 'utf8')).map((doc) =>
      doc.toJS(),
    );
    statefulSet.metadata.name = 'postgres';
    const appSource = `
const { App, Chart, ApiObject } = require(${JSON.stringify(path.join(repoRoot, 'node_modules/cdk8s'))});
const app = new App();
const chart = new Chart(app, 'db');
const [service, statefulSet] = ${JSON.stringify([service, statefulSet])};
new ApiObject(chart, 'service', service);
new ApiObject(chart, 'statefulset', statefulSet);
app.synth();
`;
    const result = synth(project('cdk8s-app', { appSource }));
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.ok(
      result.stdout.includes(
        '    - Construct Path: db/statefulset\n    - Manifest Path: dist/db.k8s.yaml\n    - Resource Name: postgres\n',
      ),
      result.stdout,
    );
    assert.ok(result.stdout.includes('sts-service (1 occurrences)'), result.stdout);
  });

  /** A StatefulApp whose claim template (storageClassName '') no PV can bind: a pvc-unbound error at synth. */
  const statefulAppSource = `
const { App, Chart, Size } = require(${JSON.stringify(path.join(repoRoot, 'node_modules/cdk8s'))});
const { StatefulApp } = require('cdk8s-stateful');
const app = new App();
const chart = new Chart(app, 'db');
new StatefulApp(chart, 'web', {
  containers: [{ image: 'nginx:1.25', ports: [{ name: 'web', number: 80 }], mounts: [{ template: 'data', path: '/data' }] }],
  volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(2), storageClassName: '' }],
});
app.synth();
`;

  test('a rule turned off in cdk8s.yaml is off in a StatefulApp\'s synth-time lint too', () => {
    const validations = `${VALIDATION}    properties:\n      rules:\n        pvc-unbound: off\n`;
    const result = synth(project('statefulapp-rule-off', { appSource: statefulAppSource, validations }));
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.ok(!result.stdout.includes('pvc-unbound'), result.stdout);
  });

  test('a StatefulApp\'s error under cdk8s synth is reported once, by the plugin: exit 2, no stack trace', () => {
    const result = synth(project('statefulapp-error', { appSource: statefulAppSource }));
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.ok(result.stdout.includes('pvc-unbound (1 occurrences)'), result.stdout);
    assert.doesNotMatch(result.stderr, /^\s+at /m, result.stderr);
  });
});

/** A stand-in for cdk8s-cli's ValidationContext that records what the plugin reports. */
function recordingContext(manifests: readonly string[]) {
  const violations: Violation[] = [];
  const submitted: { status?: string; metadata?: { readonly [key: string]: string } } = {};
  const context: PluginContext = {
    manifests,
    report: {
      addViolation: (violation) => violations.push(violation),
      submit: (status, metadata) => Object.assign(submitted, { status, metadata }),
    },
  };
  return { context, violations, submitted };
}

describe('StatefulLintValidation in process', () => {
  const broken = path.relative(process.cwd(), path.join(fixtures, 'broken/db.yaml'));

  test('a rule set to warning is reported with its severity and does not fail the report', async () => {
    const { context, violations, submitted } = recordingContext([broken]);
    await new StatefulLintValidation({ rules: { 'sts-service': 'warning' } }).validate(context);
    assert.deepEqual(violations, [
      {
        ruleName: 'sts-service (warning)',
        recommendation: `StatefulSet "db": ${STS_SERVICE_MESSAGE}`,
        fix: remediation('sts-service'),
        violatingResources: [{ resourceName: 'db', locations: [`${broken}:18:3`], manifestPath: broken }],
      },
    ]);
    assert.deepEqual(submitted, { status: 'success', metadata: { documents: '2', errors: '0', warnings: '1' } });
  });

  test('failOnWarnings makes a warning fail the report', async () => {
    const { context, submitted } = recordingContext([broken]);
    await new StatefulLintValidation({ rules: { 'sts-service': 'warning' }, failOnWarnings: true }).validate(context);
    assert.equal(submitted.status, 'failure');
  });

  test('a manifest that cannot be read is one failing violation naming the file, not an exception', async () => {
    const missing = path.join(workDir, 'missing.k8s.yaml');
    const { context, violations, submitted } = recordingContext([missing]);
    await new StatefulLintValidation().validate(context);
    assert.equal(submitted.status, 'failure');
    assert.equal(violations.length, 1);
    assert.equal(violations[0].ruleName, 'cdk8s-stateful');
    assert.equal(violations[0].recommendation, `${missing}: no such file or directory`);
  });

  test('properties are checked when cdk8s-cli constructs the plugin', () => {
    const prefix = 'cdk8s.yaml: properties of the cdk8s-stateful validation: ';
    assert.throws(() => new StatefulLintValidation({ rules: { 'sts-service': 'fatal' } }), {
      name: 'ConfigError',
      message: `${prefix}rules.sts-service: "fatal" is not one of off, warning, error`,
    });
    assert.throws(() => new StatefulLintValidation({ namespace: 'apps' }), {
      message: `${prefix}unknown key "namespace" (expected rules, defaultNamespace, ignoreMissingSchemas, failOnUnknownKinds, kubernetesVersion, failOnWarnings, defaultStorageClass, provisioningClasses, complete or config)`,
    });
    assert.throws(() => new StatefulLintValidation({ failOnWarnings: 'yes' }), {
      message: `${prefix}failOnWarnings: expected true or false`,
    });
  });
});
