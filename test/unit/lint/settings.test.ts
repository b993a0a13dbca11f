import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ConfigError, cdk8sYamlSource, checkSettings, configFileSource, resolveSettings, yamlSource,
} from '../../../lib/lint/settings';
import { ruleFlagSource } from '../../../lib/cli/settings-flags';
import { registry } from '../../../lib/rules';

const KEYS = 'rules, defaultNamespace, ignoreMissingSchemas, failOnUnknownKinds, kubernetesVersion, failOnWarnings, defaultStorageClass, provisioningClasses, complete or config';
const KNOWN = registry.rules.map((rule) => rule.id).join(', ');

function fails(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => error instanceof ConfigError && error.message === message);
}

const fromYaml = (text: string) => checkSettings(yamlSource(text, 'c.yaml'), registry);

describe('a config file', () => {
  it('reads rules (off as a string, not a YAML 1.1 boolean), namespace and flags', () => {
    const config = fromYaml(
      'rules:\n  sts-service: off\n  schema: warning\ndefaultNamespace: shop\nignoreMissingSchemas: true\nfailOnUnknownKinds: false\n',
    );
    assert.deepEqual(config, {
      rules: { 'sts-service': 'off', schema: 'warning' },
      defaultNamespace: 'shop',
      ignoreMissingSchemas: true,
      failOnUnknownKinds: false,
    });
    assert.deepEqual(fromYaml('# nothing yet\n'), {});
  });

  it('reads what is known about the cluster: default StorageClass (a name or none), provisioning classes, complete', () => {
    assert.deepEqual(fromYaml('defaultStorageClass: none\nprovisioningClasses: [gp2, smb]\ncomplete: true\n'), {
      defaultStorageClass: 'none',
      provisioningClasses: ['gp2', 'smb'],
      complete: true,
    });
    assert.throws(() => fromYaml('provisioningClasses: gp2\n'), ConfigError);
  });

  it('names the file and line of an unknown rule, key or bad value', () => {
    fails(() => fromYaml('rules:\n  sts-servce: off\n'), `c.yaml:2:3: unknown rule "sts-servce" (known rules: ${KNOWN})`);
    fails(() => fromYaml('rules:\n  schema: info\n'), 'c.yaml:2:3: rules.schema: "info" is not one of off, warning, error');
    fails(() => fromYaml('rule:\n  schema: off\n'), `c.yaml:1:1: unknown key "rule" (expected ${KEYS})`);
    fails(() => fromYaml('ignoreMissingSchemas: "yes"\n'), 'c.yaml:1:23: ignoreMissingSchemas: expected true or false');
    fails(() => fromYaml('defaultNamespace: ""\n'), 'c.yaml:1:19: defaultNamespace: expected a namespace name');
    fails(() => fromYaml('rules: [a]\n'), 'c.yaml:1:8: rules: expected a mapping of rule id to off, warning or error');
    fails(() => fromYaml('- a\n'), `c.yaml:1:1: expected a mapping with ${KEYS}`);
    fails(() => fromYaml('rules:\n  yaml-syntax: off\n'), 'c.yaml:2:3: rules.yaml-syntax: cannot be turned off: a file that does not parse is not checked at all, so it would pass; fix the YAML or leave the file out');
    fails(() => fromYaml('rules: {a: 1\n'), 'c.yaml:2:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }');
  });

  it('accepts the settings of diff rules too (one file for lint and diff)', () => {
    assert.deepEqual(fromYaml('rules:\n  immutable-field: warning\n'), { rules: { 'immutable-field': 'warning' } });
  });

  it('names a missing config file', () => {
    fails(() => configFileSource('/nonexistent/c.yaml'), '/nonexistent/c.yaml: cannot read the config file: no such file or directory');
  });
});

describe('--rule', () => {
  it('parses ID=SETTING and rejects unknown ids and settings', () => {
    assert.deepEqual(checkSettings(ruleFlagSource('schema=off'), registry), { rules: { schema: 'off' } });
    fails(() => checkSettings(ruleFlagSource('nope=off'), registry), `--rule nope=off: unknown rule "nope" (known rules: ${KNOWN})`);
    fails(() => checkSettings(ruleFlagSource('schema=loud'), registry), '--rule schema=loud: rules.schema: "loud" is not one of off, warning, error');
    fails(() => ruleFlagSource('schema'), '--rule schema: expected ID=off|warning|error');
  });
});

describe('resolveSettings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cdk8s-stateful-settings-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('merges sources in order, rule by rule, with a named config file just beneath its source', () => {
    writeFileSync(path.join(dir, 'lint.yaml'), 'rules:\n  pvc-unbound: off\n  sts-service: warning\ndefaultNamespace: from-file\n');
    const settings = resolveSettings([
      { name: 'first', value: { rules: { 'vct-mount': 'warning' }, failOnWarnings: true } },
      { name: 'second', value: { config: 'lint.yaml', rules: { 'sts-service': 'error' } } },
    ], registry, dir);
    assert.deepEqual(settings, {
      rules: { 'vct-mount': 'warning', 'pvc-unbound': 'off', 'sts-service': 'error' },
      failOnWarnings: true,
      defaultNamespace: 'from-file',
    });
  });

  it('refuses a config file that names another one', () => {
    writeFileSync(path.join(dir, 'chained.yaml'), 'config: other.yaml\n');
    fails(() => resolveSettings([{ name: 'p', value: { config: 'chained.yaml' } }], registry, dir),
      'chained.yaml:1:1: config: a config file cannot name another config file');
  });

  it("reads the properties of this package's validation in cdk8s.yaml, and nothing from other validations", () => {
    writeFileSync(path.join(dir, 'cdk8s.yaml'), [
      'app: node main.js',
      'validations:',
      '  - package: other-plugin',
      '    class: Other',
      '    properties: { rules: { nope: off } }',
      '  - package: ./node_modules/cdk8s-stateful/build/lib/cdk8s-plugin.js',
      '    class: StatefulLintValidation',
      '    properties:',
      '      rules:',
      '        pvc-unbound: off',
      '',
    ].join('\n'));
    const source = cdk8sYamlSource(dir);
    assert.deepEqual(source?.value, { rules: { 'pvc-unbound': 'off' } });
    assert.equal(cdk8sYamlSource(path.join(dir, 'nowhere')), undefined);
  });
});
