/** `cdk8s-stateful diff` as a user runs it: the built executable, its output and exit codes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'build/lib/cli/main.js');
const FIXTURES = 'test/fixtures/diff';

function run(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MAIN, 'diff', ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const pair = (name: string): string[] => [`${FIXTURES}/${name}/old.yaml`, `${FIXTURES}/${name}/new.yaml`];

describe('cdk8s-stateful diff (CLI)', { skip: fs.existsSync(MAIN) ? false : 'build/lib/cli/main.js is not built' }, () => {
  it('exits 1 on a change the API server refuses, printing path:line:col, severity, message and rule', () => {
    const { code, stdout, stderr } = run(pair('pod-management-policy-changed'));
    assert.equal(code, 1);
    assert.equal(stderr, '');
    assert.equal(stdout,
      `${FIXTURES}/pod-management-policy-changed/new.yaml:8:3  error  spec.podManagementPolicy: OrderedReady → ` +
      'Parallel: StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other ' +
      "than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and " +
      "'minReadySeconds' are forbidden. To apply it, delete the StatefulSet but not its pods (kubectl delete " +
      'statefulset web -n shop --cascade=orphan), then re-apply  immutable-field\n' +
      '✖ 1 problem (1 error, 0 warnings) in 1 object in 2 revisions: 0 added, 0 removed, 1 changed, 0 unchanged\n');
  });

  it('exits 0 on warnings only, and on a change that only spells out defaults', () => {
    assert.equal(run(pair('scale-down-3-to-1')).code, 0);
    const clean = run(pair('defaults-spelled-out-ok'));
    assert.equal(clean.code, 0);
    assert.equal(clean.stdout, '✔ no problems in 1 object in 2 revisions: 0 added, 0 removed, 0 changed, 1 unchanged\n');
  });

  it('prints the JSON shape with object counts in the summary', () => {
    const { code, stdout } = run(['--format', 'json', ...pair('removed-pv-retain')]);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.findings.map((f: { rule: string; line: number }) => [f.rule, f.line]), [['removed-pv-retains-data', 21]]);
    assert.deepEqual(report.findings[0].object, { apiVersion: 'v1', kind: 'PersistentVolume', name: 'pv002' });
    const { added, removed, changed, unchanged, errors, warnings } = report.summary;
    assert.deepEqual({ added, removed, changed, unchanged, errors, warnings },
      { added: 0, removed: 1, changed: 0, unchanged: 1, errors: 0, warnings: 1 });
  });

  it('takes --rule and --config like lint: a rule turned off or down to a warning no longer fails', () => {
    const refused = pair('pod-management-policy-changed');
    assert.deepEqual(run(['--rule', 'immutable-field=off', ...refused]).stdout,
      '✔ no problems in 1 object in 2 revisions: 0 added, 0 removed, 1 changed, 0 unchanged\n');
    const warned = run(['--rule', 'immutable-field=warning', ...refused]);
    assert.deepEqual([warned.code, /  warning  spec\.podManagementPolicy/.test(warned.stdout)], [0, true]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-diff-config-'));
    try {
      const config = path.join(dir, 'lint.yaml');
      fs.writeFileSync(config, 'rules:\n  scale-down-retains-claims: error\n');
      assert.equal(run(['--config', config, ...pair('scale-down-3-to-1')]).code, 1);
      fs.writeFileSync(config, 'failOnWarnings: true\n');
      const strict = run(['--config', config, ...pair('scale-down-3-to-1')]);
      assert.deepEqual([strict.code, strict.stderr], [1, 'cdk8s-stateful: 1 warning, and failOnWarnings is set\n']);
      fs.writeFileSync(config, 'rules:\n  immutable-feld: off\n');
      const typo = run(['--config', config, ...refused]);
      assert.equal(typo.code, 2);
      assert.match(typo.stderr, new RegExp(`^cdk8s-stateful: ${config}:2:3: unknown rule "immutable-feld" \\(known rules: `));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 naming the path it cannot read, without a stack trace', () => {
    const { code, stdout, stderr } = run([`${FIXTURES}/no-such-dir`, `${FIXTURES}/pvc-shrink/new.yaml`]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, `cdk8s-stateful: diff: ${FIXTURES}/no-such-dir: no such file or directory\n`);
  });

  it('exits 2 on bad usage', () => {
    assert.deepEqual(run([`${FIXTURES}/pvc-shrink/old.yaml`]), {
      code: 2, stdout: '', stderr: 'cdk8s-stateful: diff: expected OLD and NEW, got 1 path (see cdk8s-stateful diff --help)\n',
    });
    assert.equal(run(['--format', 'xml', ...pair('pvc-shrink')]).stderr,
      'cdk8s-stateful: diff: unknown format "xml" (expected text, json, sarif, junit, github)\n');
    assert.equal(run(['--git-base', 'HEAD']).code, 2);
  });

  it('compares with a git revision (--git-base) and exits 2 outside a repository', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-cli-'));
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
      const outside = run(['--git-base', 'HEAD', '.'], repo);
      assert.equal(outside.code, 2);
      assert.equal(outside.stderr,
        `cdk8s-stateful: diff: ${repo}: not inside a git repository; --git-base compares PATH with its committed version\n`);
      git('init', '-q');
      git('config', 'user.email', 'test@example.com');
      git('config', 'user.name', 'test');
      fs.mkdirSync(path.join(repo, 'dist'));
      fs.copyFileSync(path.join(ROOT, FIXTURES, 'pvc-shrink/old.yaml'), path.join(repo, 'dist/pvc.yaml'));
      git('add', '.');
      git('commit', '-q', '-m', 'base');
      fs.copyFileSync(path.join(ROOT, FIXTURES, 'pvc-shrink/new.yaml'), path.join(repo, 'dist/pvc.yaml'));
      const { code, stdout } = run(['--git-base', 'HEAD', '-f', 'github', 'dist/'], repo);
      assert.equal(code, 1);
      assert.match(stdout, /^::error file=dist\/pvc\.yaml,line=11,col=7,title=immutable-field::spec\.resources\.requests\.storage: 10Gi → 5Gi: /);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
