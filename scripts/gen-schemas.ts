/**
 * Build step: derives the Kubernetes schemas of each version from the cdk8s-plus-NN jsii assembly and writes, for
 * 1.28 (the default) under build/lib/schema/generated/ and for each later version under generated/1.NN/:
 *   validators/<module>.js   precompiled ajv validators (standalone CommonJS), one export per OpenAPI definition of a
 *                            served kind: one module for the kinds with a pod template, one per other kind (and its List)
 *   validator-modules.json   definition → module
 *   kinds.json               the served (apiVersion, kind) pairs and their definition
 *   fields.json              every field name of every definition (for "did you mean")
 *   field-refs.json          the fields of each definition (for "added in")
 * and generated/added-fields.json: `definition#field` → the version that added it, for the fields a later version has
 * and an earlier one lacks. A lint run loads only its version's validators of the kinds it meets, and compiles nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { addedFields, deriveSchemas, fieldRefs, GroupVersionKind, JsiiAssembly, ROOT_ID } from '../lib/schema/derive';
import { cdk8sPlusPackage, DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, KubernetesVersion } from '../lib/k8s/versions';
import { generatedDir } from '../lib/schema/generated-dir';

const repoRoot = path.resolve(__dirname, '../..');
const schemaBuildDir = path.join(repoRoot, 'build/lib/schema');

export function loadAssembly(version: KubernetesVersion = DEFAULT_KUBERNETES_VERSION): JsiiAssembly {
  const file = require.resolve(`${cdk8sPlusPackage(version)}/.jsii`, { paths: [repoRoot] });
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JsiiAssembly;
}

/** `gvkOf` for deriveSchemas: the static `GVK` of each `Kube*` construct class, read from the library itself. */
export function gvkReader(version: KubernetesVersion): (className: string) => GroupVersionKind | undefined {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { k8s } = require(require.resolve(cdk8sPlusPackage(version), { paths: [repoRoot] })) as {
    k8s: Record<string, { GVK?: GroupVersionKind }>;
  };
  return (className) => {
    const gvk = k8s[className]?.GVK;
    return gvk ? { apiVersion: gvk.apiVersion, kind: gvk.kind } : undefined;
  };
}

/** The 1.28 reader (the default version). */
export const constructGvk = gvkReader(DEFAULT_KUBERNETES_VERSION);

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
  fs.rmSync(path.join(schemaBuildDir, 'generated'), { recursive: true, force: true });
  const roots = KUBERNETES_VERSIONS.map((version) => ({ version, root: generateVersion(version) }));
  const added = addedFields(roots);
  fs.writeFileSync(path.join(schemaBuildDir, 'generated', 'added-fields.json'), `${JSON.stringify(added, null, 1)}\n`);
}

function generateVersion(version: KubernetesVersion): { $defs: Record<string, unknown> } {
  const started = Date.now();
  const outDir = path.join(schemaBuildDir, generatedDir(version));
  const { root, kinds } = deriveSchemas(loadAssembly(version), gvkReader(version));
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    // The tiny definitions (at most 4 keywords: Quantity, IntOrString, VolumeNodeAffinity) are inlined where they
    // are used: they are the most frequent values, and a call costs more than their check (each call builds the
    // path of the value it is given, for errors a valid object never has). The others become functions shared by
    // every kind that uses them: inlining those too saves no more time and makes the code caches half as big again,
    // which a cold start pays for.
    inlineRefs: 4,
    code: { source: true, optimize: true },
  });
  ajv.addSchema(root);
  const exported = [...new Set(kinds.map((k) => k.definition))];
  const groups = new Map<string, string[]>();
  for (const definition of exported) {
    const group = moduleOf(definition, root.$defs);
    groups.set(group, [...(groups.get(group) ?? []), definition]);
  }
  fs.mkdirSync(path.join(outDir, 'validators'), { recursive: true });
  let total = 0;
  let largest = 0;
  const modules: Record<string, string> = {};
  for (const [group, definitions] of groups) {
    const code = positionalPaths(standaloneCode(ajv, Object.fromEntries(definitions.map((d) => [d, `${ROOT_ID}#/$defs/${d}`]))));
    fs.writeFileSync(path.join(outDir, 'validators', `${group}.js`), code);
    for (const definition of definitions) modules[definition] = group;
    total += code.length;
    largest = Math.max(largest, code.length);
  }
  fs.writeFileSync(path.join(outDir, 'validator-modules.json'), `${JSON.stringify(modules, null, 1)}\n`);
  fs.writeFileSync(path.join(outDir, 'kinds.json'), `${JSON.stringify(kinds, null, 1)}\n`);
  fs.writeFileSync(path.join(outDir, 'fields.json'), `${JSON.stringify(fieldNames(root.$defs))}\n`);
  fs.writeFileSync(path.join(outDir, 'field-refs.json'), JSON.stringify(fieldRefs(root)));
  console.log(
    `gen-schemas ${version}: ${kinds.length} kinds, ${Object.keys(root.$defs).length} definitions, ${groups.size} ` +
      `validator modules (largest ${(largest / 1024).toFixed(0)} KiB, ${(total / 1024).toFixed(0)} KiB in all), ` +
      `${Date.now() - started} ms`,
  );
  return root;
}

/** How ajv's standalone code declares a validator, and calls one for a nested value. */
const DECLARATION = /function (validate\d*)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)/g;
const NESTED_CALL = /(validate\d*)\(([^()]*?), \{instancePath:([^{}]*?),parentData:[^{}]*?,parentDataProperty:[^{}]*?,rootData\}\)/g;

/**
 * The validators with the path of the value as a plain second parameter instead of ajv's options object: a call per
 * nested value (every container, port, mount...) then allocates no object and destructures none. The other options
 * are for keywords the Kubernetes schemas do not use ($data, dynamic references); the build fails if any is left.
 */
function positionalPaths(code: string): string {
  const rewritten = code.replace(DECLARATION, 'function $1(data, instancePath="")').replace(NESTED_CALL, '$1($2, $3)');
  const left = /\b(parentData|parentDataProperty|rootData)\b/.exec(rewritten);
  if (left !== null) {
    throw new Error(`gen-schemas: a validator still uses ajv's option ${left[1]}: ${rewritten.slice(left.index - 100, left.index + 100)}`);
  }
  return rewritten;
}

const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';

/**
 * The module a definition's validator goes to: every kind that embeds a pod template shares one (the PodSpec
 * validators are most of their code), the others get one module each, shared with their List kind.
 */
function moduleOf(definition: string, defs: Record<string, unknown>): string {
  return reachable(definition, defs).has(POD_SPEC) ? 'workloads' : definition.replace(/List$/, '');
}

/** The definitions `definition` refers to, directly or not (itself included). */
function reachable(definition: string, defs: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const pending = [definition];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    JSON.stringify(defs[name], (key, value) => {
      if (key === '$ref' && typeof value === 'string') pending.push(value.slice(value.lastIndexOf('/') + 1));
      return value;
    });
  }
  return seen;
}

if (require.main === module) main();
