/**
 * Build step: derives the Kubernetes 1.28 schemas from the cdk8s-plus-28 jsii assembly and writes
 *   build/lib/schema/generated/validators.js  precompiled ajv validators (standalone CommonJS), one export per
 *                                             OpenAPI definition of a served kind
 *   build/lib/schema/generated/kinds.json     the served (apiVersion, kind) pairs and their definition
 *   build/lib/schema/generated/fields.json    every field name of every definition (for "did you mean")
 * so that a lint run loads code and compiles nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { deriveSchemas, GroupVersionKind, JsiiAssembly, ROOT_ID } from '../lib/schema/derive';

const repoRoot = path.resolve(__dirname, '../..');
const outDir = path.join(repoRoot, 'build/lib/schema/generated');

export function loadAssembly(): JsiiAssembly {
  const file = require.resolve('cdk8s-plus-28/.jsii', { paths: [repoRoot] });
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JsiiAssembly;
}

/** The static `GVK` of each `Kube*` construct class, read from the library itself. */
export function constructGvk(className: string): GroupVersionKind | undefined {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { k8s } = require('cdk8s-plus-28') as { k8s: Record<string, { GVK?: GroupVersionKind }> };
  const gvk = k8s[className]?.GVK;
  return gvk ? { apiVersion: gvk.apiVersion, kind: gvk.kind } : undefined;
}

/** Every property name of the definitions, sorted. */
function fieldNames(defs: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const schema of Object.values(defs)) {
    const properties = (schema as { properties?: Record<string, unknown> }).properties;
    for (const name of Object.keys(properties ?? {})) names.add(name);
  }
  return [...names].sort();
}

function main(): void {
  const started = Date.now();
  const { root, kinds } = deriveSchemas(loadAssembly(), constructGvk);
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    // Definitions become shared functions instead of being copied into every kind that uses them.
    inlineRefs: false,
    code: { source: true, optimize: true },
  });
  ajv.addSchema(root);
  const exported = [...new Set(kinds.map((k) => k.definition))];
  const code = standaloneCode(ajv, Object.fromEntries(exported.map((d) => [d, `${ROOT_ID}#/$defs/${d}`])));

  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'validators.js'), code);
  fs.writeFileSync(path.join(outDir, 'kinds.json'), `${JSON.stringify(kinds, null, 1)}\n`);
  fs.writeFileSync(path.join(outDir, 'fields.json'), `${JSON.stringify(fieldNames(root.$defs))}\n`);
  const size = fs.statSync(path.join(outDir, 'validators.js')).size;
  console.log(
    `gen-schemas: ${kinds.length} kinds, ${Object.keys(root.$defs).length} definitions, ` +
      `validators.js ${(size / 1024).toFixed(0)} KiB, ${Date.now() - started} ms`,
  );
}

if (require.main === module) main();
