/**
 * Checks the schemas derived from the cdk8s-plus-28 assembly against the upstream Kubernetes 1.28 definitions
 * (../shared/kubernetes/v1.28.0/_definitions.json, an independent source used only here).
 * For every definition reachable from a served kind: the same property names, the same required fields and the
 * same field types. Every difference is listed below with the reason it is right; a difference that is not listed,
 * and a listed one that no longer occurs, both fail.
 *
 * This is the strict oracle of 1.28 only: ../shared holds no upstream definitions of 1.29–1.33, so the schemas of
 * those versions (--kubernetes-version, derived the same way from cdk8s-plus-29..33) have no upstream oracle here;
 * test/unit/schema/versions.test.ts checks them against their own assemblies and on the fields that changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { deriveSchemas, JsonSchema } from '../../../lib/schema/derive';
import { constructGvk, loadAssembly } from '../../../scripts/gen-schemas';

const repoRoot = path.resolve(__dirname, '../../../..');
const oracleFile = path.resolve(repoRoot, '../shared/kubernetes/v1.28.0/_definitions.json');
const skip = fs.existsSync(oracleFile) ? false : `upstream definitions not found at ${oracleFile}`;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** Property names and required fields that differ, by definition. */
const FIELD_DIFFERENCES: Record<string, string> = {
  // StorageVersion is written by API servers, never by users; no manifest carries a status we could require.
  'io.k8s.api.apiserverinternal.v1alpha1.StorageVersion': 'required only upstream: status',
  // The 1.28 API server accepts a StatefulSet without serviceName (its validation never checked the field) and runs
  // it; upstream marked it optional in 1.33 (kubernetes/kubernetes#130233). `sts-service` warns about it instead.
  'io.k8s.api.apps.v1.StatefulSetSpec': 'required only upstream: serviceName',
};

/**
 * Field types that differ (`definition#field`: ours vs upstream). `status` of every kind is left out of the
 * comparison: cdk8s import omits status types, and we accept any mapping there because the API server ignores
 * a status on create.
 */
const TYPE_DIFFERENCES: Record<string, string> = {
  // jsii types these `any`; upstream says `object` (RawExtension, FieldsV1, an empty spec, an empty status).
  // Ours is more lenient by one check: a scalar there passes the schema (the API server would reject it).
  'io.k8s.api.apps.v1.ControllerRevision#data': 'any vs object',
  'io.k8s.api.apiserverinternal.v1alpha1.StorageVersion#spec': 'any vs object',
  [`${APIEXT}.CustomResourceSubresources#status`]: 'any vs object',
  [`${META}.ManagedFieldsEntry#fieldsV1`]: 'any vs object',
  // jsii has one struct for look-alike definitions of different groups: the apiextensions webhook client config
  // reuses admissionregistration's (the same fields: caBundle, service, url; service: name and namespace required,
  // path, port). Look-alikes that differ (EndpointSlice ports, APIService service) get their own definition.
  [`${APIEXT}.WebhookConversion#clientConfig`]:
    'ref:io.k8s.api.admissionregistration.v1.WebhookClientConfig vs ref:' + `${APIEXT}.WebhookClientConfig`,
};

/** Upstream definitions reachable from a served kind that have no definition of their own here. */
const MERGED_DEFINITIONS: Record<string, string> = {
  // Primitive aliases: our schemas inline them as the primitive (a string, or anything).
  [`${META}.Time`]: 'inlined as string',
  [`${META}.MicroTime`]: 'inlined as string',
  [`${META}.FieldsV1`]: 'inlined as any (see TYPE_DIFFERENCES)',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'inlined as any (see TYPE_DIFFERENCES)',
  [`${APIEXT}.JSON`]: 'inlined as any',
  [`${APIEXT}.JSONSchemaPropsOrBool`]: 'inlined as any',
  [`${APIEXT}.JSONSchemaPropsOrArray`]: 'inlined as any',
  [`${APIEXT}.JSONSchemaPropsOrStringArray`]: 'inlined as any',
  [`${APIEXT}.CustomResourceSubresourceStatus`]: 'inlined as any (see TYPE_DIFFERENCES)',
  'io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec': 'inlined as any (see TYPE_DIFFERENCES)',
  // Merged by jsii into admissionregistration.v1's equal structs (see TYPE_DIFFERENCES).
  [`${APIEXT}.WebhookClientConfig`]: 'merged into admissionregistration.v1.WebhookClientConfig',
  [`${APIEXT}.ServiceReference`]: 'merged into admissionregistration.v1.ServiceReference',
};

interface Oracle {
  readonly definitions: Record<string, JsonSchema>;
}

function loadBoth(): { ours: Record<string, JsonSchema>; upstream: Record<string, JsonSchema>; kinds: string[] } {
  const { root, kinds } = deriveSchemas(loadAssembly(), constructGvk);
  const upstream = (JSON.parse(fs.readFileSync(oracleFile, 'utf8')) as Oracle).definitions;
  return { ours: root.$defs, upstream, kinds: [...new Set(kinds.map((k) => k.definition))] };
}

function refName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  return typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : undefined;
}

function properties(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  return (schema?.properties ?? {}) as Record<string, JsonSchema>;
}

/** A comparable description of a field's type; upstream primitive aliases (Time) read as their primitive. */
function shape(schema: JsonSchema, defs: Record<string, JsonSchema>): string {
  const ref = refName(schema);
  if (ref !== undefined) {
    const target = defs[ref];
    const isAlias = target && !target.properties && !target.oneOf && !('type' in target && target.type === 'object' && target.additionalProperties);
    if (isAlias && !ref.endsWith('Quantity') && !ref.endsWith('IntOrString')) {
      return typeof target.type === 'string' ? target.type : 'any';
    }
    return `ref:${ref}`;
  }
  if (schema.type === 'array') return `array<${shape(schema.items as JsonSchema, defs)}>`;
  if (schema.type === 'object' && schema.additionalProperties) {
    return `map<${shape(schema.additionalProperties as JsonSchema, defs)}>`;
  }
  return typeof schema.type === 'string' ? schema.type : 'any';
}

/** Upstream definitions reachable from the served kinds, not descending into a kind's `status`. */
function reachableUpstream(upstream: Record<string, JsonSchema>, kinds: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (schema: JsonSchema | undefined): void => {
    if (!schema) return;
    const ref = refName(schema);
    if (ref !== undefined && !seen.has(ref)) {
      seen.add(ref);
      const target = upstream[ref];
      for (const [field, child] of Object.entries(properties(target))) {
        if (!(kinds.includes(ref) && field === 'status')) visit(child);
      }
    }
    if (schema.items) visit(schema.items as JsonSchema);
    if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties as JsonSchema);
  };
  for (const kind of kinds) visit({ $ref: `#/definitions/${kind}` });
  return seen;
}

function difference(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((x) => !b.includes(x)).sort();
}

test('every served kind has an upstream definition with the same apiVersion and kind', { skip }, () => {
  const { kinds } = deriveSchemas(loadAssembly(), constructGvk);
  const upstream = (JSON.parse(fs.readFileSync(oracleFile, 'utf8')) as Oracle).definitions;
  const mismatched = kinds.filter((k) => {
    const gvks = (upstream[k.definition]?.['x-kubernetes-group-version-kind'] ?? []) as {
      group: string;
      version: string;
      kind: string;
    }[];
    return !gvks.some((g) => (g.group ? `${g.group}/${g.version}` : g.version) === k.apiVersion && g.kind === k.kind);
  });
  assert.deepEqual(mismatched, []);
  assert.ok(kinds.length > 100, `only ${kinds.length} kinds derived`);
});

test('property names and required fields match upstream, but for the listed differences', { skip }, () => {
  const { ours, upstream } = loadBoth();
  const found: Record<string, string> = {};
  for (const [name, schema] of Object.entries(ours)) {
    const theirs = upstream[name];
    assert.ok(theirs, `${name} has no upstream definition`);
    if (!schema.properties) continue; // Quantity, IntOrString
    const ourFields = Object.keys(properties(schema));
    const theirFields = Object.keys(properties(theirs));
    const ourRequired = (schema.required ?? []) as string[];
    const theirRequired = (theirs.required ?? []) as string[];
    const notes = [
      ['only here', difference(ourFields, theirFields)],
      ['only upstream', difference(theirFields, ourFields)],
      ['required only here', difference(ourRequired, theirRequired)],
      ['required only upstream', difference(theirRequired, ourRequired)],
    ]
      .filter(([, list]) => list.length > 0)
      .map(([label, list]) => `${label}: ${(list as string[]).join(', ')}`);
    if (notes.length > 0) found[name] = notes.join('; ');
  }
  assert.deepEqual(found, FIELD_DIFFERENCES);
});

test('field types match upstream, but for the listed differences', { skip }, () => {
  const { ours, upstream, kinds } = loadBoth();
  const found: Record<string, string> = {};
  for (const [name, schema] of Object.entries(ours)) {
    const theirProps = properties(upstream[name]);
    for (const [field, ourField] of Object.entries(properties(schema))) {
      if (!(field in theirProps) || (kinds.includes(name) && field === 'status')) continue;
      const mine = shape(ourField, ours);
      const theirs = shape(theirProps[field], upstream);
      if (mine !== theirs) found[`${name}#${field}`] = `${mine} vs ${theirs}`;
    }
  }
  assert.deepEqual(found, TYPE_DIFFERENCES);
});

test('every upstream definition reachable from a served kind is derived, but for the listed ones', { skip }, () => {
  const { ours, upstream, kinds } = loadBoth();
  const missing = [...reachableUpstream(upstream, kinds)].filter((name) => !(name in ours)).sort();
  assert.deepEqual(missing, Object.keys(MERGED_DEFINITIONS).sort());
});

test('the StatefulSet schema leaves serviceName optional, as the 1.28 API server does', { skip }, () => {
  const { ours, upstream } = loadBoth();
  const spec = 'io.k8s.api.apps.v1.StatefulSetSpec';
  assert.ok((upstream[spec].required as string[]).includes('serviceName'));
  assert.deepEqual([...(ours[spec].required as string[])].sort(), ['selector', 'template']);
  assert.ok('serviceName' in properties(ours[spec]));
});
