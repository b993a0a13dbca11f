/**
 * Positions on the `yaml` path come from the parse that read the document (DocumentPositions), not from a second
 * parse: for every path into every document of the fixtures, of hand-written documents with anchors, aliases,
 * merge keys and repeated keys, and of seeded mutations, they must be what offsetOfPath reads off the parsed
 * document itself.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LineCounter } from 'yaml';
import { DocumentPositions, itemOfList, offsetOfPath, positionAt } from '../../../lib/load/source-map';
import { parseDocuments } from '../../../lib/load/yaml-parse';
import { decodeNode } from '../../../lib/load/decode';
import type { Path } from '../../../lib/core/types';
import { seededRandom } from '../../bench/corpus';

const repoRoot = path.resolve(__dirname, '../../../..');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

/** Every path to a value, and steps that do not exist below each (a missing key, an index past the end, a merge key). */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix, [...prefix, 'no-such-key'], [...prefix, 9999], [...prefix, '<<'], [...prefix, '0']);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) pathsOf((value as Record<string, unknown>)[key], [...prefix, key], out);
  }
  return out;
}

/** Compares the kept positions with offsetOfPath on every document of `text` (and every item of a List); returns the paths compared. */
function assertSamePositions(text: string, name: string): number {
  const lines = new LineCounter();
  let compared = 0;
  for (const doc of parseDocuments(text, lines)) {
    if (doc.errors.length > 0) continue;
    const positions = new DocumentPositions(doc);
    const roots: unknown[] = [doc.contents, itemOfList(doc, 0), itemOfList(doc, 1)];
    for (const root of roots) {
      let value: unknown;
      try {
        value = decodeNode(root as never);
      } catch {
        value = undefined;
      }
      const locate = positions.locator(root, lines);
      for (const p of pathsOf(value)) {
        assert.deepEqual(locate(p), positionAt(lines, offsetOfPath(doc, root, p)), `${name}: ${JSON.stringify(p)}`);
        compared++;
      }
    }
  }
  return compared;
}

describe('positions kept from the first parse', () => {
  it('are offsetOfPath\'s on anchors, aliases, merge keys, repeated keys and Lists', () => {
    const text = [
      'apiVersion: v1', 'kind: A', 'metadata: &meta', '  name: a', '  labels: {app: a}', 'spec:', '  copy: *meta',
      '  merged:', '    <<: *meta', '    name: b', '  list: &l [1, {x: 2}]', '  again: *l', '  name: first', '  name: second',
      '  other: &k x', '  ref: *k', '---', 'apiVersion: v1', 'kind: List',
      'items:', '- &item {apiVersion: v1, kind: B, metadata: {name: b}}', '- *item', 'items: []',
    ].join('\n');
    assert.ok(assertSamePositions(text, 'anchors.yaml') > 200);
  });

  it('are offsetOfPath\'s on the fixtures and 200 seeded mutations of them', () => {
    const texts = yamlFiles(path.join(repoRoot, 'test/fixtures')).map((file) => fs.readFileSync(file, 'utf8'));
    let compared = 0;
    for (const [i, text] of texts.entries()) compared += assertSamePositions(text, `fixture-${i}`);
    const random = seededRandom(5);
    const snippets = ['&a ', '*a', '<<: *a\n', ': ', '- ', '  ', '\n', 'a: 1\n', '[', '? '];
    for (let i = 0; i < 200; i++) {
      let text = texts[i % texts.length].slice(0, 3000);
      for (let e = 0; e < 3; e++) {
        const at = Math.floor(random() * (text.length + 1));
        text = text.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + text.slice(at);
      }
      compared += assertSamePositions(text, `mutation-${i}`);
    }
    assert.ok(compared > 10_000, `only ${compared} paths compared`);
  });
});
