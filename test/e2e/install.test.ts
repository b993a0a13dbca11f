/**
 * Installable (issue 10): the package as `npm pack` writes it, installed the way the README says into a scratch
 * cdk8s app pinned to the oldest supported cdk8s / constructs / cdk8s-plus-28, type-checks a Chart that builds a
 * PostgreSQL-like StatefulApp (Secret, ConfigMap, fsGroup, anti-affinity, init container) and synthesizes it; the
 * README's CI snippet then runs as written. Also: `cdk8s synth` works right after the install step of this
 * repository (`npm ci` runs `prepare`), and the tarball holds build output, types, docs and LICENSE only.
 *
 * Needs the npm registry (it is reachable in CI); skips with a message when it is not.
 */
import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseObjects, repoRoot } from './synth-helpers';

/** The oldest versions the peer ranges allow that the registry serves (an existing project's pins). */
const PINS = { cdk8s: '2.68.12', constructs: '10.3.0', 'cdk8s-plus-28': '2.0.3' };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: readonly string[], cwd: string, timeout = 240_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function registryUnreachable(): string | false {
  const probe = run(NPM, ['view', `cdk8s@${PINS.cdk8s}`, 'version'], os.tmpdir(), 30_000);
  return probe.status === 0 ? false : `the npm registry is unreachable (npm view cdk8s@${PINS.cdk8s}: ${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]}): install test skipped`;
}

/** The fenced blocks of a Markdown file with this info string, in order. */
function blocks(markdown: string, info: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + info + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

/** The shell commands of the README's install section: the `npm install` of the tarball. */
function readmeInstallCommand(readme: string): string {
  const section = readme.slice(readme.indexOf('## Install into your own repository'));
  const line = blocks(section, 'sh')[0].split('\n').find((l) => l.includes('.tgz'));
  assert.ok(line, 'the README install section has no tarball install line');
  return line.replace(/\s+#.*$/, '');
}

/** The `run:` steps of the README's install-section CI snippet. */
function readmeCiSteps(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Install into your own repository'));
  return blocks(section, 'yaml')[0].split('\n').map((l) => /^\s*-\s*run:\s*(.*)$/.exec(l)?.[1]).filter((c): c is string => !!c);
}

const APP = `import { App, Chart, Size } from 'cdk8s';
import { FsGroupChangePolicy, k8s, Topology } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ContainerSecurity, EnvValue, Handler, PodVolume, StatefulApp } from 'cdk8s-stateful';

class Postgres extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'db' });
    const secret = new k8s.KubeSecret(this, 'credentials', { metadata: { name: 'pg-credentials' }, stringData: { password: 'change-me' } });
    const config = new k8s.KubeConfigMap(this, 'config', { metadata: { name: 'pg-config' }, data: { 'postgresql.conf': 'max_connections = 200' } });
    new StatefulApp(this, 'pg', {
      replicas: 3,
      securityContext: { fsGroup: 999, fsGroupChangePolicy: FsGroupChangePolicy.ON_ROOT_MISMATCH },
      scheduling: { separate: [{ topology: Topology.HOSTNAME }] },
      volumes: [PodVolume.fromConfigMap('config', config)],
      initContainers: [{ name: 'init', image: 'postgres:16.4', command: ['true'], mounts: [{ template: 'data', path: '/data' }], security: ContainerSecurity.nonRoot({ user: 999 }) }],
      containers: [{
        name: 'postgres', image: 'postgres:16.4', ports: [{ name: 'postgres', number: 5432 }],
        env: { POSTGRES_PASSWORD: EnvValue.fromSecretValue({ secret, key: 'password' }) },
        lifecycle: { preStop: Handler.fromCommand(['pg_ctl', 'stop', '-m', 'fast']) },
        mounts: [{ template: 'data', path: '/data' }, { volume: 'config', path: '/etc/postgresql', readOnly: true }],
        security: ContainerSecurity.nonRoot({ user: 999, group: 999 }),
      }],
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(20), storageClassName: 'fast-ssd' }],
    });
  }
}

const app = new App();
new Postgres(app, 'postgres');
app.synth();
`;

/** A copy of the working tree's sources (not build/, not node_modules/, which is linked) to build and pack in. */
function copyOfRepository(into: string): string {
  const copy = path.join(into, 'repo');
  fs.mkdirSync(copy);
  for (const entry of ['lib', 'charts', 'scripts', 'docs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.lib.json',
    'README.md', 'LICENSE', '.pre-commit-hooks.yaml', '.npmrc', 'cdk8s.yaml']) {
    fs.cpSync(path.join(repoRoot, entry), path.join(copy, entry), { recursive: true });
  }
  fs.symlinkSync(fs.realpathSync(path.join(repoRoot, 'node_modules')), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

const skip = registryUnreachable();
if (skip) console.log(skip);

describe('installable: the packed tarball in a cdk8s app pinned to older versions', { skip, timeout: 600_000 }, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-install-'));
  const repo = copyOfRepository(scratch);
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  let tarball = '';

  it('builds on install (npm ci runs prepare), after which `cdk8s synth` works as a cdk8s user types it', () => {
    ok(run(NPM, ['run', 'prepare'], repo), 'npm run prepare');
    ok(run(NPM, ['exec', '--no-install', '--', 'cdk8s', 'synth', '--no-check-upgrade'], repo), 'cdk8s synth');
    assert.ok(fs.existsSync(path.join(repo, 'dist/myapp.k8s.yaml')), 'cdk8s synth wrote no dist/myapp.k8s.yaml');
    assert.ok(!fs.existsSync(path.join(repo, 'build/test')), 'the library build compiled the tests');
  });

  it('packs build output, types, docs and LICENSE only, without source maps that cannot resolve', () => {
    const out = JSON.parse(ok(run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], repo), 'npm pack'));
    const files: string[] = out[0].files.map((f: { path: string }) => f.path);
    tarball = path.join(scratch, out[0].filename);
    assert.deepEqual(files.filter((f) => /^build\/(test|charts|scripts)\/|\.map$|\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('docs/')), []);
    for (const needed of ['LICENSE', 'README.md', 'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/cli/main.js', 'build/lib/schema/generated/validator-modules.json', 'build/lib/cdk8s-plugin.js',
      'build/lib/cli/main.bundle.js', 'build/lib/cli/main.bundle.js.cache', 'build/lib/schema/generated/validators/workloads.js.cache']) {
      assert.ok(files.includes(needed), `the tarball lacks ${needed}`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    assert.equal(pkg.license, 'Apache-2.0');
    assert.match(fs.readFileSync(path.join(repo, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
    assert.ok(pkg.repository?.url, 'package.json has no repository');
    assert.deepEqual(Object.keys(pkg.peerDependencies).sort(), ['cdk8s', 'cdk8s-plus-28', 'constructs']);
    assert.equal(pkg.dependencies.cdk8s, undefined);
  });

  it('installs as the README says into an app pinned to older cdk8s, type-checks a Chart using StatefulApp, and synthesizes it', () => {
    assert.ok(tarball, 'no tarball (the pack step failed)');
    const app = path.join(scratch, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true, dependencies: PINS }, null, 2));
    ok(run(NPM, ['install', '--prefer-offline'], app), 'npm install of the pinned cdk8s app');
    fs.copyFileSync(tarball, path.join(app, 'cdk8s-stateful-0.1.0.tgz'));
    const install = readmeInstallCommand(readme);
    ok(run('bash', ['-c', install], app), install);
    // One copy of each peer: the package must use the app's own (older) cdk8s and constructs.
    for (const peer of Object.keys(PINS)) {
      assert.ok(!fs.existsSync(path.join(app, 'node_modules/cdk8s-stateful/node_modules', peer)), `a second copy of ${peer} was installed`);
      assert.equal(JSON.parse(fs.readFileSync(path.join(app, 'node_modules', peer, 'package.json'), 'utf8')).version, PINS[peer as keyof typeof PINS]);
    }
    fs.writeFileSync(path.join(app, 'main.ts'), APP);
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    ok(run(process.execPath, [tsc, '--strict', '--target', 'ES2022', '--module', 'commonjs', '--moduleResolution', 'node', '--skipLibCheck', 'main.ts'], app), 'tsc main.ts');
    ok(run(process.execPath, ['main.js'], app), 'node main.js (app.synth())');
    const objects = parseObjects(fs.readFileSync(path.join(app, 'dist/postgres.k8s.yaml'), 'utf8'));
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    assert.equal(sts.spec.template.spec.securityContext.fsGroup, 999);
    assert.equal(sts.spec.template.spec.initContainers[0].name, 'init');
    assert.deepEqual(sts.spec.template.spec.containers[0].env[0].valueFrom, { secretKeyRef: { name: 'pg-credentials', key: 'password' } });
    assert.equal(sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');

    // The README's CI snippet, as written, in the app (npm ci from the lock file the install wrote).
    const steps = readmeCiSteps(readme);
    assert.deepEqual(steps.map((s) => s.split(' ').slice(0, 3).join(' ')), ['npm ci', 'npx --no-install cdk8s-stateful']);
    for (const step of steps) ok(run('bash', ['-c', step], app), step);

    // Every other CI `run:` step of the README and docs/integrations.md that calls the linter, as written (their
    // manifests directory is dist/ or k8s/: here both hold the synthesized app).
    fs.cpSync(path.join(app, 'dist'), path.join(app, 'k8s'), { recursive: true });
    const docs = readme + fs.readFileSync(path.join(repoRoot, 'docs/integrations.md'), 'utf8');
    const lintSteps = blocks(docs, 'yaml').flatMap((b) => b.split('\n'))
      .map((l) => /^\s*(?:-\s*)?run:\s*(npx .*)$/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);
    assert.ok(lintSteps.length >= 4, `expected the CI lint steps of README and docs, found ${lintSteps.join(' | ')}`);
    for (const step of lintSteps) {
      assert.match(step, /^npx --no-install cdk8s-stateful /, 'a CI step must run the installed linter');
      ok(run('bash', ['-c', step], app), step);
      const sarif = /> (\S+\.sarif)$/.exec(step)?.[1];
      if (sarif) assert.equal(JSON.parse(fs.readFileSync(path.join(app, sarif), 'utf8')).version, '2.1.0');
    }

    // The installed executable starts from its bundle (lib/cli/bundle.ts): Node compiles none of the CLI's module files.
    const preload = path.join(scratch, 'compiled.js');
    fs.writeFileSync(preload, "const M = require('module'); const c = M.prototype._compile; const seen = [];\n" +
      "M.prototype._compile = function (s, f) { seen.push(f); return c.call(this, s, f); };\n" +
      "process.on('exit', () => process.stderr.write('\\n@@' + JSON.stringify(seen)));\n");
    const bin = path.join(app, 'node_modules/cdk8s-stateful/build/lib/cli/main.js');
    const started = run(process.execPath, ['-r', preload, bin, 'lint', 'k8s', '--format', 'json'], app);
    assert.equal(started.status, 0, started.stderr);
    const compiled = (JSON.parse(started.stderr.slice(started.stderr.lastIndexOf('\n@@') + 3)) as string[]).map((f) => path.basename(f));
    assert.ok(compiled.includes('main.js') && !compiled.includes('run-cli.js') && !compiled.includes('lint-command.js'), `compiled from files: ${compiled.join(', ')}`);
    fs.rmSync(scratch, { recursive: true, force: true });
  });
});
