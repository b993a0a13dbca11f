import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const repoRoot = path.resolve(__dirname, '../../..');
const main = path.join(repoRoot, 'build/lib/cli/main.js');
const fixtures = 'test/fixtures/load/cli';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI from the repository root, so paths in its output are the relative paths given. */
function cli(args: string[], input?: string): Run {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: repoRoot, input, encoding: 'utf8', env: { ...process.env, DEBUG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  if (!existsSync(path.join(repoRoot, 'build/lib/schema/generated/validator-modules.json'))) {
    spawnSync(process.execPath, [path.join(repoRoot, 'build/scripts/gen-schemas.js')], { cwd: repoRoot, stdio: 'inherit' });
  }
});

describe('cdk8s-stateful lint: exit codes and text output', () => {
  it('exits 0 with the summary line when there is nothing to report', () => {
    assert.deepEqual(cli(['lint', `${fixtures}/clean.yaml`]), {
      status: 0,
      stdout: '✔ no problems in 2 documents of 1 file\n',
      stderr: '',
    });
  });

  it('exits 1 and prints path:line:col  severity  message  rule for an unknown field', () => {
    assert.deepEqual(cli(['lint', `${fixtures}/replicaz.yaml`]), {
      status: 1,
      stdout: [
        `${fixtures}/replicaz.yaml:19:3  error  spec.replicaz: unknown field "replicaz"; did you mean "replicas"?  schema`,
        '✖ 1 problem (1 error, 0 warnings) in 2 documents of 1 file',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('exits 1 for a duplicate key', () => {
    const run = cli(['lint', `${fixtures}/duplicate.yaml`]);
    assert.equal(run.status, 1);
    assert.equal(run.stdout.split('\n')[0], `${fixtures}/duplicate.yaml:7:3  error  duplicate key "a"; kubectl would silently keep the last value ("2")  yaml-syntax`);
  });

  it('exits 0 with warnings, and 1 when they exceed --max-warnings', () => {
    const relaxed = cli(['lint', `${fixtures}/warning-only.yaml`]);
    assert.equal(relaxed.status, 0);
    assert.match(relaxed.stdout, /^test\/fixtures\/load\/cli\/warning-only\.yaml:5:3 {2}warning {2}.+ {2}pv-namespace\n✖ 1 problem \(0 errors, 1 warning\) in 1 document of 1 file\n$/);
    const strict = cli(['lint', '--max-warnings', '0', `${fixtures}/warning-only.yaml`]);
    assert.deepEqual([strict.status, strict.stderr], [1, 'cdk8s-stateful: too many warnings (1, more than --max-warnings 0)\n']);
    assert.equal(cli(['lint', '--max-warnings', '1', `${fixtures}/warning-only.yaml`]).status, 0);
  });

  it('turns rules off and changes severities with --rule and --config', () => {
    assert.equal(cli(['lint', '--rule', 'schema=off', `${fixtures}/replicaz.yaml`]).status, 0);
    const downgraded = cli(['lint', '--rule', 'schema=warning', `${fixtures}/replicaz.yaml`]);
    assert.equal(downgraded.status, 0);
    assert.match(downgraded.stdout, / {2}warning {2}spec\.replicaz: unknown field "replicaz"; did you mean "replicas"\? {2}schema\n/);
  });

  it('reads stdin for -', () => {
    const run = cli(['lint', '-'], readFileSync(path.join(repoRoot, fixtures, 'replicaz.yaml'), 'utf8'));
    assert.equal(run.status, 1);
    assert.equal(run.stdout.split('\n')[0], '<stdin>:19:3  error  spec.replicaz: unknown field "replicaz"; did you mean "replicas"?  schema');
  });

  it('reports a binary file as a finding, not a crash', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'cdk8s-stateful-cli-'));
    try {
      const file = path.join(scratch, 'image.yaml');
      writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]));
      assert.deepEqual(cli(['lint', file]), {
        status: 1,
        stdout: `${file}:1:1  error  not a text file (it contains NUL bytes); only YAML files can be linted  yaml-syntax\n✖ 1 problem (1 error, 0 warnings) in 0 documents of 1 file\n`,
        stderr: '',
      });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('cdk8s-stateful lint: exit 2 when it cannot do its job', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cdk8s-stateful-cli-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('names a missing file on one line of stderr and prints no report', () => {
    assert.deepEqual(cli(['lint', `${fixtures}/clean.yaml`, 'no/such.yaml']), {
      status: 2,
      stdout: '',
      stderr: 'cdk8s-stateful: no/such.yaml: no such file or directory\n',
    });
  });

  it('names a file over --max-file-size', () => {
    const big = path.join(scratch, 'big.yaml');
    writeFileSync(big, `a: "${'x'.repeat(1024 * 1024 + 10)}"\n`);
    assert.deepEqual(cli(['lint', '--max-file-size', '1', big]), {
      status: 2,
      stdout: '',
      stderr: `cdk8s-stateful: ${big}: 1 MiB is over the 1 MiB limit for one file; raise it with --max-file-size <MiB>\n`,
    });
  });

  it('rejects usage mistakes with one line', () => {
    const cases: Array<[string[], string]> = [
      [['lint'], 'cdk8s-stateful: lint: no paths given; pass files, directories, or - to read stdin\n'],
      [['lint', '--frmat', 'json', 'x.yaml'], 'cdk8s-stateful: lint: unknown option --frmat (see cdk8s-stateful lint --help)\n'],
      [['lint', '--format', 'xml', 'x.yaml'], 'cdk8s-stateful: lint: unknown format "xml" (expected text, json, sarif, junit, github)\n'],
      [['lint', '--max-warnings', 'many', 'x.yaml'], 'cdk8s-stateful: lint: --max-warnings expects a whole number, got "many"\n'],
      [['lint', '--max-warnings', '-1', 'x.yaml'], 'cdk8s-stateful: lint: --max-warnings -1: a value starting with "-" must be written --max-warnings=-1\n'],
      [['lint', '--max-warnings=-1', 'x.yaml'], 'cdk8s-stateful: lint: --max-warnings expects a whole number, got "-1"\n'],
      [['lint', '-n', '-x', 'x.yaml'], 'cdk8s-stateful: lint: --namespace -x: a value starting with "-" must be written --namespace=-x\n'],
      [['lint', '--rule', 'yaml-syntax=off', 'x.yaml'], 'cdk8s-stateful: --rule yaml-syntax=off: rules.yaml-syntax: cannot be turned off: a file that does not parse is not checked at all, so it would pass; fix the YAML or leave the file out\n'],
      [['lint', '--rule', 'replicas=off', 'x.yaml'], 'cdk8s-stateful: --rule replicas=off: unknown rule "replicas" (known rules: '],
      [['lint', '--format'], 'cdk8s-stateful: lint: --format needs a value\n'],
      [['lint', '--ignore-missing-schemas=yes', 'x.yaml'], 'cdk8s-stateful: lint: --ignore-missing-schemas takes no value\n'],
      [['frobnicate'], 'cdk8s-stateful: unknown command "frobnicate" (expected lint, diff, plan or rules; see cdk8s-stateful --help)\n'],
    ];
    for (const [args, stderr] of cases) {
      const run = cli(args);
      assert.equal(run.status, 2, args.join(' '));
      assert.equal(run.stdout, '', args.join(' '));
      assert.ok(run.stderr.startsWith(stderr), `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr.split('\n').length, 2, 'one line');
    }
  });

  it('names the config file and line of a mistake in it', () => {
    const config = path.join(scratch, 'lint.yaml');
    writeFileSync(config, 'rules:\n  sts-servce: off\n');
    const run = cli(['lint', '--config', config, `${fixtures}/clean.yaml`]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`^cdk8s-stateful: ${config.replace(/[.]/g, '\\.')}:2:3: unknown rule "sts-servce" \\(known rules: yaml-syntax, schema, `));
  });

  it('names the config file, line and column of invalid YAML in it, on one line', () => {
    const config = path.join(scratch, 'broken.yaml');
    writeFileSync(config, 'rules:\n  schema: [\n');
    assert.deepEqual(cli(['lint', '--config', config, `${fixtures}/clean.yaml`]), {
      status: 2,
      stdout: '',
      stderr: `cdk8s-stateful: ${config}:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n`,
    });
  });

  it('refuses a config file that turns yaml-syntax off', () => {
    const config = path.join(scratch, 'syntax-off.yaml');
    writeFileSync(config, 'rules:\n  yaml-syntax: off\n  schema: warning\n');
    assert.deepEqual(cli(['lint', '--config', config, `${fixtures}/duplicate.yaml`]), {
      status: 2,
      stdout: '',
      stderr: `cdk8s-stateful: ${config}:2:3: rules.yaml-syntax: cannot be turned off: a file that does not parse is not checked at all, so it would pass; fix the YAML or leave the file out\n`,
    });
    // Down to a warning is allowed: the broken file is still reported.
    assert.match(cli(['lint', '--rule', 'yaml-syntax=warning', `${fixtures}/duplicate.yaml`]).stdout, / {2}warning {2}duplicate key "a"/);
  });

  it('names a directory without YAML files, also one that only loops back to itself', () => {
    const empty = path.join(scratch, 'empty');
    const loop = path.join(scratch, 'loop');
    mkdirSync(empty);
    mkdirSync(loop);
    symlinkSync(loop, path.join(loop, 'again'));
    for (const dir of [empty, loop]) {
      assert.deepEqual(cli(['lint', dir]), {
        status: 2,
        stdout: '',
        stderr: `cdk8s-stateful: no YAML files found in ${dir} (lint reads *.yaml and *.yml, outside hidden directories and node_modules)\n`,
      });
    }
  });

  it('does not call a directory empty when an earlier PATH already read the YAML below it', () => {
    const sub = path.join(scratch, 'nest/sub');
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, 'clean.yaml'), readFileSync(path.join(repoRoot, fixtures, 'clean.yaml')));
    assert.deepEqual(cli(['lint', sub, path.dirname(sub)]), { status: 0, stdout: '✔ no problems in 2 documents of 1 file\n', stderr: '' });
  });

  it('refuses empty stdin (an upstream `helm template` that failed), instead of reporting no problems', () => {
    const nothing = 'cdk8s-stateful: <stdin>: no YAML documents on stdin: did the command that pipes into cdk8s-stateful fail?\n';
    assert.deepEqual(cli(['lint', '-'], ''), { status: 2, stdout: '', stderr: nothing });
    assert.deepEqual(cli(['lint', '-'], '# only a comment\n---\n'), { status: 2, stdout: '', stderr: nothing });
  });

  it('applies a valid config file', () => {
    const config = path.join(scratch, 'ok.yaml');
    writeFileSync(config, 'rules:\n  schema: off\n');
    assert.equal(cli(['lint', '-c', config, `${fixtures}/replicaz.yaml`]).status, 0);
  });

  it('stops quietly when the reader of stdout goes away', () => {
    const many = path.join(scratch, 'many.yaml');
    writeFileSync(many, Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\nbogus: ${i}\n`).join('---\n'));
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${main}" lint "${many}" | head -n 1`], { encoding: 'utf8' });
    assert.equal(result.stdout.split('\n').length, 2);
    assert.equal(result.stderr, '');
  });
});

describe('cdk8s-stateful lint: formats', () => {
  it('prints JSON, SARIF, JUnit and GitHub annotations', () => {
    const json = JSON.parse(cli(['lint', '--format', 'json', `${fixtures}/replicaz.yaml`]).stdout);
    assert.deepEqual(json.findings[0], {
      rule: 'schema',
      severity: 'error',
      message: 'spec.replicaz: unknown field "replicaz"; did you mean "replicas"?',
      file: `${fixtures}/replicaz.yaml`,
      line: 19,
      column: 3,
      object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'default', name: 'web' },
    });
    const sarif = JSON.parse(cli(['lint', '-f', 'sarif', `${fixtures}/replicaz.yaml`]).stdout);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, `${fixtures}/replicaz.yaml`);
    assert.match(cli(['lint', '-f', 'junit', `${fixtures}/replicaz.yaml`]).stdout, /<testcase classname="test\/fixtures\/load\/cli\/replicaz.yaml" name="schema at 19:3"><failure/);
    assert.equal(
      cli(['lint', '-f', 'github', `${fixtures}/replicaz.yaml`]).stdout.split('\n')[0],
      `::error file=${fixtures}/replicaz.yaml,line=19,col=3,title=schema::spec.replicaz: unknown field "replicaz"; did you mean "replicas"?`,
    );
  });
});

describe('cdk8s-stateful rules, --help, --version', () => {
  it('prints the catalogue as text, JSON and Markdown', () => {
    const text = cli(['rules']);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^RULE +SEVERITY +COMMAND +DESCRIPTION\nyaml-syntax +error +lint, diff +/);
    const rules = JSON.parse(cli(['rules', '--format', 'json']).stdout) as Array<{ id: string; severity: string; description: string }>;
    assert.deepEqual(rules.slice(0, 2).map((r) => r.id), ['yaml-syntax', 'schema']);
    assert.ok(rules.some((r) => r.id === 'immutable-field'), 'the catalogue lists the diff rules too');
    const markdown = cli(['rules', '--format', 'markdown']).stdout.split('\n');
    assert.deepEqual(markdown.slice(0, 2), ['| Rule | Severity | Command | Checks | Remediation |', '| --- | --- | --- | --- | --- |']);
    assert.equal(markdown.length, rules.length + 3);
    assert.ok(markdown[2].startsWith('| `yaml-syntax` | error | '));
    assert.equal(cli(['rules', '--format', 'html']).stderr, 'cdk8s-stateful: rules: unknown format "html" (expected text, json or markdown)\n');
  });

  it('prints help and the package version', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(cli(['--version']), { status: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = cli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: cdk8s-stateful <command>/);
    assert.match(cli(['lint', '--help']).stdout, /--max-warnings N/);
    assert.equal(cli([]).status, 2);
  });
});
