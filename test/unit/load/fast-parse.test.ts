/**
 * The fast first pass (lib/load/fast-parse.ts) against the `yaml` path it stands in for: on real manifests, the
 * fixtures, the benchmark's corpus and a few thousand seeded mutations of them, every file the fast pass reads
 * must load to the same documents, values (types and key order included), findings and positions (every key and
 * list item, and paths that go past the end) as through the `yaml` path; and the fast pass must read the ordinary
 * manifests (else it buys nothing).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fastParse } from '../../../lib/load/fast-parse';
import { loadText } from '../../../lib/load/load';
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

/** Asserts that `text` loads the same through both passes; returns whether the fast pass read it. */
function assertSameAsYamlPath(text: string, name: string): boolean {
  const fast = fastParse(text) !== undefined;
  const auto = loadText(text, name);
  const slow = loadText(text, name, { firstPass: 'yaml' });
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
  return fast;
}

const MUTATIONS = 2000;

const SNIPPETS = [
  ': ', ' #', '#', '- ', '-', '  ', '\t', '"', "'", '|', '|-', '|+', '>', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ',
  '---\n', '...\n', '\n', 'yes', 'on', 'No', '0777', '0x1F', '1_000', '1e3', '.inf', '-.5', '~', 'null', '<<: ', '? ',
  '2001-12-14', '12:30', '"\\u00e9\\n"', "'it''s'", '\\', 'key: value\n', '  - item\n', '\n  ', ':', '%YAML 1.1\n',
  '\ufeff', '\r\n', '__proto__: 1\n', 'constructor: x\n', '0: zero\n', 'true: t\n',
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
    for (const file of real) if (assertSameAsYamlPath(fs.readFileSync(file, 'utf8'), file)) fast++;
    assert.ok(fast >= 0.9 * real.length, `the fast pass read ${fast} of ${real.length} real files`);
  });

  it('reads the fixtures exactly as the yaml path does', () => {
    for (const file of fixtures) assertSameAsYamlPath(fs.readFileSync(file, 'utf8'), file);
  });

  it('reads the benchmark corpus itself (every file without a planted duplicate key), as the yaml path does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-parse-'));
    try {
      const corpus = generateCorpus({ dir, documents: 150, files: 15, seed: 7, brokenShare: 0.2 });
      for (const file of yamlFiles(dir)) {
        const read = assertSameAsYamlPath(fs.readFileSync(file, 'utf8'), file);
        assert.equal(read, !(corpus.defectsByFile.get(file) ?? []).includes('duplicate-key'), `fast pass on ${file}`);
      }
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
    assert.ok(assertSameAsYamlPath(text, 'scalars.yaml'), 'the fast pass reads these');
    const object = loadText(text, 'scalars.yaml').manifests[0].object as Record<string, unknown>;
    assert.equal(object.a, true);
    assert.equal(object.e, 511);
    assert.equal(object.o, '2001-12-14');
    assert.equal(object.bb, 'line 1\n\nline 3\n');
    assert.equal(tokenOf(object, 'e'), '0777', 'the token the user wrote is kept for messages');
    assert.equal(tokenOf(object.x, 0), undefined);
  });

  it('gives anchors, tags, merge keys, duplicate keys, null keys, .inf, multi-line scalars and non-objects to the yaml path', () => {
    const cases = [
      'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'base: &b {x: 1}\nc:\n  <<: *b\n', 'a: 1\na: 2\n', 'a: one\n  two\n',
      'a: "one\n  two"\n', 'a: >\n  folded\n', '%YAML 1.1\n---\na: 1\n', 'kind: List\nitems: [{kind: Pod}]\n',
      'a:\n\tb: 1\n', '- a\n- b\n', 'kind: A\na: .inf\n', 'kind: A\n~: 1\n', 'a: 1\n', 'kind: A\n<<: {b: 1}\n', 'a: 1\r\nb: 2\r\n', '__proto__: 1\n', '0: zero\n', 'on: 1\n',
    ];
    for (const text of cases) {
      assert.equal(fastParse(text), undefined, JSON.stringify(text));
      assertSameAsYamlPath(text, 'case.yaml');
    }
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
      if (assertSameAsYamlPath(text, `mutation-${i}.yaml`)) fast++;
    }
    assert.ok(fast > MUTATIONS / 10, `the fast pass read only ${fast} of ${MUTATIONS} mutations: the comparison tested little`);
  });
});
