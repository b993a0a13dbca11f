/** `--git-base REF PATH...` on a scratch repository made in a temporary directory. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffGitBase } from '../../lib/api';
import { notesOf } from '../../lib/report/summary';
import { formatReport } from '../../lib/report';
import { runCli } from '../../lib/cli/run-cli';
import { Readable } from 'node:stream';
import { DiffInputError } from '../../lib/diff';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/diff');

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('diffGitBase', { skip: hasGit() ? false : 'git is not installed' }, () => {
  let repo = '';
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString();

  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-diff-'));
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    fs.mkdirSync(path.join(repo, 'dist'));
    fs.copyFileSync(path.join(FIXTURES, 'vct-storage-grown/old.yaml'), path.join(repo, 'dist/app.k8s.yaml'));
    fs.copyFileSync(path.join(FIXTURES, 'removed-pv-retain/old.yaml'), path.join(repo, 'dist/pvs.yml'));
    fs.copyFileSync(path.join(FIXTURES, 'headless-to-clusterip/old.yaml'), path.join(repo, 'dist/svc.yaml'));
    fs.writeFileSync(path.join(repo, 'dist/README.md'), 'not yaml\n');
    fs.mkdirSync(path.join(repo, 'dist/.cache'));
    fs.writeFileSync(path.join(repo, 'dist/.cache/old.yaml'), 'not: [a kubernetes object\n');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    git('tag', 'base');
    // The working tree: the claim template grows and a PV goes away.
    fs.copyFileSync(path.join(FIXTURES, 'vct-storage-grown/new.yaml'), path.join(repo, 'dist/app.k8s.yaml'));
    fs.copyFileSync(path.join(FIXTURES, 'removed-pv-retain/new.yaml'), path.join(repo, 'dist/pvs.yml'));
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('compares PATH as committed at REF with the working tree; OLD findings carry the path and the revision', async () => {
    const report = await diffGitBase('base', ['dist'], { cwd: repo });
    assert.deepEqual(report.findings.map((f) => [f.file, f.line, f.severity, f.rule, f.revision]), [
      [path.join(repo, 'dist/app.k8s.yaml'), 30, 'error', 'immutable-field', undefined],
      [path.join(repo, 'dist/pvs.yml'), 21, 'warning', 'removed-pv-retains-data', 'base'],
    ]);
    assert.deepEqual(notesOf(report), [`removed PersistentVolume pv002 (base:${path.join(repo, 'dist/pvs.yml')}:17)`]);
    // Only YAML, and not in hidden directories: as the loader walks the working tree.
    assert.deepEqual(report.inputs, [
      ...['app.k8s.yaml', 'pvs.yml', 'svc.yaml'].map((file) => `base:${path.join(repo, 'dist', file)}`),
      ...['app.k8s.yaml', 'pvs.yml', 'svc.yaml'].map((file) => path.join(repo, 'dist', file)),
    ]);
  });

  it('reads PATH relative to the working directory, also from a subdirectory', async () => {
    const report = await diffGitBase('base', ['app.k8s.yaml'], { cwd: path.join(repo, 'dist') });
    assert.deepEqual(report.findings.map((f) => [f.line, f.rule]), [[30, 'immutable-field']]);
  });

  it('finds PATH when the working directory is reached through a symlink', async () => {
    const link = `${repo}-link`;
    fs.symlinkSync(repo, link);
    try {
      const report = await diffGitBase('base', ['dist/app.k8s.yaml'], { cwd: link });
      assert.deepEqual(report.findings.map((f) => [f.line, f.rule]), [[30, 'immutable-field']]);
    } finally {
      fs.unlinkSync(link);
    }
  });

  it('finds the repository from PATH, not from the working directory', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-nogit-'));
    try {
      const report = await diffGitBase('base', [path.join(repo, 'dist')], { cwd: outside });
      assert.deepEqual(report.findings.map((f) => [f.file, f.line, f.rule, f.revision]), [
        [path.join(repo, 'dist/app.k8s.yaml'), 30, 'immutable-field', undefined],
        [path.join(repo, 'dist/pvs.yml'), 21, 'removed-pv-retains-data', 'base'],
      ]);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('is clean for a PATH that did not change since REF', async () => {
    const report = await diffGitBase('base', ['dist/svc.yaml'], { cwd: repo });
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.inputs, [`base:${path.join(repo, 'dist/svc.yaml')}`, path.join(repo, 'dist/svc.yaml')]);
    assert.equal(report.summary.unchanged, 1);
  });

  it('refuses an unknown revision with a message naming it', async () => {
    await assert.rejects(diffGitBase('no-such-ref', ['dist'], { cwd: repo }), (error: unknown) => {
      assert.ok(error instanceof DiffInputError);
      assert.equal(error.message, `--git-base no-such-ref: unknown revision in the git repository at ${fs.realpathSync(repo)}`);
      return true;
    });
  });

  it('refuses a directory outside any git repository', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-nogit-'));
    try {
      await assert.rejects(diffGitBase('HEAD', ['.'], { cwd: outside }), {
        name: 'DiffInputError',
        message: `${outside}: not inside a git repository; --git-base compares PATH with its committed version`,
      });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a PATH gone from the working tree is an empty NEW: every object it held is removed, not exit 2', async () => {
    fs.mkdirSync(path.join(repo, 'gone'));
    fs.copyFileSync(path.join(FIXTURES, 'removed-sts/old.yaml'), path.join(repo, 'gone/app.yaml'));
    git('add', 'gone');
    git('commit', '-q', '-m', 'gone');
    git('tag', 'with-gone');
    fs.rmSync(path.join(repo, 'gone'), { recursive: true });
    try {
      const report = await diffGitBase('with-gone', ['gone'], { cwd: repo });
      assert.equal(report.summary.removed, report.objects.length);
      assert.ok(report.summary.removed > 0);
      assert.ok(report.findings.length > 0 && report.findings.every((f) => f.revision === 'with-gone'));
      // An empty directory: the same.
      fs.mkdirSync(path.join(repo, 'gone'));
      const empty = await diffGitBase('with-gone', ['gone'], { cwd: repo });
      assert.deepEqual([empty.summary.removed, empty.findings.length], [report.summary.removed, report.findings.length]);
    } finally {
      fs.rmSync(path.join(repo, 'gone'), { recursive: true, force: true });
    }
  });

  it('a PATH in neither the working tree nor REF is a mistake (a typo must not pass)', async () => {
    await assert.rejects(diffGitBase('base', ['dsit'], { cwd: repo }), {
      name: 'DiffInputError',
      message: `${path.join(repo, 'dsit')}: neither in the working tree nor at base`,
    });
  });

  it('SARIF and GitHub annotations point a removed object at its path, text output at REF:path', async () => {
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      const out: string[] = [];
      const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true }, stdin: Readable.from([]), isTTY: false, env: {} };
      assert.equal(await runCli(['diff', '--git-base', 'base', '--format', 'sarif', 'dist'], io), 1);
      const uris = JSON.parse(out.join('')).runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
      assert.deepEqual(uris, ['dist/app.k8s.yaml', 'dist/pvs.yml']);
      out.length = 0;
      assert.equal(await runCli(['diff', '--git-base', 'base', '--format', 'github', 'dist'], io), 1);
      assert.match(out.join(''), /^::warning file=dist\/pvs.yml,line=21,col=\d+,title=removed-pv-retains-data::/m);
      const report = await diffGitBase('base', ['dist'], {});
      assert.match(formatReport(report, 'text'), /^base:dist\/pvs.yml:21:\d+  warning  PersistentVolume "pv002" is removed/m);
    } finally {
      process.chdir(cwd);
    }
  });
});
