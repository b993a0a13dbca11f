/**
 * Derives strict JSON schemas for the Kubernetes 1.28 API from the cdk8s-plus-28 jsii assembly.
 *
 * Every jsii struct of the `k8s` namespace names its OpenAPI definition in `docs.custom.schema`
 * (`io.k8s.api.apps.v1.StatefulSetSpec`) and every property its JSON field (`...StatefulSetSpec#serviceName`).
 * One schema comes out, with one `$defs` entry per OpenAPI definition, so the kinds share their definitions.
 * Used at build time by scripts/gen-schemas.ts and by the oracle test; never at lint time.
 */

/** The parts of a jsii assembly this module reads. */
export interface JsiiAssembly {
  readonly types: Record<string, JsiiType>;
}

export interface JsiiType {
  readonly fqn: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly docs?: { readonly custom?: { readonly schema?: string } };
  readonly properties?: readonly JsiiProperty[];
  readonly initializer?: { readonly parameters?: readonly { readonly name: string; readonly type: JsiiTypeRef }[] };
}

export interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly static?: boolean;
  readonly type: JsiiTypeRef;
  readonly docs?: { readonly custom?: { readonly schema?: string } };
}

export interface JsiiTypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: JsiiTypeRef };
}

/** What a top-level construct class is for: `KubeStatefulSet` → apps/v1 StatefulSet. */
export interface GroupVersionKind {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface ServedKind extends GroupVersionKind {
  /** The OpenAPI definition of the kind: `io.k8s.api.apps.v1.StatefulSet`. */
  readonly definition: string;
}

export type JsonSchema = Record<string, unknown>;

export interface DerivedSchemas {
  /** One schema whose `$defs` hold every definition reachable from the served kinds. */
  readonly root: { $id: string; $defs: Record<string, JsonSchema> };
  readonly kinds: readonly ServedKind[];
}

export const ROOT_ID = 'k8s-1.28';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/**
 * The real quantity grammar of k8s.io/apimachinery (resource.ParseQuantity): a signed decimal number, then a
 * binary suffix (Ki..Ei), a decimal suffix (n u m '' k M G T P E) or a decimal exponent (e3, E-3).
 * Quantity.UnmarshalJSON trims surrounding white space first.
 */
export const QUANTITY_PATTERN =
  '^\\s*[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?\\s*$';

/**
 * jsii has only `number`; every number of the 1.28 API is an integer (int32/int64) except these doubles.
 * Listed by definition and JSON field.
 */
const DOUBLE_FIELDS = new Set([
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps#maximum',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps#minimum',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps#multipleOf',
]);

/**
 * cdk8s import leaves every `status` field out (a user never writes one), but the API server accepts a `status`
 * on create and ignores it (`kubectl create --dry-run -o yaml` writes `status: {}`), so kinds that have a status
 * in 1.28 take any mapping there. Most kinds with a spec have one; these are the exceptions both ways.
 */
const KINDS_WITHOUT_STATUS = new Set([
  'io.k8s.api.core.v1.LimitRange',
  'io.k8s.api.networking.v1.NetworkPolicy',
  'io.k8s.api.networking.v1.IngressClass',
  'io.k8s.api.networking.v1alpha1.ClusterCIDR',
  'io.k8s.api.networking.v1alpha1.IPAddress',
  'io.k8s.api.storage.v1.CSIDriver',
  'io.k8s.api.storage.v1.CSINode',
  'io.k8s.api.coordination.v1.Lease',
  'io.k8s.api.certificates.v1alpha1.ClusterTrustBundle',
  'io.k8s.api.admissionregistration.v1alpha1.ValidatingAdmissionPolicyBinding',
  'io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicyBinding',
  'io.k8s.api.resource.v1alpha2.ResourceClaimTemplate',
]);
const STATUS_WITHOUT_SPEC: Record<string, JsonSchema> = {
  'io.k8s.api.authentication.v1.SelfSubjectReview': { type: 'object' },
  'io.k8s.api.authentication.v1alpha1.SelfSubjectReview': { type: 'object' },
  'io.k8s.api.authentication.v1beta1.SelfSubjectReview': { type: 'object' },
  // meta/v1 Status: `status` is the string "Success" or "Failure".
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status': { type: 'string' },
};

function statusSchema(definition: string, hasSpec: boolean): JsonSchema | undefined {
  if (definition in STATUS_WITHOUT_SPEC) return STATUS_WITHOUT_SPEC[definition];
  return hasSpec && !KINDS_WITHOUT_STATUS.has(definition) ? { type: 'object' } : undefined;
}

/**
 * jsii shares one struct between definitions of different groups that look alike, but some of them are not
 * alike: discovery.v1's EndpointPort does not require `port` (unset means all ports), and APIService's
 * ServiceReference has no `path` and requires nothing. These fields get their own definition, derived from the
 * shared struct with the upstream differences applied.
 */
const SPLIT_STRUCTS: Record<string, { definition: string; required: string[]; omit?: string[] }> = {
  'io.k8s.api.discovery.v1.EndpointSlice#ports': { definition: 'io.k8s.api.discovery.v1.EndpointPort', required: [] },
  'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceSpec#service': {
    definition: 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.ServiceReference',
    required: [],
    omit: ['path'],
  },
};

/**
 * Fields the 1.28 OpenAPI lists as required but the 1.28 API server accepts missing (its validation does not check
 * them). A manifest without them is accepted and runs, so the schema must not reject it; the rule that cares about
 * the field reports the consequence instead.
 * - StatefulSetSpec.serviceName: accepted empty since StatefulSets exist (the pods then get no per-pod DNS names,
 *   which `sts-service` warns about); upstream dropped it from `required` in 1.33 (kubernetes/kubernetes#130233).
 */
const OPTIONAL_ON_THE_SERVER: ReadonlySet<string> = new Set(['io.k8s.api.apps.v1.StatefulSetSpec#serviceName']);

/** The OpenAPI definition name and JSON field of a jsii property: `io.k8s.api.apps.v1.StatefulSetSpec#serviceName`. */
function schemaTag(docs: JsiiType['docs'] | JsiiProperty['docs']): string | undefined {
  return docs?.custom?.schema;
}

function definitionRef(name: string): JsonSchema {
  return { $ref: `#/$defs/${name}` };
}

/**
 * Derives the schemas of every kind.
 * `gvkOf(className)` returns the apiVersion/kind of a `Kube*` construct class (its static `GVK` at run time),
 * or undefined for a class that is not a kind.
 */
export function deriveSchemas(
  assembly: JsiiAssembly,
  gvkOf: (className: string) => GroupVersionKind | undefined,
): DerivedSchemas {
  const types = assembly.types;
  const defs: Record<string, JsonSchema> = {};
  const kindDefinitions = new Set<string>();
  const pending: string[] = [];

  const k8sTypes = Object.values(types).filter((t) => t.namespace === 'k8s');
  const kinds: ServedKind[] = [];
  for (const cls of k8sTypes) {
    if (cls.kind !== 'class' || !cls.name.startsWith('Kube')) continue;
    const gvk = gvkOf(cls.name);
    const definition = schemaTag(cls.docs);
    const hasProps = cls.initializer?.parameters?.some((p) => p.name === 'props');
    if (!gvk || !definition || !hasProps) continue;
    kinds.push({ apiVersion: gvk.apiVersion, kind: gvk.kind, definition });
    kindDefinitions.add(definition);
  }

  // The jsii struct of each OpenAPI definition (a kind's definition is its `Kube*Props` struct).
  const structOf = new Map<string, JsiiType>();
  for (const t of k8sTypes) {
    const tag = schemaTag(t.docs);
    if (t.kind !== 'interface' || !tag) continue;
    if (structOf.has(tag)) throw new Error(`two jsii structs for ${tag}: ${structOf.get(tag)?.name}, ${t.name}`);
    structOf.set(tag, t);
  }

  const typeSchema = (ref: JsiiTypeRef, field: string): JsonSchema => {
    if (ref.primitive) return primitiveSchema(ref.primitive, field);
    if (ref.collection) {
      const items = typeSchema(ref.collection.elementtype, field);
      return ref.collection.kind === 'array'
        ? { type: 'array', items }
        : { type: 'object', additionalProperties: items };
    }
    const target = ref.fqn ? types[ref.fqn] : undefined;
    const name = target && schemaTag(target.docs);
    if (!target || !name) throw new Error(`no OpenAPI definition for jsii type ${ref.fqn} (field ${field})`);
    // The assembly's one enum is DeleteOptions.kind. Fields that 1.28 restricts to a set of values (e.g.
    // podManagementPolicy) are plain strings in its OpenAPI schema and are checked by the API server's
    // validation, not its schema, so no enum is enforced here either.
    if (target.kind === 'enum') return { type: 'string' };
    const split = SPLIT_STRUCTS[field];
    if (split) {
      if (!(split.definition in defs)) {
        defs[split.definition] = splitStruct(structSchema(name), split.required, split.omit);
      }
      return definitionRef(split.definition);
    }
    if (!(name in defs) && !pending.includes(name)) pending.push(name);
    return definitionRef(name);
  };

  const structSchema = (name: string): JsonSchema => {
    if (name === QUANTITY) {
      // A string in the quantity grammar, or a JSON number (Quantity.UnmarshalJSON accepts both).
      return { type: ['string', 'number'], pattern: QUANTITY_PATTERN };
    }
    if (name === INT_OR_STRING) return { type: ['string', 'integer'] };
    const struct = structOf.get(name);
    if (!struct) throw new Error(`no jsii struct for OpenAPI definition ${name}`);
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const prop of struct.properties ?? []) {
      if (prop.static) continue;
      const tag = schemaTag(prop.docs) ?? `${name}#${prop.name}`;
      const field = tag.slice(tag.indexOf('#') + 1);
      properties[field] = typeSchema(prop.type, tag);
      if (!prop.optional && !OPTIONAL_ON_THE_SERVER.has(tag)) required.push(field);
    }
    if (kindDefinitions.has(name)) {
      // apiVersion and kind are optional inside a definition (volumeClaimTemplates may omit them);
      // at the top level the dispatcher requires them before it picks a validator.
      properties.apiVersion = { type: 'string' };
      properties.kind = { type: 'string' };
      const status = statusSchema(name, 'spec' in properties);
      if (status) properties.status = status;
    }
    const schema: JsonSchema = { type: 'object', properties, additionalProperties: false };
    if (required.length > 0) schema.required = required;
    return schema;
  };

  for (const kind of kinds) if (!pending.includes(kind.definition)) pending.push(kind.definition);
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (!(name in defs)) defs[name] = structSchema(name);
  }
  kinds.sort((a, b) => `${a.apiVersion} ${a.kind}`.localeCompare(`${b.apiVersion} ${b.kind}`));
  return { root: { $id: ROOT_ID, $defs: sortKeys(defs) }, kinds };
}

function splitStruct(shared: JsonSchema, required: string[], omit: readonly string[] = []): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(shared.properties as Record<string, JsonSchema>).filter(([field]) => !omit.includes(field)),
  );
  const schema: JsonSchema = { ...shared, properties };
  if (required.length > 0) schema.required = required;
  else delete schema.required;
  return schema;
}

function primitiveSchema(primitive: string, field: string): JsonSchema {
  switch (primitive) {
    case 'string':
    case 'date': // metav1.Time and MicroTime: RFC 3339 strings
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: DOUBLE_FIELDS.has(field) ? 'number' : 'integer' };
    case 'any': // RawExtension, JSON, FieldsV1: free-form
      return {};
    default:
      throw new Error(`unsupported jsii primitive ${primitive} (field ${field})`);
  }
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The fields a later version added to a definition an earlier version already had: `definition#field` → the first
 * version of the run of versions (ascending in `roots`) that has it. Lets an unknown field say "added in 1.30".
 */
export function addedFields(
  roots: readonly { readonly version: string; readonly root: { readonly $defs: Record<string, unknown> } }[],
): Record<string, string> {
  const fieldsOf = (defs: Record<string, unknown>, name: string): string[] =>
    Object.keys(((defs[name] as JsonSchema | undefined)?.properties ?? {}) as Record<string, unknown>);
  const added: Record<string, string> = {};
  roots.forEach(({ version, root }, i) => {
    if (i === 0) return;
    const before = roots[i - 1].root.$defs;
    for (const name of Object.keys(root.$defs)) {
      if (!(name in before)) continue;
      const old = new Set(fieldsOf(before, name));
      for (const field of fieldsOf(root.$defs, name)) if (!old.has(field)) added[`${name}#${field}`] = version;
    }
  });
  return added;
}

/**
 * For each definition, the definition each field leads to: `D` (a reference), `[]D` (a list of them) or `{}D` (a
 * map of them). Lets a run find which definition an unknown field sits in from its path, without the schemas.
 */
export function fieldRefs(root: { readonly $defs: Record<string, JsonSchema> }): Record<string, Record<string, string>> {
  const target = (schema: JsonSchema | undefined): string | undefined => {
    if (!schema) return undefined;
    if (typeof schema.$ref === 'string') return schema.$ref.slice(schema.$ref.lastIndexOf('/') + 1);
    if (schema.type === 'array') {
      const item = target(schema.items as JsonSchema);
      return item && `[]${item}`;
    }
    if (typeof schema.additionalProperties === 'object') {
      const value = target(schema.additionalProperties as JsonSchema);
      return value && `{}${value}`;
    }
    return undefined;
  };
  const refs: Record<string, Record<string, string>> = {};
  for (const [name, schema] of Object.entries(root.$defs)) {
    const fields = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)
      .map(([field, child]) => [field, target(child)])
      .filter((entry): entry is [string, string] => entry[1] !== undefined);
    if (fields.length > 0) refs[name] = Object.fromEntries(fields);
  }
  return refs;
}
