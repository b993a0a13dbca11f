/**
 * The real `pre-commit` tool runs our `.pre-commit-hooks.yaml` (hook `cdk8s-stateful-lint`, language: node) from a
 * scratch git repository, exactly as a user's repository would: pre-commit clones this repository at a commit,
 * `npm install`s and `npm pack`s it (which builds it), installs the tarball into its own node environment and runs
 * the `cdk8s-stateful` bin on the staged YAML files.
 *
 * pre-commit only sees committed code, so the hook repository is this checkout at `git rev-parse HEAD`.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/plugin');
function run(command: string, args: readonly string[], cwd: string, preCommitHome?: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    // A private PRE_COMMIT_HOME: the hook is installed from this commit, not taken from the user's cache.
    env: { ...process.env, ...(preCommitHome ? { PRE_COMMIT_HOME: preCommitHome } : {}), PRE_COMMIT_COLOR: 'never', NO_COLOR: '1' },
    timeout: 240_000,
  });
}

function git(cwd: string, ...args: string[]): string {
  const result = run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], cwd);
  assert.equal(result.status, 0, `git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Why the test cannot run here, or undefined when it can. */
function reasonToSkip(): string | undefined {
  if (run('pre-commit', ['--version'], repoRoot).status !== 0) {
    return 'pre-commit is not installed (apt-get install -y pre-commit)';
  }
  for (const file of ['.pre-commit-hooks.yaml', 'lib/cli/main.ts']) {
    if (run('git', ['cat-file', '-e', `HEAD:${file}`], repoRoot).status !== 0) {
      return `HEAD of ${repoRoot} has no ${file} yet; pre-commit only sees committed files`;
    }
  }
  const npmrc = run('git', ['show', 'HEAD:.npmrc'], repoRoot);
  if (npmrc.status !== 0 || !/^foreground-scripts\s*=\s*false\s*$/m.test(npmrc.stdout)) {
    // Without it the hook cannot install at all: pre-commit (3.0.4 at least) reads `npm pack`'s whole stdout as the
    // tarball name, and npm prints the prepack build's output there.
    return `HEAD of ${repoRoot} has no .npmrc with foreground-scripts=false, without which pre-commit cannot install the node hook`;
  }
  return undefined;
}

const skip = reasonToSkip();

/** The hook's display name as HEAD's .pre-commit-hooks.yaml declares it (pre-commit prints `<name>....Passed`). */
function hookName(): string {
  const hooks = parse(git(repoRoot, 'show', 'HEAD:.pre-commit-hooks.yaml')) as { id: string; name: string }[];
  const hook = hooks.find((h) => h.id === 'cdk8s-stateful-lint');
  assert.ok(hook, '.pre-commit-hooks.yaml at HEAD declares no hook with id cdk8s-stateful-lint');
  return hook.name;
}

function statusLine(name: string, status: 'Passed' | 'Failed'): RegExp {
  return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.+${status}$`, 'm');
}

test('pre-commit runs the cdk8s-stateful-lint hook: a broken StatefulSet fails the commit, the fix passes', { skip, timeout: 300_000 }, () => {
  const rev = git(repoRoot, 'rev-parse', 'HEAD');
  const name = hookName();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-pre-commit-'));
  const repo = path.join(scratch, 'repo');
  const home = path.join(scratch, 'pre-commit-home');
  try {
    fs.mkdirSync(path.join(repo, 'k8s'), { recursive: true });
    git(repo, 'init', '-q');
    fs.writeFileSync(
      path.join(repo, '.pre-commit-config.yaml'),
      // `files` as a user sets it: only the manifests, not .pre-commit-config.yaml or other YAML.
      `repos:\n  - repo: ${repoRoot}\n    rev: ${rev}\n    hooks:\n      - id: cdk8s-stateful-lint\n        files: ^k8s/\n`,
    );
    const manifest = path.join(repo, 'k8s/db.yaml');
    fs.copyFileSync(path.join(fixtures, 'broken/db.yaml'), manifest);
    git(repo, 'add', '.');

    const broken = run('pre-commit', ['run', '--all-files'], repo, home);
    const brokenOutput = broken.stdout + broken.stderr;
    // pre-commit up to at least 3.0.4 takes all of `npm pack`'s stdout as the tarball name; the prepack build's
    // output must not reach it (the repository's .npmrc sets foreground-scripts=false for that).
    assert.ok(
      !brokenOutput.includes('seems to be corrupted'),
      `pre-commit could not install the hook: npm pack printed more than the tarball name; is .npmrc with foreground-scripts=false committed?\n${brokenOutput}`,
    );
    assert.equal(broken.status, 1, brokenOutput);
    assert.match(brokenOutput, statusLine(name, 'Failed'));
    assert.match(brokenOutput, /^- hook id: cdk8s-stateful-lint$/m);
    assert.ok(
      brokenOutput.includes(
        'k8s/db.yaml:18:3  error  Service "db-headless" (spec.serviceName) is not among the linted files, but headless ' +
          'Service "db" selects these pods: did you mean serviceName: db? Without a Service named "db-headless", ' +
          'db-0.db-headless.default.svc.cluster.local will not resolve  sts-service',
      ),
      brokenOutput,
    );

    fs.copyFileSync(path.join(fixtures, 'clean/db.yaml'), manifest);
    git(repo, 'add', '.');
    const fixed = run('pre-commit', ['run', '--all-files'], repo, home);
    const fixedOutput = fixed.stdout + fixed.stderr;
    assert.equal(fixed.status, 0, fixedOutput);
    assert.match(fixedOutput, statusLine(name, 'Passed'));
  } finally {
    // A hook install killed by the timeout may leave npm writing into the scratch directory for a moment.
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  }
});
