/**
 * The layers of lib/, lowest first. A folder may import only from folders of a lower layer (and from itself): the
 * Kubernetes model never reaches into the engine, the engine never into the rules it runs, and so on. This keeps one
 * owner per fact and no import cycles between folders.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const LIB = resolve(__dirname, '../../../../lib');

/** Layer of each folder of lib/ (files directly in lib/ are the top: the public surface and adapters). */
const LAYERS: Readonly<Record<string, number>> = {
  core: 0, // vocabulary: findings, manifests, rule and report types
  k8s: 1, // the one model of Kubernetes: views, identity, predicates, binder
  schema: 2, // derived schemas and the API-server semantic pass
  load: 2, // files -> documents with source positions
  lint: 3, // the lint engine (receives its rules)
  diff: 3, // the diff engine (receives its rules)
  rules: 4, // the rule registry: lint and diff rules
  report: 4, // formatters
  constructs: 5,
  cli: 5,
  '.': 6,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function folderOf(file: string): string {
  const top = relative(LIB, file).split('/');
  return top.length === 1 ? '.' : top[0];
}

test('every folder of lib/ has a layer', () => {
  const folders = new Set(sources(LIB).map(folderOf));
  for (const folder of folders) assert.ok(folder in LAYERS, `lib/${folder} has no layer in this test: add it`);
});

test('no folder of lib/ imports from a folder of its own or a higher layer', () => {
  const violations: string[] = [];
  for (const file of sources(LIB)) {
    const from = folderOf(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"](\.[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), match[1]);
      if (!target.startsWith(LIB)) continue;
      const to = folderOf(isDirectory(target) ? join(target, 'index.ts') : `${target}.ts`);
      if (to === from) continue;
      if (!(LAYERS[to] < LAYERS[from])) {
        violations.push(`${relative(LIB, file)} (${from}, layer ${LAYERS[from]}) imports ${match[1]} (${to}, layer ${LAYERS[to]})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
