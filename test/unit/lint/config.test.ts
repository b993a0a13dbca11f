import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, parseConfig, parseRuleOption } from '../../../lib/lint/config';

const known = ['yaml-syntax', 'schema', 'sts-service'];

function fails(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => error instanceof ConfigError && error.message === message);
}

describe('parseConfig', () => {
  it('reads rules (off as a string, not a YAML 1.1 boolean), namespace and flags', () => {
    const config = parseConfig(
      'rules:\n  sts-service: off\n  schema: warning\ndefaultNamespace: shop\nignoreMissingSchemas: true\nfailOnUnknownKinds: false\n',
      'c.yaml',
      known,
    );
    assert.deepEqual(config, {
      rules: { 'sts-service': 'off', schema: 'warning' },
      defaultNamespace: 'shop',
      ignoreMissingSchemas: true,
      failOnUnknownKinds: false,
    });
    assert.deepEqual(parseConfig('# nothing yet\n', 'c.yaml', known), {});
  });

  it('reads the cluster profile: default StorageClass (a name or none), provisioning classes, complete', () => {
    assert.deepEqual(parseConfig('defaultStorageClass: standard\nprovisioningClasses: [gp2, smb]\ncomplete: true\n', 'c.yaml', known), {
      cluster: { defaultStorageClass: 'standard', provisioningClasses: ['gp2', 'smb'] },
      complete: true,
    });
    assert.deepEqual(parseConfig('defaultStorageClass: none\n', 'c.yaml', known), { cluster: { defaultStorageClass: null } });
    fails(() => parseConfig('provisioningClasses: gp2\n', 'c.yaml', known), 'c.yaml:1:22: provisioningClasses: expected a list of StorageClass names');
    fails(() => parseConfig('defaultStorageClass: ""\n', 'c.yaml', known), "c.yaml:1:22: defaultStorageClass: expected the name of the cluster's default StorageClass, or none");
  });

  it('names the file and line of an unknown rule, key or bad value', () => {
    fails(() => parseConfig('rules:\n  sts-servce: off\n', 'c.yaml', known), 'c.yaml:2:3: unknown rule "sts-servce" (known rules: yaml-syntax, schema, sts-service)');
    fails(() => parseConfig('rules:\n  schema: info\n', 'c.yaml', known), 'c.yaml:2:3: rules.schema: "info" is not one of off, warning, error');
    fails(() => parseConfig('rule:\n  schema: off\n', 'c.yaml', known), 'c.yaml:1:1: unknown key "rule" (expected rules, defaultNamespace, ignoreMissingSchemas, failOnUnknownKinds, defaultStorageClass, provisioningClasses or complete)');
    fails(() => parseConfig('ignoreMissingSchemas: "yes"\n', 'c.yaml', known), 'c.yaml:1:23: ignoreMissingSchemas: expected true or false');
    fails(() => parseConfig('- a\n', 'c.yaml', known), 'c.yaml:1:1: expected a mapping with rules, defaultNamespace, ignoreMissingSchemas, failOnUnknownKinds, defaultStorageClass, provisioningClasses or complete');
  });

  it('names a missing config file', async () => {
    await assert.rejects(loadConfig('/nonexistent/c.yaml', known), (error: unknown) =>
      error instanceof ConfigError && error.message === '/nonexistent/c.yaml: cannot read the config file: no such file or directory');
  });
});

describe('parseRuleOption', () => {
  it('parses ID=SETTING and rejects unknown ids and settings', () => {
    assert.deepEqual(parseRuleOption('schema=off', known), ['schema', 'off']);
    fails(() => parseRuleOption('nope=off', known), '--rule nope=off: unknown rule "nope" (known rules: yaml-syntax, schema, sts-service)');
    fails(() => parseRuleOption('schema=loud', known), '--rule schema=loud: "loud" is not one of off, warning, error');
    fails(() => parseRuleOption('schema', known), '--rule schema: expected ID=off|warning|error');
  });
});
