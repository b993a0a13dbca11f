import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Yaml } from 'cdk8s';
import { createRegistry, defineRule } from '../../../lib/core/rule';
import { ruleCatalogue } from '../../../lib/api';
import { loadText } from '../../../lib/load/load';
import { LintInputError, RuleCrashError, lintLoaded, lintObjects, lintPaths, renderObjects } from '../../../lib/lint/run';
import { registry } from '../../../lib/rules';

const schemasBuilt = existsSync(path.resolve(__dirname, '../../../lib/schema/generated/validators.js'));
const needsSchemas = schemasBuilt ? {} : { skip: 'schemas not generated: run node build/scripts/gen-schemas.js' };

/** A rule that flags every ConfigMap whose data.flag is set, at that key. */
const flagRule = defineRule({
  id: 'test-flag',
  phase: 'object',
  severity: 'warning',
  docs: { description: 'test', remediation: 'test' },
  kinds: ['ConfigMap'],
  messages: { flagged: 'flag is {{value}}' },
  check: (manifest) => ((manifest.object.data as { flag?: string } | undefined)?.flag ? [{ messageId: 'flagged', data: { value: 'set' }, path: ['data', 'flag'] }] : []),
});

function configMap(name: string, extra = ''): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  flag: "on"\n`;
}

const onlyFlag = { registry: createRegistry([flagRule]) };
const noRules = { registry: createRegistry([]) };

describe('lintLoaded: rules', () => {
  it('runs a rule on the kinds it lists and places the finding at its path', () => {
    const report = lintLoaded(loadText(configMap('a'), 'cm.yaml'), onlyFlag);
    assert.deepEqual(report.findings, [
      {
        rule: 'test-flag',
        severity: 'warning',
        message: 'flag is set',
        file: 'cm.yaml',
        line: 6,
        column: 3,
        object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'a' },
      },
    ]);
    assert.deepEqual(report.summary, { files: 1, documents: 1, errors: 0, warnings: 1, skipped: 0 });
  });

  it('turns rules off and overrides severities, engine rules included', () => {
    const loaded = loadText(`${configMap('a')}---\nnot an object\n`, 'cm.yaml');
    assert.deepEqual(lintLoaded(loaded, { ...onlyFlag, rules: { 'test-flag': 'off' } }).findings.map((f) => f.rule), ['schema']);
    const changed = lintLoaded(loaded, { ...onlyFlag, rules: { 'test-flag': 'error', schema: 'warning' } });
    assert.deepEqual(changed.findings.map((f) => [f.rule, f.severity]), [['test-flag', 'error'], ['schema', 'warning']]);
    assert.deepEqual([changed.summary.errors, changed.summary.warnings], [1, 1]);
  });

  it('honours the ignore annotation on the object, for the listed rules only', () => {
    const ignored = configMap('a', '  annotations:\n    cdk8s-stateful.io/ignore: other-rule, test-flag\n');
    assert.deepEqual(lintLoaded(loadText(ignored, 'cm.yaml'), onlyFlag).findings, []);
    const other = configMap('a', '  annotations:\n    cdk8s-stateful.io/ignore: other-rule\n');
    assert.equal(lintLoaded(loadText(other, 'cm.yaml'), onlyFlag).findings.length, 1);
  });

  it('sorts findings by file, line and column', () => {
    const a = loadText(`${configMap('late')}---\n${configMap('early')}`, 'b.yaml');
    const b = loadText(configMap('x'), 'a.yaml');
    const merged = {
      manifests: [...a.manifests, ...b.manifests],
      findings: [],
      files: 2,
      documents: 3,
      inputs: ['b.yaml', 'a.yaml'],
    };
    const report = lintLoaded(merged, onlyFlag);
    assert.deepEqual(report.findings.map((f) => `${f.file}:${f.line}`), ['a.yaml:6', 'b.yaml:6', 'b.yaml:13']);
  });

  it('reports a crashing rule with the rule id and place', () => {
    const crashing = { ...flagRule, id: 'crashes', check: () => { throw new Error('boom'); } };
    assert.throws(
      () => lintLoaded(loadText(configMap('a'), 'cm.yaml'), { registry: createRegistry([crashing]) }),
      (error: unknown) => error instanceof RuleCrashError && error.message === 'internal error: rule crashes failed on cm.yaml:1:1: boom',
    );
  });
});

describe('lintLoaded: schema pass', needsSchemas, () => {
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicaz: 3\n';

  it('reports each schema error at its node', () => {
    const report = lintLoaded(loadText(sts, 'sts.yaml'), noRules);
    const replicaz = report.findings.find((f) => f.message.includes('replicaz'));
    assert.deepEqual(replicaz && [replicaz.rule, replicaz.line, replicaz.column], ['schema', 7, 3]);
  });

  it('reports an apiVersion that 1.28 does not serve at the apiVersion', () => {
    const report = lintLoaded(loadText('apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\n', 'pdb.yaml'), noRules);
    assert.deepEqual(report.findings.map((f) => [f.rule, f.line, f.column]), [['schema', 1, 1]]);
  });

  it('runs no rule on an object at an apiVersion 1.28 does not serve: the schema finding is all it gets', () => {
    const old = 'apiVersion: apps/v1beta1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n';
    const report = lintLoaded(loadText(old, 'old.yaml'), { registry });
    assert.deepEqual(report.findings.map((f) => [f.rule, f.line, f.column, f.message]), [
      ['schema', 1, 1, 'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28 (removed in 1.16): use apps/v1 StatefulSet'],
    ]);
  });

  it('reports each object with its effective namespace, and cluster-scoped objects with none', () => {
    const objects = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\ndata:\n  flag: "on"\n---\n' +
      configMap('b') + '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  namespace: ignored\n  labels: 7\n';
    const report = lintLoaded(loadText(objects, 'set.yaml'), { registry, defaultNamespace: 'apps' });
    assert.deepEqual(report.findings.map((f) => f.object), [
      { apiVersion: 'v1', kind: 'Namespace', name: 'a' },
    ]);
    const flagged = lintLoaded(loadText(objects, 'set.yaml'), { ...onlyFlag, defaultNamespace: 'apps' });
    assert.deepEqual(flagged.findings.filter((f) => f.rule === 'test-flag').map((f) => f.object), [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'b' },
    ]);
  });

  it('reports a missing kind as a schema error', () => {
    const report = lintLoaded(loadText('apiVersion: v1\nmetadata:\n  name: x\n', 'x.yaml'), noRules);
    assert.deepEqual(report.findings.map((f) => [f.rule, f.line, f.message]), [['schema', 1, 'kind: Required value']]);
  });

  it('skips unknown kinds with one note per kind, or fails on them, or stays silent', () => {
    const crs = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: b\n';
    const loaded = loadText(crs, 'cr.yaml');
    const skipped = lintLoaded(loaded, noRules);
    assert.deepEqual(skipped.findings, []);
    assert.equal(skipped.summary.skipped, 2);
    assert.deepEqual(skipped.summary.notes, ['example.com/v1 Widget is not a built-in Kubernetes 1.28 kind (a custom resource?): not validated (2 objects)']);

    const failed = lintLoaded(loaded, { ...noRules, failOnUnknownKinds: true });
    assert.deepEqual(failed.findings.map((f) => [f.rule, f.severity, f.line, f.column]), [['schema', 'error', 2, 1], ['schema', 'error', 7, 1]]);
    assert.match(failed.findings[0].message, /--fail-on-unknown-kinds\)$/);

    const silent = lintLoaded(loaded, { ...noRules, ignoreMissingSchemas: true });
    assert.deepEqual([silent.findings, silent.summary.notes, silent.summary.skipped], [[], undefined, 2]);
  });

  it('notes API versions a 1.28 API server serves only when enabled (alpha, and admissionregistration v1beta1)', () => {
    const text =
      'apiVersion: admissionregistration.k8s.io/v1beta1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: p\n' +
      'spec:\n  validations:\n    - expression: "true"\n---\n' +
      'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n';
    const report = lintLoaded(loadText(text, 'p.yaml'), noRules);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.summary.notes, [
      'admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy is served by Kubernetes 1.28 only when the API ' +
        'server enables it (--runtime-config=admissionregistration.k8s.io/v1beta1=true)',
    ]);
  });
});

describe('lintObjects', needsSchemas, () => {
  const objects = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { flag: 'yes' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { other: '0777', when: '12:30' } },
  ];

  it('renders objects exactly as cdk8s synth writes them', () => {
    assert.equal(renderObjects(objects), Yaml.stringify(...objects));
  });

  it('lints the rendering, so strings that YAML 1.1 would misread stay strings and positions match the file', () => {
    const report = lintObjects(objects, 'dist/chart.k8s.yaml', onlyFlag);
    assert.deepEqual(report.findings.map((f) => [f.file, f.line, f.column, f.rule]), [['dist/chart.k8s.yaml', 6, 3, 'test-flag']]);
    assert.deepEqual([report.summary.files, report.summary.documents], [1, 2]);
  });
});

describe('lintPaths', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cdk8s-stateful-run-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('throws LintInputError naming unreadable paths', async () => {
    const missing = path.join(scratch, 'nope.yaml');
    await assert.rejects(lintPaths([missing], { registry }), (error: unknown) =>
      error instanceof LintInputError && error.message === `${missing}: no such file or directory`);
  });

  it('lints files and lists every input', async () => {
    const file = path.join(scratch, 'cm.yaml');
    writeFileSync(file, configMap('a'));
    const report = await lintPaths([file], onlyFlag);
    assert.deepEqual([report.inputs, report.findings.map((f) => f.line)], [[file], [6]]);
  });
});

describe('ruleCatalogue', () => {
  it('lists the engine rules, then every rule of lib/rules, each with description and remediation', () => {
    const catalogue = ruleCatalogue();
    assert.deepEqual(catalogue.map((r) => r.id), registry.rules.map((r) => r.id));
    assert.equal(new Set(catalogue.map((r) => r.id)).size, catalogue.length, 'ids are unique');
    for (const rule of catalogue) {
      assert.ok(rule.description.length > 10 && rule.remediation.length > 10, rule.id);
    }
  });
});
