/**
 * The package's public surface (lib/index.ts) is what a user needs: constructs, the lint and diff entry points,
 * report formatting, the plugin and types. Engine internals are not API: they may change without notice.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as api from '../../../lib';

const INTERNALS = [
  'DEFAULTS', 'normalize', 'groupOf', 'isBuiltinKind', 'pairObjects', 'diffFields', 'diffManifests', 'buildContext',
  'lintLoaded', 'renderObjects', 'allRules', 'registry', 'createRegistry', 'ENGINE_RULES', 'DIFF_CHECKS', 'DIFF_RULES',
  'matchClaim', 'simulateBinding', 'parseQuantity', 'checkSettings', 'resolveSettings', 'parseConfig', 'loadConfig',
  'parseRuleOption', 'lintChartAtSynth', 'synthLintErrors', 'synthLintSettings', 'readSynthLintSettings', 'runCli',
  'readProperties', 'toViolation', 'isSuppressed', 'ignoredRules', 'loadAtRevision',
];

test('lib/index.ts exports the entry points a user needs', () => {
  for (const name of [
    'StatefulApp', 'HeadlessService', 'NfsPersistentVolume', 'NfsVolumePool', 'SYNTH_LINT_CONTEXT_KEY',
    'lintPaths', 'lintObjects', 'lintManifests', 'loadText', 'diffPaths', 'diffTexts', 'diffGitBase', 'ruleCatalogue',
    'formatReport', 'REPORT_FORMATS', 'StatefulLintValidation', 'LintInputError', 'DiffInputError', 'ConfigError',
  ]) {
    assert.ok(name in api, `${name} is missing from the public API`);
  }
});

test('lib/index.ts does not export engine internals', () => {
  assert.deepEqual(INTERNALS.filter((name) => name in api), []);
});

test('the public entry points run with the tools\' own rules, no registry to pass', () => {
  const report = api.lintManifests(api.loadText('apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\n  namespace: x\n', 'pv.yaml').manifests);
  assert.ok(report.findings.some((f) => f.rule === 'pv-namespace'));
  const diff = api.diffTexts('', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
  assert.equal(diff.summary.added, 1);
});
