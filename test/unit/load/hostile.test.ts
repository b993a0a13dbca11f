/**
 * Issue 14 (hostile input) and issue 8 (non-Kubernetes YAML, Helm): one regression per item, on the fixtures of
 * test/fixtures/load/{hostile,non-kubernetes,helm,encoding} and on generated input where a fixture would be huge.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { configFileSource } from '../../../lib/lint/settings';
import { lintLoaded } from '../../../lib/lint/run';
import { LoadResult, loadNotes, loadPaths, loadText } from '../../../lib/load/load';
import { splitOversizedDocuments } from '../../../lib/load/oversize';
import { formatText } from '../../../lib/report/text';
import { formatJson } from '../../../lib/report/json';
import { runCli } from '../../../lib/cli/run-cli';
import { registry } from '../../../lib/rules';
import { createRegistry } from '../../../lib/core/rule';

const repoRoot = path.resolve(__dirname, '../../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/load');
const fixture = (name: string) => path.join(fixtures, name);
const read = (name: string) => readFileSync(fixture(name), 'utf8');
const at = (result: LoadResult | ReturnType<typeof lintLoaded>) => result.findings.map((f) => `${f.line}:${f.column} ${f.message}`);
const hasSchemas = (() => {
  try {
    require.resolve('../../../lib/schema/generated/kinds.json');
    return true;
  } catch {
    return false;
  }
})();
const needsSchemas = { skip: hasSchemas ? false : 'schemas not generated (npm run build)' };

describe('tags are decoded as Kubernetes decodes them: no tag hides a field', needsSchemas, () => {
  const report = lintLoaded(loadText(read('hostile/tags.yaml'), 'tags.yaml'), { registry });
  it('!!set is a mapping whose keys are validated (an unknown field with a null value included)', () => {
    assert.ok(at(report).includes('6:16 spec.bogusField: unknown field "bogusField"'), at(report).join('\n'));
  });
  it('!!omap is a list, so a spec written as one is not a mapping', () => {
    assert.ok(at(report).some((f) => f.startsWith('12:1 spec: Invalid value: [{"ports":[{"port":80}]}]: must be a mapping')));
  });
  it('!!binary is its decoded text; invalid base64 is go-yaml\'s error', () => {
    const loaded = loadText('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: !!binary aGVsbG8=}\n', 's.yaml');
    assert.deepEqual(loaded.manifests[0].object.stringData, { a: 'hello' });
    assert.ok(at(report).includes('20:20 !!binary value `not base64!` contains invalid base64 data'));
  });
  it('an explicit tag that does not fit its value is go-yaml\'s error, an unknown tag leaves a string', () => {
    const loaded = loadText('kind: T\na: !!int abc\n', 't.yaml');
    assert.deepEqual(at(loaded), ['2:10 cannot decode !!str `abc` as a !!int']);
    assert.deepEqual(loadText('kind: T\na: !custom 12\nb: !!str 12\nc: !!float 1\n', 't.yaml').manifests[0].object, { kind: 'T', a: '12', b: '12', c: 1 });
  });
});

describe('scalars as go-yaml reads them', needsSchemas, () => {
  it('`.`, `-.`, `+.` and `1e309` are strings: `workingDir: .` and `args: [build, .]` lint clean', () => {
    const loaded = loadText(read('hostile/go-yaml-scalars.yaml'), 'pod.yaml');
    const container = (loaded.manifests[0].object.spec as { containers: Record<string, unknown>[] }).containers[0];
    assert.deepEqual([container.workingDir, container.args], ['.', ['build', '.', '-.', '+.', '1e309']]);
    assert.deepEqual(lintLoaded(loaded, { registry }).findings, []);
  });
  it('`.inf` and `.nan` are refused as Kubernetes refuses them (JSON has neither), naming the token', () => {
    assert.deepEqual(at(loadText(read('hostile/special-floats.yaml'), 'f.yaml')), [
      '6:13 `.inf` is infinite, which JSON and so Kubernetes cannot represent (json: unsupported value); quote it if it is text',
      '13:10 `.NaN` is not a number, which JSON and so Kubernetes cannot represent (json: unsupported value); quote it if it is text',
    ]);
  });
  it('a whole number written as a float in an integer field is a warning with the API server\'s decoder error', () => {
    const report = lintLoaded(loadText(read('hostile/float-integers.yaml'), 'sts.yaml'), { registry });
    const floats = report.findings.filter((f) => f.rule === 'schema').map((f) => `${f.line}:${f.column} ${f.severity} ${f.message}`);
    const words = (token: string, field: string, value: number) =>
      `Invalid value: \`${token}\`: a float where the API has an integer: kubectl and Helm send it as ${value}, but the API server ` +
      `refuses the number as written from a client that sends it so (the Python client, Ansible): "json: cannot unmarshal number ${token} ` +
      `into Go struct field ${field} ..."; write ${value}`;
    // Not `0x1538` (an integer) nor `cpu: 1.0` (a quantity may be a float).
    assert.deepEqual(floats, [
      `6:3 warning spec.replicas: ${words('3.0', 'StatefulSetSpec.spec.replicas', 3)}`,
      `7:14 warning spec.ordinals.start: ${words('1e0', 'StatefulSetOrdinals.spec.ordinals.start', 1)}`,
    ]);
    const json = lintLoaded(loadText(read('hostile/float-integers.json'), 'svc.json'), { registry });
    assert.deepEqual(json.findings.filter((f) => f.rule === 'schema').map((f) => `${f.line}:${f.column} ${f.message}`), [
      `2:70 spec.ports[0].port: ${words('5432.0', 'ServicePort.spec.ports.port', 5432)}`,
    ]);
  });
  it('a message names the token YAML read as a boolean (`server: n`)', () => {
    const report = lintLoaded(loadText('apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  nfs: {server: n, path: /data}\n', 'pv.yaml'), { registry });
    assert.deepEqual(at(report), [
      '7:9 spec.nfs.server: Invalid value: false: is a boolean (the unquoted `n`), must be a string: YAML reads unquoted yes, no, on, off, true and false as booleans; quote the value',
    ]);
  });
});

describe('keys and aliases', () => {
  it('keys named like Object.prototype members are own data, never inherited functions', () => {
    const loaded = loadText(read('hostile/prototype-keys.yaml'), 'p.yaml');
    const labels = loaded.manifests[0].object.metadata!.labels as Record<string, unknown>;
    assert.deepEqual(Object.entries(labels), [['constructor', 'a'], ['toString', 'b'], ['__proto__', 'c'], ['hasOwnProperty', 'd']]);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    if (hasSchemas) assert.ok(lintLoaded(loaded, { registry }).findings.every((f) => !/function|\[native code\]|\[object/.test(f.message)));
  });
  it('collection keys, null keys and a merge of a scalar are findings, never a Node warning on stderr', async () => {
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listener);
    const loaded = loadText(read('hostile/keys.yaml'), 'k.yaml');
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', listener);
    assert.deepEqual(warnings, []);
    assert.deepEqual(at(loaded), [
      '6:5 a mapping key is a list; Kubernetes reads only string, number and boolean keys ("unsupported map key")',
      '14:3 a mapping key is null (`~`); Kubernetes\' YAML reader refuses it ("unsupported map key"): give the key a name or quote it',
      '21:3 map merge requires map or sequence of maps as the value (of `<<`)',
    ]);
  });
  it('an alias to an earlier document, to no anchor and to its own container each get their own message', () => {
    assert.deepEqual(at(loadText(read('hostile/aliases.yaml'), 'a.yaml')), [
      '9:9 alias *name refers to the anchor &name of an earlier document; an anchor is visible only in its own document (after ---, define it again)',
      '14:9 alias *missing refers to no anchor: define &missing before it in the same document',
      '20:17 alias *self is inside the node &self it refers to, so it never ends',
    ]);
  });
  it('keys are spelled as sigs.k8s.io/yaml spells them (YAML 1.1 booleans, numbers)', () => {
    const loaded = loadText('kind: T\ndata: {on: a, 0x10: b, 1.5: c, 1e6: d}\n', 'k.yaml');
    assert.deepEqual(Object.keys(loaded.manifests[0].object.data as object).sort(), ['1.5', '16', '1e+06', 'true']);
  });
  it('a duplicate key echoes a long kept value shortened', () => {
    const loaded = loadText(`kind: T\na: 1\na: "${'x'.repeat(100_000)}"\n`, 'd.yaml');
    assert.equal(loaded.findings.length, 1);
    assert.ok(loaded.findings[0].message.length < 200, loaded.findings[0].message.slice(0, 300));
  });
});

describe('positions and text', () => {
  it('every finding lies inside its line, also where the parser drops a line break', () => {
    const text = read('hostile/position-past-line.yaml');
    const lines = text.split('\n');
    const loaded = loadText(text, 'p.yaml');
    assert.deepEqual(at(loaded).map((f) => f.split(' ')[0]), ['1:3', '3:5']);
    for (const finding of loaded.findings) assert.ok(finding.column <= lines[finding.line - 1].length + 1);
  });
  it('text output spells out control characters from the input', () => {
    const report = lintLoaded(loadText(read('hostile/control-key.yaml'), 'c.yaml'), { registry: createRegistry([]) });
    const withRawKey = { ...report, findings: [{ ...report.findings[0], message: 'key "\u001b]0;pwned\u0007"' }] };
    const output = formatText(withRawKey);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f]/.test(output), JSON.stringify(output));
    assert.ok(output.includes('key "\\e]0;pwned\\x07"'));
  });
});

describe('encodings', () => {
  it('names UTF-16 and invalid UTF-8 (with the line and column), and drops a UTF-8 byte order mark', async () => {
    const result = await loadPaths([fixture('encoding')]);
    assert.deepEqual(result.findings.map((f) => `${path.basename(f.file)}:${f.line}:${f.column} ${f.message}`), [
      'latin1.yaml:6:10 invalid UTF-8 (byte 0xFC); Kubernetes reads only UTF-8 YAML: save the file as UTF-8 (a Latin-1 file? iconv -f LATIN1 -t UTF-8)',
      'utf16-bom.yaml:1:1 the file is UTF-16 text (it starts with a UTF-16 byte order mark), not UTF-8; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)',
    ]);
    assert.deepEqual(result.manifests.map((m) => m.object.metadata?.name), ['enc']);
  });
});

describe('YAML that is not a Kubernetes object, and Helm', () => {
  it('skips docker-compose, CI configs, mkdocs, Chart.yaml, values.yaml, kustomization, patches and cdk8s.yaml with one note', async () => {
    const result = await loadPaths([fixture('non-kubernetes')]);
    assert.deepEqual([result.errors, result.findings, result.manifests], [[], [], []]);
    assert.equal(result.skipped!.length, 8);
    assert.deepEqual(loadNotes(result), [
      'skipped 8 YAML documents that are not Kubernetes objects (no apiVersion and kind): ' +
        `${fixture('non-kubernetes/.gitlab-ci.yml')}, ${fixture('non-kubernetes/Chart.yaml')}, ${fixture('non-kubernetes/cdk8s.yaml')} and 5 more`,
    ]);
  });
  it('still reports a manifest that only lost its kind', () => {
    const loaded = loadText('apiVersion: apps/v1\nmetadata: {name: web}\nspec: {}\n', 'k.yaml');
    assert.equal(loaded.manifests.length, 1);
  });
  it('gives a Helm template one finding that says what to lint instead', () => {
    const loaded = loadText(read('helm/mychart/templates/sts.yaml'), 'sts.yaml');
    assert.deepEqual(at(loaded), [
      '4:9 this is a Helm template (`{{ include "mychart.fullname" . }}`): lint what it renders instead, `helm template <chart> | cdk8s-stateful lint -` (the pre-commit hook excludes templates/ directories)',
    ]);
  });
  it('calls stdin that holds only template actions a template to render, not an empty input', async () => {
    const loaded = await loadPaths(['-'], { stdin: Readable.from([Buffer.from(read('helm/only-actions.yaml'))]) });
    assert.deepEqual(loaded.errors, []);
    assert.deepEqual(at(loaded), [
      '1:1 this is a Helm template (`{{- /* The StatefulSet comes from the...`) and holds no YAML until Helm renders it: lint what it renders instead, `helm template <chart> | cdk8s-stateful lint -` (the pre-commit hook excludes templates/ directories)',
    ]);
  });
  it('calls a file with {{ }} a template only when the braces break the YAML or reference Helm values', () => {
    assert.deepEqual(loadText(read('helm/prometheus-rule.yaml'), 'r.yaml').findings, []);
    const broken = loadText('kind: T\nmetadata:\n  name: {{ name }}\n  x: [\n', 'b.yaml');
    assert.equal(broken.findings.length, 1);
    assert.match(broken.findings[0].message, /^this is a Helm template \(`\{\{ name \}\}`\) and does not parse as YAML \(line \d+: invalid YAML/);
  });
  it('names the `# Source:` template of each object rendered by `helm template`, on stdin and in a file', needsSchemas, async () => {
    const fromStdin = await loadPaths(['-'], { stdin: Readable.from([Buffer.from(read('helm/rendered.yaml'))]) });
    const fromFile = await loadPaths([fixture('helm/rendered.yaml')]);
    for (const [loaded, file] of [[fromStdin, '<stdin>'], [fromFile, fixture('helm/rendered.yaml')]] as const) {
      assert.deepEqual(loaded.manifests.map((m) => [m.file, m.template]), [[file, 'mychart/templates/svc.yaml'], [file, 'mychart/templates/sts.yaml']]);
      const report = lintLoaded(loaded, { registry });
      assert.deepEqual(formatText(report).split('\n')[0], `${file}:19:3 (# Source: mychart/templates/sts.yaml)  error  spec.replicaz: unknown field "replicaz"; did you mean "replicas"?  schema`);
      assert.deepEqual(JSON.parse(formatJson(report)).findings[0], {
        rule: 'schema', severity: 'error', message: 'spec.replicaz: unknown field "replicaz"; did you mean "replicas"?', file, line: 19, column: 3,
        object: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', namespace: 'default' }, template: 'mychart/templates/sts.yaml',
      });
    }
  });
  it('the pre-commit hook excludes templates/ directories and runs serially', () => {
    const [hook] = parse(readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as { exclude: string; require_serial: boolean }[];
    const exclude = new RegExp(hook.exclude);
    assert.equal(hook.require_serial, true);
    assert.deepEqual(['templates/sts.yaml', 'charts/db/templates/sts.yaml', 'k8s/sts.yaml', 'k8s/templates.yaml'].map((p) => exclude.test(p)), [true, true, false, false]);
  });
});

describe('size and count', () => {
  it('loads 125,000 documents of one file (no call stack overflow when merging)', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'cdk8s-stateful-many-'));
    try {
      const file = path.join(scratch, 'many.yaml');
      writeFileSync(file, 'kind: A\n---\n'.repeat(125_000));
      const result = await loadPaths([file]);
      assert.deepEqual([result.errors, result.findings.length, result.manifests.length], [[], 0, 125_000]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
  it('refuses a document over the size limit with a message, and keeps the others and their positions', () => {
    const big = `kind: ConfigMap\ndata:\n  a: "${'x'.repeat(70_000)}"\n`;
    const loaded = loadText(`kind: A\n---\n${big}---\nkind: B\nmetadata:\n  name: b\n`, 'big.yaml', { maxDocumentSize: 64 * 1024 });
    assert.deepEqual(at(loaded), [
      '3:1 this YAML document is 0.1 MiB, over the 0.1 MiB limit for one object (etcd stores at most 1.5 MiB per object, the API server refuses a larger one); not linted',
    ]);
    assert.deepEqual(loaded.manifests.map((m) => m.object.kind), ['A', 'B']);
    assert.deepEqual(loaded.manifests[1].locate(['metadata', 'name']), { line: 9, column: 3 });
    assert.equal(loaded.documents, 3);
  });
});

describe('a large document costs time in its size, not a parse', () => {
  it('leaves an oversized document out of the text handed to the parser (a million keys: no million blank lines)', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: v\n`).join('');
    const text = `kind: A\n---\nkind: ConfigMap\ndata:\n${keys}---\nkind: B\n`;
    const { segments, oversized } = splitOversizedDocuments(text, 64 * 1024);
    assert.equal(oversized.length, 1);
    assert.deepEqual(segments.map((s) => text.slice(s.start, s.end)), ['kind: A\n---', '---\nkind: B\n']);
    const loaded = loadText(text, 'cm.yaml', { maxDocumentSize: 64 * 1024 });
    assert.deepEqual(loaded.manifests.map((m) => [m.object.kind, m.locate([])]), [['A', { line: 1, column: 1 }], ['B', { line: 50_006, column: 1 }]]);
  });
});

describe('a kind: List over the document limit is linted item by item', () => {
  const pv = (i: number) =>
    `- apiVersion: v1\n  kind: PersistentVolume\n  metadata:\n    name: pv${i}\n  spec:\n    capacity: {storage: 1Gi}\n    nfs: {server: nfs1, path: /v${i}}\n`;
  const items = (count: number) => Array.from({ length: count }, (_, i) => pv(i)).join('');
  const limit = { maxDocumentSize: 64 * 1024 };

  it('loads every item, with positions in the file, and the objects after the List', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n${items(2000)}metadata:\n  resourceVersion: ""\n---\nkind: After\n`;
    const loaded = loadText(text, 'list.yaml', limit);
    assert.deepEqual([loaded.findings, loaded.manifests.length, loaded.documents], [[], 2001, 2]);
    assert.deepEqual(loaded.manifests[1999].object.metadata, { name: 'pv1999' });
    assert.deepEqual(loaded.manifests[1999].locate(['spec', 'nfs', 'path']), { line: 3 + 1999 * 7 + 7, column: 25 });
    assert.deepEqual(loaded.manifests[2000].locate([]), { line: 3 + 2000 * 7 + 4, column: 1 });
  });
  it('reads indented items, and items the fast pass leaves to the `yaml` path, at the same positions', () => {
    const indented = items(2000).replace(/^/gm, '  ').replace(/\n {2}$/, '\n');
    const tagged = indented.replace('name: pv7\n', 'name: !!str pv7\n    bad: !!int abc\n');
    const loaded = loadText(`kind: List\nitems:\n${tagged}`, 'list.yaml', limit);
    // pv7, with its error, is not loaded; the line it gained moves the items after it.
    assert.deepEqual(at(loaded), ['56:16 cannot decode !!str `abc` as a !!int']);
    assert.equal(loaded.manifests.length, 1999);
    assert.deepEqual(loaded.manifests[1998].locate(['spec', 'nfs', 'path']), { line: 2 + 1999 * 7 + 8, column: 27 });
  });
  it('refuses one item over the limit as an object etcd would refuse, and keeps the others', () => {
    const huge = `- kind: ConfigMap\n  data:\n    a: "${'x'.repeat(70_000)}"\n`;
    const loaded = loadText(`kind: List\nitems:\n${items(1000)}${huge}${pv(1000)}`, 'list.yaml', limit);
    assert.deepEqual(at(loaded), [
      `${3 + 1000 * 7}:1 this item of the List is 0.1 MiB, over the 0.1 MiB limit for one object (etcd stores at most 1.5 MiB per object, the API server refuses a larger one); not linted`,
    ]);
    assert.equal(loaded.manifests.length, 1001);
  });
  it('refuses a List whose items share aliases, saying why', () => {
    const loaded = loadText(`kind: List\nitems:\n- &pv\n  kind: A\n- *pv\n${items(1000)}`, 'list.yaml', limit);
    assert.match(at(loaded).join(), /^1:1 this YAML document is 0\.1 MiB, .*; a kind: List this large is linted item by item, but not this one: it uses aliases/);
  });
});

describe('files that are not files', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cdk8s-stateful-special-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const mkfifo = (file: string) => spawnSync('mkfifo', [file]).status === 0;

  it('gives up on a FIFO without a writer instead of blocking, also as --config', async () => {
    const fifo = path.join(scratch, 'pipe.yaml');
    if (!mkfifo(fifo)) return;
    const result = await loadPaths([fifo], { fifoWaitMs: 100 });
    assert.deepEqual(result.errors.map((e) => e.message), [`${fifo}: is a FIFO (named pipe) that no program wrote to within 0.1 s; start the writer first, or pass a regular file`]);
    assert.throws(() => configFileSource(fifo), /cannot read the config file: is a FIFO \(named pipe\), not a regular file/);
  });

  it('reads a FIFO whose writer comes', async () => {
    const fifo = path.join(scratch, 'written.yaml');
    if (!mkfifo(fifo)) return;
    const writer = spawn('sh', ['-c', `sleep 0.2; printf 'kind: A\\n' > '${fifo}'`]);
    const result = await loadPaths([fifo], { fifoWaitMs: 5000 });
    writer.kill();
    assert.deepEqual([result.errors, result.manifests.map((m) => m.object.kind)], [[], ['A']]);
  });

  it('does not follow a directory symlink (to /) in a walk, skips special files, both with a note', async () => {
    const root = path.join(scratch, 'tree');
    mkdirSync(root);
    writeFileSync(path.join(root, 'a.yaml'), 'kind: A\n');
    symlinkSync('/', path.join(root, 'root'));
    const fifo = path.join(root, 'pipe.yaml');
    const haveFifo = mkfifo(fifo);
    const result = await loadPaths([root]);
    assert.deepEqual([result.errors, result.inputs], [[], [path.join(root, 'a.yaml')]]);
    assert.deepEqual(result.notes, [
      `a symbolic link to a directory not followed (${path.join(root, 'root')}); name the directory to lint it`,
      ...(haveFifo ? [`a special file (FIFO, device or socket) skipped (${fifo}); name it to read it`] : []),
    ]);
  });

  it('walks /proc/self without following its links out of the tree', { skip: process.platform !== 'linux' }, async () => {
    const started = Date.now();
    const result = await loadPaths(['/proc/self']);
    assert.ok(Date.now() - started < 30_000);
    assert.equal(result.manifests.length, 0);
    assert.ok((result.notes ?? []).some((note) => note.includes('not followed')));
  });

  it('names a device given as input instead of reading it forever', async () => {
    const result = await loadPaths(['/dev/zero']);
    assert.deepEqual(result.errors.map((e) => e.message), ['/dev/zero: is a character device, not a file of YAML text']);
  });

  it('prints no Node warning and no stack on the CLI for any of the hostile fixtures', async () => {
    let stderr = '';
    const code = await runCli(['lint', fixture('hostile'), fixture('non-kubernetes'), fixture('encoding')], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: Readable.from([]),
      isTTY: false,
      env: {},
    });
    assert.deepEqual([code, stderr], [1, '']);
  });
});
