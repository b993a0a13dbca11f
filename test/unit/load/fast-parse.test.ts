/**
 * The fast first pass (lib/load/fast-parse.ts) against the `yaml` path it stands in for: on real manifests, the
 * fixtures, the benchmark's corpus and a few thousand seeded mutations of them, every file the fast pass reads
 * (wholly, or all but the documents it leaves to the `yaml` path) must load to the same documents, values (types
 * and key order included), findings and positions (every key and list item, and paths that go past the end) as
 * the whole file through the `yaml` path; and the fast pass must read the ordinary manifests (else it buys nothing).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fastParse, recordTokens } from '../../../lib/load/fast-parse';
import { loadPaths, loadText, readFast } from '../../../lib/load/load';
import type { Path } from '../../../lib/core/types';
import { tokenOf } from '../../../lib/core/tokens';
import { generateCorpus, oneAppFile, seededRandom } from '../../bench/corpus';

const repoRoot = path.resolve(__dirname, '../../../..');
const realCorpus = [path.resolve(repoRoot, '../shared/corpus/real'), path.resolve(repoRoot, '../../shared/corpus/real')]
  .find((dir) => fs.existsSync(dir));

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

/** Every path to a node of `value`, and for each a step that does not exist below it. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix, [...prefix, 'no-such-key'], [...prefix, 9999]);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) pathsOf((value as Record<string, unknown>)[key], [...prefix, key], out);
  }
  return out;
}

function valueAt(value: unknown, p: Path): unknown {
  let node = value;
  for (const step of p) node = node instanceof Object ? (node as Record<string | number, unknown>)[step] : undefined;
  return node;
}

/** Which path read each document of `text`: `fast` and `yaml` hold document indexes; `file` when the fast pass read none. */
function pathsTaken(text: string): { fast: number[]; yaml: number[] } | 'file' {
  const read = readFast(text);
  return read === undefined ? 'file' : { fast: read.documents.map((d) => d.index), yaml: read.fallbacks.map((d) => d.index) };
}

/**
 * Asserts that `text` loads the same through the fast pass (documents it cannot read going to the `yaml` path one
 * by one) as the whole file through the `yaml` path; returns which path read which document.
 */
function assertSameAsYamlPath(text: string, name: string): ReturnType<typeof pathsTaken> {
  const taken = pathsTaken(text);
  const auto = loadText(text, name);
  const slow = loadText(text, name, { firstPass: 'yaml' });
  assert.deepEqual(auto.skipped, slow.skipped, `${name}: skipped documents`);
  assert.equal(auto.documents, slow.documents, `${name}: document count`);
  assert.deepEqual(auto.findings, slow.findings, `${name}: findings`);
  assert.equal(auto.manifests.length, slow.manifests.length, `${name}: manifests`);
  auto.manifests.forEach((manifest, i) => {
    const other = slow.manifests[i];
    assert.equal(manifest.docIndex, other.docIndex, `${name}: document index`);
    assert.deepStrictEqual(manifest.object, other.object, `${name}: values of document ${manifest.docIndex}`);
    assert.equal(JSON.stringify(manifest.object), JSON.stringify(other.object), `${name}: key order`);
    for (const p of pathsOf(manifest.object)) {
      assert.deepEqual(manifest.locate(p), other.locate(p), `${name}: position of ${JSON.stringify(p)} in document ${manifest.docIndex}`);
      if (p.length > 0) {
        const step = p[p.length - 1];
        assert.equal(tokenOf(valueAt(manifest.object, p.slice(0, -1)), step), tokenOf(valueAt(other.object, p.slice(0, -1)), step),
          `${name}: token of ${JSON.stringify(p)}`);
      }
    }
  });
  return taken;
}

/** Whether the fast pass read all of `text`. */
function readWhole(text: string, name: string): boolean {
  const taken = assertSameAsYamlPath(text, name);
  return taken !== 'file' && taken.yaml.length === 0;
}

const MUTATIONS = 2000;

const SNIPPETS = [
  ': ', ' #', '#', '- ', '-', '  ', '\t', '"', "'", '|', '|-', '|+', '>', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ',
  '---\n', '...\n', '\n', 'yes', 'on', 'No', '0777', '0x1F', '1_000', '1e3', '.inf', '-.5', '~', 'null', '<<: ', '? ',
  '2001-12-14', '12:30', '"\\u00e9\\n"', "'it''s'", '\\', 'key: value\n', '  - item\n', '\n  ', ':', '%YAML 1.1\n',
  '\ufeff', '\r\n', '__proto__: 1\n', 'constructor: x\n', '0: zero\n', 'true: t\n',
  // Words and small integers the fast pass resolves without resolve.ts, and their edges.
  '42', '999999999999999', '9999999999999999', '007', '500m', '1Gi', '1_0', '2001-12-14T21:59:43Z',
  // A tab is white space after an indicator as a space is (`-\tx` is a list item, `k:\tv` a pair).
  ':\t', '-\t', '?\t', '\t#',
];

/** A seeded edit of `text`: a snippet inserted, a range deleted, a line repeated or re-indented. */
function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 5)) {
    case 0:
    case 1:
      return text.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 12));
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    default: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines[i] = random() < 0.5 ? ` ${lines[i]}` : lines[i].replace(/^ /, '');
      return lines.join('\n');
    }
  }
}

describe('fast first pass', () => {
  const fixtures = yamlFiles(path.join(repoRoot, 'test/fixtures'));
  const real = realCorpus ? yamlFiles(realCorpus) : [];

  it('reads the real corpus exactly as the yaml path does, and reads most of it itself', { skip: realCorpus ? false : 'no ../shared/corpus/real' }, () => {
    let fast = 0;
    for (const file of real) if (readWhole(fs.readFileSync(file, 'utf8'), file)) fast++;
    assert.ok(fast >= 0.9 * real.length, `the fast pass read ${fast} of ${real.length} real files`);
  });

  it('reads the fixtures exactly as the yaml path does', () => {
    for (const file of fixtures) assertSameAsYamlPath(fs.readFileSync(file, 'utf8'), file);
  });

  it('reads the benchmark corpus itself, planted duplicate keys included, as the yaml path does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-parse-'));
    try {
      const corpus = generateCorpus({ dir, documents: 300, files: 30, seed: 7, brokenShare: 0.5 });
      let duplicates = 0;
      for (const file of yamlFiles(dir)) {
        const text = fs.readFileSync(file, 'utf8');
        assert.ok(readWhole(text, file), `fast pass on ${file}`);
        const planted = (corpus.defectsByFile.get(file) ?? []).includes('duplicate-key');
        const found = readFast(text)!.documents.some((doc) => doc.duplicates !== undefined);
        assert.equal(found, planted, `duplicate key read in ${file}`);
        if (planted) duplicates++;
      }
      assert.ok(duplicates > 0, 'the corpus has planted duplicate keys');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(fastParse(oneAppFile()), 'one clean app');
  });

  it('reads YAML 1.1 scalars as the yaml path does', () => {
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'a: yes', 'b: No', 'c: on', 'd: OFF', 'e: 0777', 'f: 0x1F', 'g: 1_000', 'h: 1e3', 'i: 0o17', 'j: -0', 'k: 0xFFFFFFFFFFFFFFFFFFFF',
      'l: ~', 'm: null', 'nn:', 'o: 2001-12-14', 'p: 12:30', 'q: "0777"', "r: 'yes'", 's: 0b101', 't: +12', 'u: 1.5',
      'v: "tab\\there \\u00e9"', "w: 'it''s'", 'x: [1, "2", three, {yy: n}]', 'z: {}', 'aa: []', 'bb: |', '  line 1', '',
      '  line 3', '', 'cc: |-', '  kept', 'dd: text # comment', 'ee: http://example.com:8080/path', 'ff: -c', 'gg: a#b',
    ].join('\n');
    assert.ok(readWhole(text, 'scalars.yaml'), 'the fast pass reads these');
    const object = loadText(text, 'scalars.yaml').manifests[0].object as Record<string, unknown>;
    assert.equal(object.a, true);
    assert.equal(object.e, 511);
    assert.equal(object.o, '2001-12-14');
    assert.equal(object.bb, 'line 1\n\nline 3\n');
    assert.equal(tokenOf(object, 'e'), '0777', 'the token the user wrote is kept for messages');
    assert.equal(tokenOf(object.x, 0), undefined);
  });

  it('gives anchors, tags, merge keys, null keys, .inf, multi-line scalars and non-objects to the yaml path', () => {
    const cases = [
      'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'base: &b {x: 1}\nc:\n  <<: *b\n', 'a: 1\na: 2\n', 'a: one\n  two\n',
      'a: "one\n  two"\n', 'a: >\n  folded\n', '%YAML 1.1\n---\na: 1\n', 'kind: List\nitems: [{kind: Pod}]\n',
      'a:\n\tb: 1\n', '- a\n- b\n', 'kind: A\na: .inf\n', 'kind: A\n~: 1\n', 'a: 1\n', 'kind: A\n<<: {b: 1}\n', 'a: 1\r\nb: 2\r\n', '__proto__: 1\n', '0: zero\n', 'on: 1\n',
      'apiVersion: v1\nkind: A\nmetadata: {name: a}\nx: 1\n"0": 2\n', "apiVersion: v1\nkind: A\nmetadata: {'1': a, b: c}\n",
    ];
    for (const text of cases) {
      assert.equal(fastParse(text), undefined, JSON.stringify(text));
      assertSameAsYamlPath(text, 'case.yaml');
    }
  });

  it('leaves a key whose `:` is more than 1,024 characters from its start to the yaml path, which refuses it', () => {
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    for (const [key, refused] of [['k'.repeat(1024), false], ['k'.repeat(1025), true], [`"${'k'.repeat(1022)}"`, false], [`"${'k'.repeat(1023)}"`, true]] as const) {
      const text = `${head}${key}: v\n`;
      assert.equal(fastParse(text) === undefined, refused, `${key.length} characters`);
      assertSameAsYamlPath(text, `key-${key.length}.yaml`);
      assert.equal(loadText(text, 'k.yaml').findings.length > 0, refused);
    }
  });

  it('reads a tab after `-`, `?` or `:` as the yaml path does: an indicator, not part of a plain scalar', () => {
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    const cases = ['a: -\tb\n', '-\tb: c\n', 'a: ?\tb\n', 'a: :\tb\n', 'a: b:\tc\n', 'a: b:\t\n', 'a:\tb: c\n', 'a:\n- -\tb\n',
      'a:\n- b:\tc\n', 'a:\n- ?\tb\n', 'a:\n- b\n-\tc\n', 'a: [-\tb]\n', 'a: {b:\tc}\n'];
    for (const body of cases) assertSameAsYamlPath(head + body, JSON.stringify(body));
    // Spaces there, and tabs elsewhere, the fast pass reads itself.
    assert.deepEqual(pathsTaken(`${head}a: b\t# c\nd:\n- e\t: f\n`), { fast: [0], yaml: [] });
  });

  it('reads every key as its own text, whatever keys were read before it (keys are reused by their text)', () => {
    // `Aa` and `BB` have the same length and the same hash: the reader must tell them apart by their text.
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: c', 'x:', '  Aa: 1', '  BB: 2', '  yes: 3', '  .5: 4', '  on : 5',
      'z:', '  BB: 6', '  Aa: 7', '  Aa : 8', '  "BB": 9', '  y: 10', '  1.5: 11',
    ].join('\n');
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(pathsTaken(text), { fast: [0], yaml: [] });
      assertSameAsYamlPath(text, 'keys.yaml');
      const { x, z } = loadText(text, 'keys.yaml').manifests[0].object as Record<string, unknown>;
      assert.deepEqual(x, { Aa: 1, BB: 2, true: 5, '0.5': 4 });
      assert.deepEqual(z, { BB: 9, Aa: 8, true: 10, '1.5': 11 });
    }
  });

  it('reads repeated keys as the yaml path does: the last value at the first key, its positions, the same findings', () => {
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cm', '  name: cm2', 'a: 0777', 'b: [1, 2]', 'a: 5', 'c: x',
      'a: "quoted"', 'spec:', '  x: 0x10', '  y: {z: 1}', '  x:', '    deep: yes', '  x: on # kept', 'list:', '- k: 1', '  k:',
      '- k: |', '    text', '  k: ~', 'spec:', '  only: 1', 'e:', 'e:   # nothing', 'long: short',
      `long: ${'x'.repeat(60)}`, 'num: 1', 'num: "1"', 'm: one', 'm: 1e3',
    ].join('\n');
    assert.deepEqual(pathsTaken(text), { fast: [0], yaml: [] }, 'the fast pass reads repeated keys');
    assertSameAsYamlPath(text, 'repeated.yaml');
    const [manifest] = loadText(text, 'repeated.yaml').manifests;
    assert.deepEqual(Object.keys(manifest.object), ['apiVersion', 'kind', 'metadata', 'a', 'b', 'c', 'spec', 'list', 'e', 'long', 'num', 'm']);
    assert.equal(manifest.object.a, 'quoted');
    assert.equal(tokenOf(manifest.object, 'a'), '0777', 'decode.ts leaves the token of the replaced value: so does the fast pass');
    assert.deepEqual(manifest.object.spec, { only: 1 });
    assert.deepEqual(manifest.locate(['spec', 'only']), { line: 24, column: 3 });
    const findings = loadText(text, 'repeated.yaml').findings;
    assert.ok(findings.length >= 10 && findings.every((f) => f.rule === 'yaml-syntax' && f.object?.name === 'cm2'));
    assert.ok(findings.some((f) => f.message === 'duplicate key "x"; kubectl would silently keep the last value (on)'));
  });

  it('records the tokens of a document that crossed threads (a copy) from its slots, as the reading thread did', () => {
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cm', 'a: 0777', 'a: [0x1F, yes, 1e3]', 'b: {c: on, d: [0o7, x]}',
      'list:', '- e: 0b11', '  e: 1_000', '- 0x10', '- f: ~', 'g: 0777', 'g: {h: No}', 'i: 1', 'i: 010',
      'j: 0777', 'j: 0x10',
    ].join('\n');
    const [doc] = fastParse(text)!.documents;
    const copy = { ...doc, object: structuredClone(doc.object) };
    recordTokens(copy);
    const paths = pathsOf(doc.object).filter((p) => p.length > 0);
    const tokensIn = (object: unknown) => paths.map((p) => tokenOf(valueAt(object, p.slice(0, -1)), p[p.length - 1]));
    assert.deepEqual(tokensIn(copy.object), tokensIn(doc.object));
    assert.equal(tokensIn(doc.object).filter((token) => token !== undefined).length, 12);
    assert.equal(tokenOf(copy.object, 'a'), '0777', 'a replaced value leaves its token');
    assert.equal(tokenOf(copy.object, 'i'), '010', 'a replacing value brings its own');
    assert.equal(tokenOf(copy.object, 'j'), '0x10', 'and replaces the token of the value it replaces');
  });

  it('leaves a document of many repeated keys to the yaml path, which finds them in linear time', () => {
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n';
    const repeated = (n: number) => head + Array.from({ length: n }, (_, i) => `  a: "${i}"\n  b${i}: x\n`).join('');
    const few = `${repeated(66)}---\n${head}`;
    assert.deepEqual(pathsTaken(few), { fast: [1], yaml: [0] });
    assertSameAsYamlPath(few, 'few.yaml');
    assert.deepEqual(pathsTaken(repeated(65)), { fast: [0], yaml: [] }, "64 repeats: fast");
    const many = loadText(repeated(5_000), 'many.yaml');
    assert.equal(many.findings.length, 4_999);
    assert.equal((many.manifests[0].object.data as Record<string, string>).a, '4999');
  });

  it('leaves only the documents it cannot read to the yaml path, each with its index, lines and findings', async () => {
    const doc = (kind: string, body: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${kind.toLowerCase()}\n${body}`;
    const documents = [
      doc('Fast', 'a: 1\n'),
      doc('Anchored', 'a: &shared 1\nb: *shared\n'),
      '# only a comment\n',
      doc('Repeated', 'a: 1\na: 2\n'),
      doc('Broken', 'a: [1, 2\nb: 3\n'),
      'apiVersion: v1\nkind: List\nitems:\n- ' + doc('Item', 'a: 1\n').replace(/\n(?=.)/g, '\n  '),
      'just: some values\n',
      doc('Alias', 'a: *shared\n'),
      doc('Multiline', 'a: one\n  two\n'),
      doc('Last', 'a: "x"\n'),
    ];
    const text = `# leading comment\n${documents.join('---\n')}`;
    assert.deepEqual(pathsTaken(text), { fast: [0, 3, 9], yaml: [1, 4, 5, 6, 7, 8] });
    assertSameAsYamlPath(text, 'mixed.yaml');
    const loaded = loadText(text, 'mixed.yaml');
    assert.deepEqual(loaded.manifests.map((m) => [m.docIndex, m.object.kind]),
      [[0, 'Fast'], [1, 'Anchored'], [3, 'Repeated'], [5, 'Item'], [8, 'Multiline'], [9, 'Last']]);
    assert.deepEqual(loaded.findings.map((f) => [f.line, f.column, f.message.slice(0, 40)]), [
      [22, 1, 'duplicate key "a"; kubectl would silentl'],
      [29, 1, 'invalid YAML: Flow sequence in block col'],
      [46, 4, 'alias *shared refers to the anchor &shar'],
    ]);
    assert.deepEqual(loaded.skipped, [{ file: 'mixed.yaml', line: 40 }]);
    assert.deepEqual(loaded.manifests[4].locate(['a']), { line: 52, column: 1 });

    // Through a worker thread the same: the thread reads, the main thread loads what it left.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-parse-'));
    try {
      fs.writeFileSync(path.join(dir, 'mixed.yaml'), text);
      const threaded = await loadPaths([dir], { jobs: 2 });
      const file = path.join(dir, 'mixed.yaml');
      const direct = loadText(text, file);
      assert.deepEqual(threaded.findings, direct.findings);
      assert.deepEqual(threaded.manifests.map((m) => [m.docIndex, m.object, m.locate(['metadata', 'name'])]),
        direct.manifests.map((m) => [m.docIndex, m.object, m.locate(['metadata', 'name'])]));
      assert.equal(threaded.documents, direct.documents);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the whole file to the yaml path for what concerns the file, or when it reads no document', () => {
    const good = 'apiVersion: v1\nkind: A\nmetadata:\n  name: a\n';
    for (const text of [`%YAML 1.1\n---\n${good}`, `${good}...\n---\n${good}`, `${good}--- a: 1\n${good}`, `${good}---\n${good}`.replace(/\n/g, '\r\n'),
      `\ufeff${good}`, `a: &x 1\n---\nb: *x\n`]) {
      assert.equal(pathsTaken(text), 'file', JSON.stringify(text));
      assertSameAsYamlPath(text, 'file.yaml');
    }
  });

  it('agrees with the whole-file yaml path on 1,500 files of several documents, one of them mutated', () => {
    const random = seededRandom(31);
    const pieces = [oneAppFile(), ...real.slice(0, 30).map((f) => fs.readFileSync(f, 'utf8')), ...fixtures.slice(0, 30).map((f) => fs.readFileSync(f, 'utf8'))]
      .flatMap((text) => text.split(/^---[^\n]*\n/m))
      .filter((piece) => piece.trim() !== '' && piece.length < 3000);
    let mixed = 0;
    for (let i = 0; i < 1500; i++) {
      const documents = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pieces[Math.floor(random() * pieces.length)]);
      const target = Math.floor(random() * documents.length);
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) documents[target] = mutate(documents[target], random);
      const taken = assertSameAsYamlPath(documents.join(random() < 0.5 ? '---\n' : '--- # next\n'), `documents-${i}.yaml`);
      if (taken !== 'file' && taken.yaml.length > 0) mixed++;
    }
    assert.ok(mixed > 150, `only ${mixed} of 1,500 files mixed documents the fast pass read with documents it left to the yaml path`);
  });

  it('agrees with the yaml path on 2,000 seeded mutations of real and generated manifests', () => {
    const random = seededRandom(13);
    const seeds = [oneAppFile(), ...real.slice(0, 40).map((f) => fs.readFileSync(f, 'utf8')), ...fixtures.slice(0, 40).map((f) => fs.readFileSync(f, 'utf8'))]
      .map((text) => text.slice(0, 2500));
    let fast = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      let text = seeds[i % seeds.length];
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) text = mutate(text, random);
      if (readWhole(text, `mutation-${i}.yaml`)) fast++;
    }
    assert.ok(fast > MUTATIONS / 10, `the fast pass read only ${fast} of ${MUTATIONS} mutations: the comparison tested little`);
  });
});
