/**
 * Rules read objects before (or without) schema validation, so any shape must be survivable: a property test takes
 * the fixtures' objects, replaces one node anywhere with arbitrary JSON, and runs every rule over the whole set.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import fc from 'fast-check';
import { buildContext } from '../../lib/lint/context';
import { loadText } from '../../lib/load/load';
import type { KubeObject, Manifest } from '../../lib/core/types';
import { registry } from '../../lib/rules';
import { repoRoot } from './harness';

function fixtureObjects(): KubeObject[] {
  const root = path.join(repoRoot, 'test', 'fixtures', 'rules');
  const files = fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => path.join(root, name));
  return files.flatMap((file) => loadText(fs.readFileSync(file, 'utf8'), file).manifests.map((m) => m.object));
}

/** Every path to a node of `value` (objects and arrays included). */
function nodePaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => nodePaths(item, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => nodePaths(item, [...prefix, key]))];
  }
  return here;
}

function replaced(object: KubeObject, at: ReadonlyArray<string | number>, value: unknown): KubeObject {
  if (at.length === 0) return (typeof value === 'object' && value !== null ? value : { value }) as KubeObject;
  const copy = structuredClone(object) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  parent[at[at.length - 1]] = value;
  return copy as KubeObject;
}

function manifest(object: KubeObject, docIndex: number): Manifest {
  return { file: 'mutated.yaml', docIndex, object, locate: () => ({ line: 1, column: 1 }) };
}

it('no rule throws on objects of any shape', () => {
  const objects = fixtureObjects();
  assert.ok(objects.length > 50, 'expected the fixtures to provide objects');
  fc.assert(
    fc.property(fc.nat(), fc.nat(), fc.jsonValue(), (which, where, value) => {
      const target = which % objects.length;
      const paths = nodePaths(objects[target]);
      const mutated = objects.map((object, i) =>
        i === target ? replaced(object, paths[where % paths.length], value) : object,
      );
      // Lint the mutated object with its neighbours, so cross-resource indexes see it too.
      const set = mutated.slice(Math.max(0, target - 4), target + 4).map(manifest);
      const ctx = buildContext(set);
      for (const rule of registry.manifestRules) {
        for (const m of set) {
          if (typeof m.object.kind === 'string' && rule.kinds.includes(m.object.kind)) rule.check(m, ctx);
        }
      }
    }),
    { numRuns: 1000, seed: Number(process.env.SEED ?? Date.now()) },
  );
});
