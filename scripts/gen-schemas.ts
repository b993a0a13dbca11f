/**
 * Build step: derives the Kubernetes schemas of each version from the cdk8s-plus-NN jsii assembly and writes
 *   build/lib/schema/generated/validators.js  precompiled ajv validators (standalone CommonJS), one export per
 *                                             OpenAPI definition of a served kind
 *   build/lib/schema/generated/kinds.json     the served (apiVersion, kind) pairs and their definition
 * for 1.28 (the default), the same under generated/1.NN/ for the later versions, and
 *   build/lib/schema/generated/added-fields.json  `definition#field` → the version that added it, for the fields
 *                                             a later version has and an earlier one lacks
 * so that a lint run loads only its version's code and compiles nothing.
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

function main(): void {
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
  fs.writeFileSync(path.join(outDir, 'field-refs.json'), JSON.stringify(fieldRefs(root)));
  const size = fs.statSync(path.join(outDir, 'validators.js')).size;
  console.log(
    `gen-schemas ${version}: ${kinds.length} kinds, ${Object.keys(root.$defs).length} definitions, ` +
      `validators.js ${(size / 1024).toFixed(0)} KiB, ${Date.now() - started} ms`,
  );
  return root;
}

if (require.main === module) main();
