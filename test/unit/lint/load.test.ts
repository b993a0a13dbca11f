import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { loadPaths, loadText } from '../../../lib/load/load';

const repoRoot = path.resolve(__dirname, '../../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/load');

const STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  template:
    spec:
      containers:
      - name: nginx
        image: nginx
      - name: sidecar
        image: busybox
`;

function onlyManifest(text: string) {
  const result = loadText(text, 'in.yaml');
  assert.deepEqual(result.findings, []);
  assert.equal(result.manifests.length, 1);
  return result.manifests[0];
}

describe('loadText: positions', () => {
  it('points at the key of the deepest node along the path', () => {
    const manifest = onlyManifest(STATEFULSET);
    assert.deepEqual(manifest.locate(['spec', 'serviceName']), { line: 6, column: 3 });
    assert.deepEqual(manifest.locate(['metadata', 'name']), { line: 4, column: 3 });
    assert.deepEqual(manifest.locate(['spec', 'template', 'spec', 'containers', 1, 'image']), { line: 14, column: 9 });
  });

  it('points at the start of an array element', () => {
    const manifest = onlyManifest(STATEFULSET);
    assert.deepEqual(manifest.locate(['spec', 'template', 'spec', 'containers', 1]), { line: 13, column: 9 });
  });

  it('stops at the deepest node that exists, and at the document start for a missing first step', () => {
    const manifest = onlyManifest(STATEFULSET);
    assert.deepEqual(manifest.locate(['spec', 'volumeClaimTemplates', 0, 'spec']), { line: 5, column: 1 });
    assert.deepEqual(manifest.locate(['status']), { line: 1, column: 1 });
    assert.deepEqual(manifest.locate([]), { line: 1, column: 1 });
  });

  it('counts lines across documents and points into the second one', () => {
    const result = loadText(`# leading comment\n---\n${STATEFULSET}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n`, 'in.yaml');
    assert.equal(result.manifests.length, 2);
    assert.deepEqual(result.manifests[0].locate(['spec', 'replicas']), { line: 9, column: 3 });
    assert.deepEqual(result.manifests[1].locate(['metadata', 'name']), { line: 21, column: 3 });
    assert.deepEqual(result.manifests.map((m) => m.docIndex), [0, 1]);
  });

  it('points at the last of duplicate keys, the value Kubernetes keeps', () => {
    const result = loadText('kind: Service\nmetadata:\n  name: a\n  name: b\n', 'in.yaml');
    assert.deepEqual(result.manifests[0].locate(['metadata', 'name']), { line: 4, column: 3 });
  });
});

describe('loadText: Kubernetes YAML semantics', () => {
  it('reads YAML 1.1 booleans and octals, but keeps timestamps and 1:20 as strings like go-yaml', () => {
    const manifest = onlyManifest('kind: T\na: yes\nb: on\nc: No\nd: 0777\ne: 2001-12-14\nf: 12:30\ng: "yes"\nh: 1_000\n');
    assert.deepEqual(manifest.object, { kind: 'T', a: true, b: true, c: false, d: 511, e: '2001-12-14', f: '12:30', g: 'yes', h: 1000 });
  });

  it('reads a byte-order mark and CRLF line ends without shifting positions', () => {
    const manifest = onlyManifest('\ufeffkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n');
    assert.deepEqual([manifest.object, manifest.locate(['metadata', 'name'])], [{ kind: 'ConfigMap', metadata: { name: 'a' } }, { line: 3, column: 3 }]);
  });

  it('expands ordinary anchors and aliases', () => {
    const manifest = onlyManifest('kind: T\nenv: &env [{name: A, value: "1"}]\nagain: *env\n');
    assert.deepEqual(manifest.object.again, [{ name: 'A', value: '1' }]);
  });

  it('lets a quoted scalar continue on lines indented less than its key, as go-yaml does', () => {
    const text = "kind: T\nmetadata:\n  annotations:\n    init: '[\n      {\"name\": \"init\"}\n    ]'\n    other: x\nspec: 1\n";
    const manifest = onlyManifest(text);
    assert.deepEqual(manifest.object, { kind: 'T', metadata: { annotations: { init: '[ {"name": "init"} ]', other: 'x' } }, spec: 1 });
    assert.deepEqual(manifest.locate(['metadata', 'annotations', 'other']), { line: 7, column: 5 });
  });

  it('ends an unterminated quoted scalar at the next document marker', () => {
    const result = loadText('a: "unterminated\n---\nkind: T\nb: 1\n', 'u.yaml');
    assert.deepEqual(result.findings.map((f) => [f.line, f.column, f.message]), [[1, 17, 'invalid YAML: Missing closing "quote']]);
    assert.deepEqual(result.manifests.map((m) => m.object), [{ kind: 'T', b: 1 }]);
  });

  it('expands merge keys', () => {
    const manifest = onlyManifest('kind: T\nbase: &base {a: 1, b: 2}\nmerged:\n  <<: *base\n  b: 3\n');
    assert.deepEqual(manifest.object.merged, { a: 1, b: 3 });
  });

  it('reports a duplicate key at the duplicate and keeps the last value', () => {
    const result = loadText('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 3\n  replicas: 5\n', 'db.yaml');
    assert.deepEqual(result.findings, [
      {
        rule: 'yaml-syntax',
        severity: 'error',
        message: 'duplicate key "replicas"; kubectl would silently keep the last value (5)',
        file: 'db.yaml',
        line: 7,
        column: 3,
        object: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' },
      },
    ]);
    assert.equal((result.manifests[0].object.spec as { replicas: number }).replicas, 5);
  });

  it('reports every repetition of a key in flow and block mappings, quoting strings and naming collections', () => {
    const result = loadText('kind: T\na: {x: 1, x: "two"}\nb: 1\nb: [1]\nb: {}\n', 'in.yaml');
    assert.deepEqual(
      result.findings.map((f) => [f.line, f.column, f.message]),
      [
        [2, 11, 'duplicate key "x"; kubectl would silently keep the last value ("two")'],
        [4, 1, 'duplicate key "b"; kubectl would silently keep the last value (a mapping)'],
        [5, 1, 'duplicate key "b"; kubectl would silently keep the last value (a mapping)'],
      ],
    );
  });

  it('expands kind: List into one manifest per item, located inside the list', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata: {name: one}',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata:',
      '    name: two',
      '',
    ].join('\n');
    const result = loadText(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n---\n${text}`, 'list.yaml');
    assert.deepEqual(result.findings, []);
    assert.equal(result.documents, 2);
    assert.deepEqual(
      result.manifests.map((m) => [m.docIndex, m.object.metadata?.name]),
      [[0, 'ns'], [1, 'one'], [1, 'two']],
    );
    assert.deepEqual(result.manifests[2].locate(['metadata', 'name']), { line: 14, column: 5 });
    assert.deepEqual(result.manifests[1].locate(['spec']), { line: 8, column: 3 });
  });

  it('reports list items that are not objects', () => {
    const result = loadText('apiVersion: v1\nkind: List\nitems:\n- 42\n', 'list.yaml');
    assert.equal(result.manifests.length, 0);
    assert.deepEqual(result.findings.map((f) => [f.rule, f.line, f.column, f.message]), [
      ['schema', 4, 3, 'items[0] of the List is a number, not a Kubernetes object'],
    ]);
  });
});

describe('loadText: bad input', () => {
  it('says what the parser\'s terms mean for a line that is not `key: value`', () => {
    for (const text of ['kind: A\nstray words\n', 'kind: A\nmetadata:\n  name x\n  labels:\n    a: b\n']) {
      const [finding] = loadText(text, 'bad.yaml').findings;
      assert.match(finding.message, /^invalid YAML: Implicit .*\(a line inside a mapping is not `key: value`: a key lacks its colon, or stray text is left in the file\)$/);
    }
    const [unclosed] = loadText('kind: A\nmetadata: "x\n', 'bad.yaml').findings;
    assert.doesNotMatch(unclosed.message, /key: value/, 'a missing quote is not a missing colon');
  });

  it('reports a syntax error at its line and column, once, and keeps the other documents', () => {
    const result = loadText('kind: A\n---\nkind: B\nmetadata:\n  name: x\n   bad: 1\n---\nkind: C\n', 'bad.yaml');
    assert.deepEqual(result.findings, [
      {
        rule: 'yaml-syntax',
        severity: 'error',
        message: 'invalid YAML: Nested mappings are not allowed in compact mappings (a value reads as `key: value`: quote ' +
          'it if it is one string (`command: "echo a: b"`), or indent the line as its sibling keys if it is a key of its own)',
        file: 'bad.yaml',
        line: 5,
        column: 9,
      },
    ]);
    assert.deepEqual(result.manifests.map((m) => m.object.kind), ['A', 'C']);
    assert.equal(result.documents, 3);
  });

  it('reports only the first syntax error of a document, not the cascade after it', () => {
    const result = loadText('kind: T\na: [1, 2\nb: {c: d\ne: ]]]\n', 'bad.yaml');
    assert.equal(result.findings.length, 1);
  });

  it('reports a tab used as indentation', () => {
    const result = loadText('kind: A\nmetadata:\n\tname: x\n', 'tab.yaml');
    assert.deepEqual(result.findings.map((f) => [f.line, f.column, f.message]), [[3, 1, 'invalid YAML: Tabs are not allowed as indentation']]);
  });

  it('reports a tab right after a block "-", "?" or the ":" of a "?" key, which go-yaml cannot start a token with', () => {
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    const refused: ReadonlyArray<[string, number, number, string]> = [
      ['a:\n-\tb\n', 6, 2, '-'],
      ['a:\n- \t# c\n  - b\n', 6, 3, '-'],
      ['a:\n- b\n-\tc\n', 7, 2, '-'],
      ['a:\n  ?\tk\n  : v\n', 6, 4, '?'],
      ['a:\n  ? k\n  :\tv\n', 7, 4, ':'],
    ];
    for (const [body, line, column, indicator] of refused) {
      const result = loadText(head + body, 'tab.yaml');
      assert.deepEqual(result.findings.map((f) => [f.rule, f.line, f.column]), [['yaml-syntax', line, column]], JSON.stringify(body));
      assert.match(result.findings[0].message, new RegExp(`tab right after "\\${indicator}".*cannot start any token.*use a space`));
    }
    // After a simple key's ":", after a token on the line, and in flow collections, libyaml skips tabs.
    for (const body of ['a:\tb\n', 'a:\n- b:\tc\n', 'a:\n- &x\tb\n', 'a: b\t# c\n', 'a: [\tb, c]\n', 'a: {? b\t: c}\n']) {
      assert.deepEqual(loadText(head + body, 'tab.yaml').findings, [], JSON.stringify(body));
    }
  });

  it('reports a binary file once', () => {
    const result = loadText('\u0000\u0001ELF\u0000', 'a.out');
    assert.deepEqual(result.findings, [
      { rule: 'yaml-syntax', severity: 'error', message: 'not a text file (it contains NUL bytes); only YAML files can be linted', file: 'a.out', line: 1, column: 1 },
    ]);
    assert.equal(result.manifests.length, 0);
  });

  it('skips empty files, comment-only and null documents', () => {
    for (const text of ['', '\n\n', '# nothing here\n', '---\n---\n', '---\n# c\n...\n', '~\n', 'null\n']) {
      const result = loadText(text, 'empty.yaml');
      assert.deepEqual([result.findings, result.manifests.length, result.documents, result.files], [[], 0, 0, 1], JSON.stringify(text));
    }
  });

  it('reports a scalar document as not a Kubernetes object, and skips a list (a JSON patch) with a note', () => {
    const result = loadText('just some text\n---\n- a\n- b\n---\n42\n', 'odd.yaml');
    assert.deepEqual(result.findings.map((f) => [f.rule, f.line, f.column, f.message]), [
      ['schema', 1, 1, 'the document is a scalar, not a Kubernetes object; expected a mapping with apiVersion and kind'],
      ['schema', 6, 1, 'the document is a scalar, not a Kubernetes object; expected a mapping with apiVersion and kind'],
    ]);
    assert.deepEqual(result.skipped, [{ file: 'odd.yaml', line: 3 }]);
    assert.equal(result.documents, 3);
  });

  it('refuses to expand a billion-laughs alias bomb, quickly', () => {
    const levels = ['kind: T\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const result = loadText(`${levels.join('\n')}\n`, 'bomb.yaml');
    assert.ok(Date.now() - started < 2000, 'bounded time');
    assert.deepEqual(result.findings.map((f) => [f.line, f.message]), [
      [3, 'aliases expand to too many nodes (a "billion laughs" document); Kubernetes refuses it too ("document contains excessive aliasing")'],
    ]);
    assert.equal(result.manifests.length, 0);
  });

  it('finds a duplicate among 100,000 keys in linear time (a quadratic check would take minutes)', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `  k${i}: v`).join('\n');
    const started = Date.now();
    const result = loadText(`kind: T\ndata:\n${keys}\n  k7: again\n`, 'wide.yaml');
    assert.ok(Date.now() - started < 30_000, 'bounded time');
    assert.deepEqual(result.findings.map((f) => [f.line, f.message]), [
      [100_003, 'duplicate key "k7"; kubectl would silently keep the last value ("again")'],
    ]);
  });

  it('reports deep nesting instead of overflowing the stack (flow and block)', () => {
    const flow = `kind: T\na: ${'['.repeat(50000)}${']'.repeat(50000)}\n`;
    const flowResult = loadText(flow, 'deep.yaml');
    assert.deepEqual(flowResult.findings.map((f) => [f.rule, f.message]), [
      ['yaml-syntax', 'nesting too deep to parse; no Kubernetes object is that deep'],
    ]);
    const block = 'kind: T\n' + Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n';
    const blockResult = loadText(block, 'deep.yaml');
    assert.deepEqual(blockResult.findings.map((f) => [f.line, f.message]), [
      [103, 'nesting deeper than 100 levels; no Kubernetes object is that deep'],
    ]);
  });
});

describe('loadPaths', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cdk8s-stateful-load-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('walks directories recursively in sorted order, YAML files only, skipping dot-directories', async () => {
    const result = await loadPaths([path.join(fixtures, 'tree')]);
    assert.deepEqual(result.errors, []);
    const relative = result.inputs.map((file) => path.relative(fixtures, file).split(path.sep).join('/'));
    assert.deepEqual(relative, ['tree/a.yaml', 'tree/b/c.yml', 'tree/b/d.yaml', 'tree/z.YAML']);
    assert.equal(result.files, 4);
    assert.deepEqual(result.manifests.map((m) => m.object.metadata?.name), ['a', 'c', 'd', 'z']);
  });

  it('tells the size of the files it will read once, before reading the first', async () => {
    const calls: string[] = [];
    const result = await loadPaths([path.join(fixtures, 'tree')], {
      onInputSize: (bytes) => calls.push(`size ${bytes}`),
      onFile: (index) => calls.push(`file ${index}`),
    });
    const bytes = result.inputs.reduce((sum, file) => sum + statSync(file).size, 0);
    assert.ok(bytes > 0);
    assert.deepEqual(calls, [`size ${bytes}`, 'file 0', 'file 1', 'file 2', 'file 3']);
  });

  it('does not walk into node_modules, but reads it when named', async () => {
    const root = path.join(scratch, 'walk');
    mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', 'dep', 'chart.yaml'), 'kind: A\n');
    writeFileSync(path.join(root, 'app.yaml'), 'kind: B\n');
    assert.deepEqual((await loadPaths([root])).inputs, [path.join(root, 'app.yaml')]);
    assert.deepEqual((await loadPaths([path.join(root, 'node_modules')])).inputs, [path.join(root, 'node_modules', 'dep', 'chart.yaml')]);
  });

  it('reads a file named explicitly whatever its extension, and a file reached twice once', async () => {
    const file = path.join(fixtures, 'tree/notes.txt');
    const result = await loadPaths([file, path.join(fixtures, 'tree/a.yaml'), path.join(fixtures, 'tree')]);
    assert.deepEqual(result.errors, []);
    assert.equal(result.files, 5);
    assert.equal(result.findings[0].file, file);
  });

  it('names a missing path', async () => {
    const missing = path.join(scratch, 'missing.yaml');
    const result = await loadPaths([missing]);
    assert.deepEqual(result.errors, [{ file: missing, message: `${missing}: no such file or directory` }]);
  });

  it('names a path that cannot be read', async () => {
    const file = path.join(scratch, 'plain.yaml');
    writeFileSync(file, 'kind: A\n');
    const below = path.join(file, 'x.yaml');
    const result = await loadPaths([below]);
    assert.deepEqual(result.errors.map((e) => e.message), [`${below}: not a directory`]);
  });

  it('names a file without read permission', { skip: process.getuid?.() === 0 ? 'running as root, which reads anything' : false }, async () => {
    const file = path.join(scratch, 'secret.yaml');
    writeFileSync(file, 'kind: A\n');
    chmodSync(file, 0o000);
    const result = await loadPaths([file]);
    assert.deepEqual(result.errors.map((e) => e.message), [`${file}: permission denied`]);
  });

  it('survives a directory symlink loop and reports a file symlink loop', async () => {
    const root = path.join(scratch, 'loop');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    writeFileSync(path.join(root, 'sub', 'ok.yaml'), 'kind: A\n');
    symlinkSync('..', path.join(root, 'sub', 'parent'));
    symlinkSync('self.yaml', path.join(root, 'self.yaml'));
    const result = await loadPaths([root]);
    assert.deepEqual(result.inputs, [path.join(root, 'sub', 'ok.yaml')]);
    assert.deepEqual(result.errors.map((e) => e.message), [
      `${path.join(root, 'self.yaml')}: too many levels of symbolic links (a symlink loop?)`,
    ]);
  });

  it('refuses a file over the size limit, saying how to raise it', async () => {
    const file = path.join(scratch, 'big.yaml');
    writeFileSync(file, `a: "${'x'.repeat(3 * 1024 * 1024)}"\n`);
    const result = await loadPaths([file], { maxFileSize: 2 * 1024 * 1024 });
    assert.deepEqual(result.errors.map((e) => e.message), [
      `${file}: 3 MiB is over the 2 MiB limit for one file; raise it with --max-file-size <MiB>`,
    ]);
    assert.equal(result.files, 0);
  });

  it('reads - from stdin, as <stdin>, with the same limit', async () => {
    const ok = await loadPaths(['-'], { stdin: Readable.from([Buffer.from('kind: A\nmetadata:\n  name: x\n')]) });
    assert.deepEqual([ok.inputs, ok.manifests[0].file, ok.manifests[0].locate(['metadata', 'name'])], [['<stdin>'], '<stdin>', { line: 3, column: 3 }]);
    const big = await loadPaths(['-'], { stdin: Readable.from([Buffer.alloc(1536 * 1024, 0x61)]), maxFileSize: 1024 * 1024 });
    assert.deepEqual(big.errors.map((e) => e.message), ['<stdin>: more than 1.5 MiB is over the 1 MiB limit for one file; raise it with --max-file-size <MiB>']);
  });
});
