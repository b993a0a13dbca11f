/**
 * --kubernetes-version 1.28..1.33: each version's schemas (derived at build time from cdk8s-plus-NN), the served
 * apiVersions, "added in" for fields of later versions, and the setting reaching every entry point.
 *
 * Only 1.28 has an upstream oracle (../shared holds the 1.28 OpenAPI definitions; test/unit/schema/oracle.test.ts
 * checks the derived 1.28 schemas against it strictly). For 1.29–1.33 no upstream definitions are available here,
 * so their schemas are checked against their own assemblies (stale build) and by the field cases below only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { servedKinds, validateSchema, type SchemaResult } from '../../../lib/schema/validate';
import { deriveSchemas, type JsiiAssembly } from '../../../lib/schema/derive';
import { REMOVED_APIS } from '../../../lib/schema/removed-apis';
import { gvkReader, loadAssembly } from '../../../scripts/gen-schemas';
import {
  KUBERNETES_VERSIONS, STATEFULSET_SERVICE_NAME_OPTIONAL_IN_OPENAPI_SINCE, atLeast, type KubernetesVersion,
} from '../../../lib/k8s/versions';
import { readProperties } from '../../../lib/cdk8s-plugin';
import { readSynthLintSettings } from '../../../lib/constructs/validation';
import { checkSettings, yamlSource } from '../../../lib/lint/settings';
import { settingsFromFlags } from '../../../lib/cli/settings-flags';
import { lintObjects } from '../../../lib/lint/run';
import { registry } from '../../../lib/rules';

/** build/, where the compiled CLI and schemas are. */
const buildRoot = path.resolve(__dirname, '../../..');
const key = (k: { apiVersion: string; kind: string }): string => `${k.apiVersion} ${k.kind}`;
const messages = (result: SchemaResult): string[] => (result.status === 'invalid' ? result.errors.map((e) => e.message) : []);

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'db' },
  spec: { selector: { app: 'db' }, ports: [{ port: 5432 }], trafficDistribution: 'PreferClose' },
};
const appArmorPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'db-0' },
  spec: {
    containers: [{ name: 'db', image: 'postgres:16', securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }],
  },
};

test('a field added after 1.28 is an error at 1.28 that says when it was added, and valid from that version', () => {
  assert.deepEqual(messages(validateSchema(service)), [
    'spec.trafficDistribution: unknown field "trafficDistribution" ' +
      '(added in Kubernetes 1.30; this run checks 1.28: --kubernetes-version)',
  ]);
  assert.deepEqual(messages(validateSchema(service, '1.29')), [
    'spec.trafficDistribution: unknown field "trafficDistribution" ' +
      '(added in Kubernetes 1.30; this run checks 1.29: --kubernetes-version)',
  ]);
  assert.deepEqual(messages(validateSchema(appArmorPod)), [
    'spec.containers[0].securityContext.appArmorProfile: unknown field "appArmorProfile" ' +
      '(added in Kubernetes 1.30; this run checks 1.28: --kubernetes-version)',
  ]);
  for (const version of ['1.30', '1.31', '1.32', '1.33'] as const) {
    assert.deepEqual(validateSchema(service, version), { status: 'valid' }, version);
    assert.deepEqual(validateSchema(appArmorPod, version), { status: 'valid' }, version);
  }
});

test('an unknown field that no version has, or that sits elsewhere, gets no "added in"', () => {
  const typo = { ...service, spec: { ...service.spec, trafficDistribution: undefined, replicaz: 1 } };
  delete typo.spec.trafficDistribution;
  assert.deepEqual(messages(validateSchema(typo)), ['spec.replicaz: unknown field "replicaz"']);
  // trafficDistribution in the metadata is not the ServiceSpec field a later version added.
  const misplaced = { ...service, metadata: { name: 'db', trafficDistribution: 'x' }, spec: { ports: [{ port: 1 }] } };
  assert.deepEqual(messages(validateSchema(misplaced, '1.33')), ['metadata.trafficDistribution: unknown field "trafficDistribution"']);
  assert.deepEqual(messages(validateSchema(misplaced)), ['metadata.trafficDistribution: unknown field "trafficDistribution"']);
});

test('served apiVersions follow the version: flowcontrol v1beta2 goes in 1.29, v1beta3 in 1.32', () => {
  const flowSchema = (apiVersion: string) => ({ apiVersion, kind: 'FlowSchema', metadata: { name: 'f' } });
  assert.deepEqual(validateSchema(flowSchema('flowcontrol.apiserver.k8s.io/v1beta2')), { status: 'valid' });
  const gone = validateSchema(flowSchema('flowcontrol.apiserver.k8s.io/v1beta2'), '1.29');
  assert.deepEqual(gone, {
    status: 'unserved',
    path: ['apiVersion'],
    message:
      'flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema is not served by Kubernetes 1.29 (removed in 1.29): ' +
      'use flowcontrol.apiserver.k8s.io/v1 FlowSchema',
  });
  assert.notEqual(validateSchema(flowSchema('flowcontrol.apiserver.k8s.io/v1beta3'), '1.31').status, 'unserved');
  assert.equal(validateSchema(flowSchema('flowcontrol.apiserver.k8s.io/v1beta3'), '1.32').status, 'unserved');
  // 1.28 does not serve flowcontrol v1 yet: the v1beta1 removal points at what 1.28 serves.
  const old = validateSchema(flowSchema('flowcontrol.apiserver.k8s.io/v1beta1'));
  assert.equal(old.status === 'unserved' && old.message.endsWith('use flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema'), true);
});

for (const version of KUBERNETES_VERSIONS) {
  test(`${version}: the generated validators match the cdk8s-plus assembly; removed APIs are unserved, replacements served`, () => {
    const derived = deriveSchemas(loadAssembly(version), gvkReader(version)).kinds.map(key).sort();
    assert.deepEqual(servedKinds(version).map(key).sort(), derived);
    const served = new Set(derived);
    const removed = REMOVED_APIS.filter((r) => r.removedIn === undefined || atLeast(version, r.removedIn));
    assert.deepEqual(removed.filter((r) => served.has(key(r))).map(key), []);
    assert.deepEqual(removed.filter((r) => validateSchema({ apiVersion: r.apiVersion, kind: r.kind }, version).status !== 'unserved').map(key), []);
    const later = REMOVED_APIS.filter((r) => r.removedIn !== undefined && !atLeast(version, r.removedIn));
    assert.deepEqual(later.filter((r) => !served.has(key(r))).map(key), [], 'removed later, still served now');
  });
}

test('StatefulSet serviceName: required in the OpenAPI until 1.32, optional from 1.33; accepted missing by every version', () => {
  for (const version of KUBERNETES_VERSIONS) {
    const assembly: JsiiAssembly = loadAssembly(version);
    const spec = Object.values(assembly.types).find((t) => t.docs?.custom?.schema === 'io.k8s.api.apps.v1.StatefulSetSpec');
    const serviceName = (spec as { properties?: { name: string; optional?: boolean }[] } | undefined)?.properties?.find(
      (p) => p.name === 'serviceName',
    );
    assert.ok(serviceName, version);
    assert.equal(serviceName.optional === true, atLeast(version, STATEFULSET_SERVICE_NAME_OPTIONAL_IN_OPENAPI_SINCE), version);
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
      },
    };
    assert.deepEqual(validateSchema(sts, version), { status: 'valid' }, version);
  }
});

test('kubernetesVersion reaches the config file, the plugin properties, the synth context and the command line', () => {
  assert.deepEqual(checkSettings(yamlSource('kubernetesVersion: "1.31"\n', 'c.yaml'), registry), { kubernetesVersion: '1.31' });
  assert.throws(
    () => checkSettings(yamlSource('kubernetesVersion: 1.30\n', 'c.yaml'), registry),
    /c\.yaml:1:20: kubernetesVersion: expected one of 1\.28, 1\.29, 1\.30, 1\.31, 1\.32, 1\.33/,
  );
  assert.deepEqual(readProperties({ kubernetesVersion: '1.33' }), { kubernetesVersion: '1.33' });
  assert.throws(() => readProperties({ kubernetesVersion: '1.27' }), /kubernetesVersion: expected one of/);
  assert.deepEqual(readSynthLintSettings({ kubernetesVersion: '1.30' }), { kubernetesVersion: '1.30' });
  assert.equal(settingsFromFlags({ 'kubernetes-version': '1.32' }, registry).kubernetesVersion, '1.32');
  const ids = (version?: KubernetesVersion) =>
    lintObjects([service], 'svc.yaml', { registry, kubernetesVersion: version }).findings.filter((f) => f.rule === 'schema').length;
  assert.equal(ids(), 1);
  assert.equal(ids('1.30'), 0);
});

test('the CLI takes --kubernetes-version; a 1.28 run loads no other version', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-version-'));
  try {
    const file = path.join(dir, 'svc.yaml');
    fs.writeFileSync(file, JSON.stringify(service));
    const main = path.join(buildRoot, 'lib/cli/main.js');
    const run = (...args: string[]) => spawnSync(process.execPath, [main, 'lint', file, ...args], { encoding: 'utf8' });
    const at128 = run();
    assert.equal(at128.status, 1, at128.stderr);
    assert.match(at128.stdout + at128.stderr, /added in Kubernetes 1\.30; this run checks 1\.28: --kubernetes-version/);
    assert.equal(run('--kubernetes-version', '1.30').status, 0);
    const bad = run('--kubernetes-version', '1.27');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /kubernetesVersion: expected one of 1\.28/);
    const probe = `
      const { validateSchema } = require(${JSON.stringify(path.join(buildRoot, 'lib/schema/validate.js'))});
      validateSchema(${JSON.stringify(service)});
      const loaded = Object.keys(require.cache).filter((f) => /generated[\\\\/]1\\.\\d\\d[\\\\/]|cdk8s-plus-(29|3\\d)/.test(f));
      process.stdout.write(JSON.stringify(loaded));`;
    const probed = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    assert.equal(probed.status, 0, probed.stderr);
    assert.deepEqual(JSON.parse(probed.stdout), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
