/**
 * Validates one Kubernetes object against the precompiled schemas of a Kubernetes version (1.28 by default) (see scripts/gen-schemas.ts) and words
 * the errors the way the API server does (`spec.replicaz: unknown field "replicaz"`).
 */
import * as path from 'path';
import { editDistance } from '../core/edit-distance';
import type { Path } from '../core/types';
import { findRemovedApi, REMOVED_GROUPS } from './removed-apis';
import { semanticErrors } from './semantic';
import { addedIn, definitionAt } from './added-in';
import { generatedDir, readGenerated } from './generated-dir';
import { cdk8sPlusPackage, DEFAULT_KUBERNETES_VERSION, type KubernetesVersion } from '../k8s/versions';
import { copyTokens, tokenOf } from '../core/tokens';
import { requireWithCodeCache } from '../core/code-cache';
import { quantityErrorWithHint } from '../k8s/quantity';

export interface SchemaError {
  /** Path to the offending node (for an unknown or missing field: that field's key). */
  readonly path: Path;
  readonly message: string;
  /** Set for what the API server takes from kubectl and Helm but refuses from other clients (the object stays valid). */
  readonly severity?: 'warning';
}

export type SchemaResult =
  /** `note`: valid, but served by a 1.28 API server only when an administrator enables its API version. */
  | { readonly status: 'valid'; readonly note?: string }
  | { readonly status: 'invalid'; readonly errors: readonly SchemaError[] }
  /** An apiVersion/kind that Kubernetes 1.28 does not serve. */
  | { readonly status: 'unserved'; readonly message: string; readonly path: Path }
  /** A kind with no schema here (a CRD's kind): skipped, with a note. */
  | { readonly status: 'unknown'; readonly message: string };

/** More errors than this for one object are summarised in one last error. */
export const MAX_ERRORS = 20;

/**
 * Served by 1.28 but absent from the cdk8s-plus-28 assembly (cdk8s import keeps only events.k8s.io/v1 Event),
 * so they are skipped like CRDs rather than reported as unserved.
 */
const SERVED_WITHOUT_SCHEMA = new Set(['v1 Event', 'v1 EventList']);

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

interface ServedKindEntry {
  readonly apiVersion: string;
  readonly kind: string;
  readonly definition: string;
}

interface Catalogue {
  /** The validator of an OpenAPI definition, loaded on first use: a run loads only the kinds it meets. */
  validator(definition: string): Validator;
  /** `apiVersion kind` → OpenAPI definition. */
  readonly definitionOf: ReadonlyMap<string, string>;
  /** kind → the apiVersions that serve it. */
  readonly versionsOf: ReadonlyMap<string, readonly string[]>;
  readonly groups: ReadonlySet<string>;
  /** Every field name of the 1.28 definitions (for "did you mean"), read on first use. */
  fields(): readonly string[];
}

/** One per version a run asked for: a 1.28 run loads only 1.28's validators. */
const catalogues = new Map<KubernetesVersion, Catalogue>();

function loadCatalogue(version: KubernetesVersion): Catalogue {
  const loaded = catalogues.get(version);
  if (loaded) return loaded;
  const dir = path.join(__dirname, generatedDir(version));
  const notBuilt = (e: unknown) =>
    new Error(`cannot load the Kubernetes schemas from ${dir} (${(e as Error).message}): run \`npm run build\``);
  const read = <T>(file: string): T => {
    try {
      return readGenerated<T>(`${generatedDir(version)}/${file}`);
    } catch (e) {
      throw notBuilt(e);
    }
  };
  const kinds = read<ServedKindEntry[]>('kinds.json');
  const modules = read<Record<string, string>>('validator-modules.json');
  let fields: readonly string[] | undefined;
  const validators = new Map<string, Validator>();
  const validator = (definition: string): Validator => {
    let loaded = validators.get(definition);
    if (loaded !== undefined) return loaded;
    try {
      // Loaded once per process, with the code cache the build wrote for the default version's validators.
      loaded = (requireWithCodeCache(path.join(dir, 'validators', `${modules[definition]}.js`)) as Record<string, Validator>)[definition];
    } catch (e) {
      throw notBuilt(e);
    }
    validators.set(definition, loaded);
    return loaded;
  };
  const versionsOf = new Map<string, string[]>();
  for (const k of kinds) versionsOf.set(k.kind, [...(versionsOf.get(k.kind) ?? []), k.apiVersion]);
  const catalogue = {
    validator,
    definitionOf: new Map(kinds.map((k) => [`${k.apiVersion} ${k.kind}`, k.definition])),
    versionsOf,
    groups: new Set(kinds.map((k) => groupOf(k.apiVersion))),
    fields: () => (fields ??= read<string[]>('fields.json')),
  };
  catalogues.set(version, catalogue);
  return catalogue;
}

/** The (apiVersion, kind) pairs Kubernetes `version` serves and that have a schema here. */
export function servedKinds(version: KubernetesVersion = DEFAULT_KUBERNETES_VERSION): { apiVersion: string; kind: string }[] {
  return [...loadCatalogue(version).definitionOf.keys()].map((key) => {
    const [apiVersion, kind] = key.split(' ');
    return { apiVersion, kind };
  });
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks one object (a parsed YAML document, not a `kind: List`) against the Kubernetes 1.28 schema of its
 * apiVersion and kind. The first object of a kind loads that kind's precompiled validator.
 */
export function validateSchema(obj: unknown, version: KubernetesVersion = DEFAULT_KUBERNETES_VERSION): SchemaResult {
  if (!isRecord(obj)) {
    return invalid([{ path: [], message: `Invalid value: ${render(obj)}: a Kubernetes object must be a mapping` }]);
  }
  const apiVersionError = checkHeaderField(obj, 'apiVersion');
  const kindError = checkHeaderField(obj, 'kind');
  if (apiVersionError !== undefined || kindError !== undefined) {
    return invalid([apiVersionError, kindError].filter((e): e is SchemaError => e !== undefined));
  }
  const apiVersion = obj.apiVersion as string;
  const kind = obj.kind as string;

  const { validator, definitionOf } = loadCatalogue(version);
  const definition = definitionOf.get(`${apiVersion} ${kind}`);
  if (definition === undefined) return unservedOrUnknown(apiVersion, kind, obj, version);

  const floats: Path[] = [];
  const data = normalise(obj, floats);
  const validate = validator(definition);
  const schemaErrors = validate(data)
    ? []
    : describeErrors(validate.errors ?? [], data, version, definition).map((e) => withSuggestion(e, data, validate, version));
  // An unknown field is unknown whatever its value: `bogusField:` (null) must not hide behind the dropped nulls.
  if (data !== obj) schemaErrors.push(...unknownNullFields(validate, obj, version, definition));
  // Then what the API server checks beyond its schema (names, labels, sizes), deduplicated against the schema's.
  const errors = withoutRepeats(schemaErrors, semanticErrors(data as Record<string, unknown>));
  if (schemaErrors.length === 0 && floats.length > 0) errors.push(...floatTokenWarnings(validate, data, floats, version, definition));
  if (errors.length > 0) return invalid(limitErrors(errors));
  const note = offByDefaultNote(apiVersion, kind, version);
  return note === undefined ? { status: 'valid' } : { status: 'valid', note };
}

/**
 * Alpha API versions are never served unless enabled, and since 1.24 new beta APIs are off by default too;
 * admissionregistration.k8s.io/v1beta1 (ValidatingAdmissionPolicy, beta in 1.28) is the one beta of 1.28 that is off.
 */
function offByDefaultNote(apiVersion: string, kind: string, version: KubernetesVersion): string | undefined {
  const alpha = /\/v\d+alpha\d+$/.test(apiVersion);
  if (!alpha && apiVersion !== 'admissionregistration.k8s.io/v1beta1') return undefined;
  return (
    `${apiVersion} ${kind} is served by Kubernetes ${version} only when the API server enables it ` +
    `(--runtime-config=${apiVersion}=true)`
  );
}

/** `first`, then those of `then` whose message `first` does not already have. */
function withoutRepeats(first: SchemaError[], then: readonly SchemaError[]): SchemaError[] {
  if (then.length === 0) return first;
  const seen = new Set(first.map((e) => e.message));
  return [...first, ...then.filter((e) => !seen.has(e.message))];
}

function invalid(errors: SchemaError[]): SchemaResult {
  return { status: 'invalid', errors };
}

function checkHeaderField(obj: Record<string, unknown>, field: 'apiVersion' | 'kind'): SchemaError | undefined {
  const value = obj[field];
  if (value === undefined || value === null || value === '') {
    return { path: [field], message: `${field}: Required value` };
  }
  if (typeof value !== 'string') {
    return { path: [field], message: `${field}: Invalid value: ${render(value)}: must be a string` };
  }
  return undefined;
}

function unservedOrUnknown(apiVersion: string, kind: string, obj: Record<string, unknown>, version: KubernetesVersion): SchemaResult {
  const { versionsOf, groups, definitionOf } = loadCatalogue(version);
  const what = `${apiVersion} ${kind}`;
  const notServed = `${what} is not served by Kubernetes ${version}`;
  const removed = findRemovedApi(apiVersion, kind, version);
  if (removed) {
    const since = removed.removedIn ? ` (removed in ${removed.removedIn})` : '';
    const replacement = removed.replacement;
    const replacementServed = replacement && definitionOf.has(`${replacement.apiVersion} ${replacement.kind}`);
    const instead = replacement && !replacementServed && versionsOf.has(kind)
      ? `use ${versionsOf.get(kind)?.join(' or ')}`
      : replacement
      ? `use ${replacement.apiVersion} ${replacement.kind}${asReplacement(obj, replacement, version)}`
      : `it has no replacement${removed.advice ? `: ${removed.advice}` : ''}`;
    return { status: 'unserved', message: `${notServed}${since}: ${instead}`, path: ['apiVersion'] };
  }
  if (what === 'v1 List') {
    return { status: 'unknown', message: 'a v1 List is not validated as a whole: validate each of its items' };
  }
  if (SERVED_WITHOUT_SCHEMA.has(what)) {
    return { status: 'unknown', message: `no schema for ${what} in the ${cdk8sPlusPackage(version)} assembly; not validated` };
  }
  const group = groupOf(apiVersion);
  const builtInGroup = groups.has(group) || REMOVED_GROUPS.has(group);
  const served = versionsOf.get(kind);
  if (served && builtInGroup) {
    return { status: 'unserved', message: `${notServed}: use ${served.join(' or ')}`, path: ['apiVersion'] };
  }
  if (builtInGroup) {
    // A built-in group cannot hold a CustomResourceDefinition's kind: this is a misspelt or missing kind.
    const lower = kind.toLowerCase();
    const similar = [...versionsOf.keys()].find((k) => k.toLowerCase() === lower);
    const hint = similar ? `: did you mean ${similar} (${versionsOf.get(similar)?.join(' or ')})?` : '';
    return { status: 'unserved', message: `${notServed}: no kind "${kind}" in ${apiVersion}${hint}`, path: ['kind'] };
  }
  return {
    status: 'unknown',
    message: `${what} is not a built-in Kubernetes ${version} kind (a custom resource?): not validated`,
  };
}

/**
 * The object as the API server's decoder sees it. An explicit null in a mapping is an absent field
 * (`annotations: null`, `creationTimestamp: null`); nulls in lists stay (and fail: a list item must be set).
 * A YAML 1.1 timestamp (`2020-01-01`, which the yaml library turns into a Date) and `!!binary` data are strings
 * to Kubernetes' YAML decoder. Returns `value` itself when nothing needed changing.
 *
 * In the same walk, `floats` gets the paths of whole numbers written as floats (`3.0`, `1e3`: the loader kept the
 * token), for floatTokenWarnings.
 */
export function normalise(value: unknown, floats: Path[] = []): unknown {
  return normaliseAt(value, [], floats);
}

/** go-yaml's float grammar (`.inf` and `.nan` aside): a token YAML and JSON readers turn into a Go float64. */
const FLOAT_TOKEN = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function isFloatToken(token: string | undefined): boolean {
  return token !== undefined && /[.eE]/.test(token) && FLOAT_TOKEN.test(token.replace(/_/g, ''));
}

/** `at` is the path of `value`, a stack the walk pushes to and pops (copied only for a float found). */
function normaliseAt(value: unknown, at: Array<string | number>, floats: Path[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) {
        if (typeof item === 'number' && isFloatToken(tokenOf(value, i))) floats.push([...at, i]);
        continue;
      }
      at.push(i);
      const normalised = normaliseAt(item, at, floats);
      at.pop();
      if (normalised !== item) (copy ??= value.slice())[i] = normalised;
    }
    if (copy) copyTokens(value, copy);
    return copy ?? value;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  // for-in rather than Object.keys: no array per mapping, and V8 reads `record[key]` from the enum cache.
  for (const key in record) {
    const item = record[key];
    if (item === null) {
      copy ??= { ...record };
      delete copy[key];
      continue;
    }
    if (typeof item !== 'object') {
      if (typeof item === 'number' && isFloatToken(tokenOf(value, key))) floats.push([...at, key]);
      continue;
    }
    at.push(key);
    const normalised = normaliseAt(item, at, floats);
    at.pop();
    if (normalised !== item) (copy ??= { ...record })[key] = normalised;
  }
  if (copy) copyTokens(value, copy);
  return copy ?? value;
}

const SHOWN_REPLACEMENT_ERRORS = 3;

/**
 * What else the object needs as its replacement (apps/v1beta1 StatefulSet → apps/v1 needs spec.selector): the
 * object is validated at the replacement's apiVersion; '' when it is valid there.
 */
function asReplacement(
  obj: Record<string, unknown>,
  replacement: { apiVersion: string; kind: string },
  version: KubernetesVersion,
): string {
  const moved = { ...obj, apiVersion: replacement.apiVersion, kind: replacement.kind };
  const result = validateSchema(moved, version);
  if (result.status !== 'invalid') return '';
  const errors = result.errors.map((e) => e.message);
  const shown = errors.slice(0, SHOWN_REPLACEMENT_ERRORS).join('; ');
  const more = errors.length > SHOWN_REPLACEMENT_ERRORS ? `; and ${errors.length - SHOWN_REPLACEMENT_ERRORS} more` : '';
  return `, which also needs: ${shown}${more}`;
}

/** Field names this close to an unknown one (edits) are suggested when the schema accepts them at that place. */
const SUGGESTION_DISTANCE = 2;

/** `spec.resource: unknown field "resource"` gets `; did you mean "resources"?` when that field is valid there. */
function withSuggestion(error: SchemaError, data: unknown, validate: Validator, version: KubernetesVersion): SchemaError {
  const match = /: unknown field "(.*)"$/.exec(error.message);
  const field = error.path[error.path.length - 1];
  if (match === null || typeof field !== 'string') return error;
  const parentPath = error.path.slice(0, -1);
  const parent = valueAtPath(data, parentPath);
  if (!isRecord(parent)) return error;
  const candidates = similarFields(field.toLowerCase(), version).filter(
    ({ name, distance }) => distance < field.length / 2 && !(name in parent),
  );
  for (const { name } of candidates) {
    const renamed = { ...parent, [name]: parent[field] };
    delete renamed[field];
    const trial = replaceAtPath(data, parentPath, renamed);
    validate(trial);
    const pointer = parentPath.map((step) => `/${String(step).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    const stillUnknown = (validate.errors ?? []).some(
      (e) => e.keyword === 'additionalProperties' && e.instancePath === pointer && e.params.additionalProperty === name,
    );
    if (!stillUnknown) return { ...error, message: `${error.message}; did you mean "${name}"?` };
  }
  return error;
}

interface Candidate {
  readonly name: string;
  readonly distance: number;
}

interface KnownField {
  readonly name: string;
  readonly lower: string;
}

const lowerCased = new Map<KubernetesVersion, readonly KnownField[]>();

/** The field names of `version`'s definitions, each with its lower-case spelling. */
function lowerCaseFields(version: KubernetesVersion): readonly KnownField[] {
  let fields = lowerCased.get(version);
  if (fields === undefined) lowerCased.set(version, (fields = loadCatalogue(version).fields().map((name) => ({ name, lower: name.toLowerCase() }))));
  return fields;
}

/**
 * The same misspelling is often in many objects (copied manifests): the scan of every known field runs once per
 * spelling. Bounded: emptied when full, as a long-lived process (the cdk8s plugin) may meet any number of spellings.
 */
const SIMILAR_FIELDS_KEPT = 1024;
const similarByVersion = new Map<KubernetesVersion, Map<string, readonly Candidate[]>>();

/** The known field names within SUGGESTION_DISTANCE edits of `lower` (a lower-case name), nearest first, then by name. */
function similarFields(lower: string, version: KubernetesVersion): readonly Candidate[] {
  let similar = similarByVersion.get(version);
  if (similar === undefined) similarByVersion.set(version, (similar = new Map()));
  const known = similar.get(lower);
  if (known !== undefined) return known;
  const found: Candidate[] = [];
  for (const { name, lower: lowerName } of lowerCaseFields(version)) {
    const distance = editDistance(lower, lowerName, SUGGESTION_DISTANCE);
    if (distance <= SUGGESTION_DISTANCE) found.push({ name, distance });
  }
  found.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  if (similar.size >= SIMILAR_FIELDS_KEPT) similar.clear();
  similar.set(lower, found);
  return found;
}

function valueAtPath(data: unknown, path: Path): unknown {
  let current = data;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** A copy of `data` with the node at `path` replaced (only the nodes along the path are copied). */
function replaceAtPath(data: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [step, ...rest] = path;
  const container = data as Record<string | number, unknown>;
  const copy = (Array.isArray(data) ? [...(data as unknown[])] : { ...container }) as Record<string | number, unknown>;
  copy[step] = replaceAtPath(container[step], rest, value);
  return copy;
}

/** Unknown fields whose value is null (normalise drops null fields before validating). */
function unknownNullFields(validate: Validator, obj: unknown, version: KubernetesVersion, definition: string): SchemaError[] {
  if (validate(obj)) return [];
  const unknown = (validate.errors ?? []).filter((error) => {
    if (error.keyword !== 'additionalProperties') return false;
    const { value } = resolvePointer(error.instancePath, obj);
    return isRecord(value) && value[String(error.params.additionalProperty)] === null;
  });
  return describeErrors(unknown, obj, version, definition);
}

/** One message per node, in the API server's words. */
function describeErrors(
  errors: readonly AjvError[],
  data: unknown,
  version: KubernetesVersion,
  definition: string,
): SchemaError[] {
  const byPath = new Map<string, SchemaError>();
  for (const error of errors) {
    const described = withAddedIn(describeError(error, data), error, version, definition);
    const key = JSON.stringify(described.path);
    if (!byPath.has(key)) byPath.set(key, described);
  }
  return [...byPath.values()];
}

/** An unknown field that a later version added says so, and how to check against that version. */
function withAddedIn(described: SchemaError, error: AjvError, version: KubernetesVersion, definition: string): SchemaError {
  if (error.keyword !== 'additionalProperties') return described;
  const since = addedIn(version, definition, described.path);
  if (since === undefined) return described;
  return {
    ...described,
    message: `${described.message} (added in Kubernetes ${since}; this run checks ${version}: --kubernetes-version)`,
  };
}


/**
 * `replicas: 3.0` where the API has an integer. kubectl and Helm read YAML into Go values and write JSON again
 * (sigs.k8s.io/yaml), which prints the float 3 as `3`, so the API server gets an integer; a client that sends the
 * number as written (the Python client, Ansible) gets the API server's JSON decoder error. Such fields are found
 * by validating again with each of these numbers given a fraction: the schema then says which must be integers.
 */
function floatTokenWarnings(validate: Validator, data: unknown, found: readonly Path[], version: KubernetesVersion, definition: string): SchemaError[] {
  let trial = data;
  for (const p of found) trial = replaceAtPath(trial, p, (valueAtPath(data, p) as number) + 0.5);
  validate(trial);
  const integers = new Set(
    (validate.errors ?? []).filter((e) => e.keyword === 'type' && String(e.params.type).includes('integer')).map((e) => e.instancePath),
  );
  return found
    .filter((p) => integers.has(p.map((step) => `/${String(step).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')))
    .map((p) => {
      const token = tokenOf(valueAtPath(data, p.slice(0, -1)), p[p.length - 1])!;
      const value = valueAtPath(data, p) as number;
      const struct = definitionAt(version, definition, p.slice(0, -1))?.split('.').pop();
      const goField = p.filter((step) => typeof step === 'string').join('.');
      const decoderError = `json: cannot unmarshal number ${token} into Go struct field ${struct ? `${struct}.` : ''}${goField}`;
      return {
        path: p,
        severity: 'warning' as const,
        message:
          `${formatPath(p)}: Invalid value: \`${token}\`: a float where the API has an integer: kubectl and Helm send it as ${value}, ` +
          `but the API server refuses the number as written from a client that sends it so (the Python client, Ansible): "${decoderError} ..."; write ${value}`,
      };
    });
}

/** At most MAX_ERRORS errors, the rest summarised in one last error. */
function limitErrors(all: readonly SchemaError[]): SchemaError[] {
  if (all.length <= MAX_ERRORS) return [...all];
  const shown = all.slice(0, MAX_ERRORS);
  shown.push({ path: [], message: `${all.length - MAX_ERRORS} more schema errors not shown` });
  return shown;
}

function describeError(error: AjvError, data: unknown): SchemaError {
  const { path: nodePath, value, parent } = resolvePointer(error.instancePath, data);
  const at = (p: Path): string => formatPath(p);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const p = [...nodePath, field];
      return { path: p, message: `${at(p)}: unknown field "${field}"` };
    }
    case 'required': {
      const p = [...nodePath, String(error.params.missingProperty)];
      return { path: p, message: `${at(p)}: Required value` };
    }
    case 'type': {
      const token = tokenOf(parent, nodePath[nodePath.length - 1]);
      const advice = typeAdvice(String(error.params.type), value, token);
      return { path: nodePath, message: `${at(nodePath)}: Invalid value: ${render(value)}: ${advice}` };
    }
    case 'pattern': {
      // The only pattern in the schemas is the quantity grammar.
      return { path: nodePath, message: `${at(nodePath)}: Invalid value: ${render(value)}: ${quantityErrorWithHint(value)}` };
    }
    default:
      return { path: nodePath, message: `${at(nodePath)}: ${error.message ?? error.keyword}` };
  }
}

/** ` (the unquoted \`n\`)`: the token a value was read from, when it reads differently. */
function wroteAs(token: string | undefined): string {
  if (token === undefined) return '';
  return ` (the unquoted \`${token.length > 40 ? `${token.slice(0, 37)}...` : token}\`)`;
}

/** What the expected JSON type(s) mean for a user, and how to fix the usual YAML slip. */
function typeAdvice(expected: string, value: unknown, token?: string): string {
  switch (expected) {
    case 'string':
      if (typeof value === 'boolean') {
        return (
          `is a boolean${wroteAs(token)}, must be a string: ` +
          'YAML reads unquoted yes, no, on, off, true and false as booleans; quote the value'
        );
      }
      if (typeof value === 'number') return `is a number${wroteAs(token)}, must be a string: quote the value`;
      return 'must be a string';
    case 'string,number':
      return 'must be a quantity: a string such as "500m" or "10Gi", or a number';
    case 'string,integer':
      return 'must be an integer or a string';
    case 'integer':
      return 'must be an integer';
    case 'number':
      return 'must be a number';
    case 'boolean':
      return 'must be a boolean (true or false)';
    case 'object':
      return 'must be a mapping';
    case 'array':
      return 'must be a list';
    default:
      return `must be of type ${expected}`;
  }
}

/** Turns ajv's JSON pointer into a Path, with numbers for list indexes, and the value it points at. */
function resolvePointer(pointer: string, data: unknown): { path: Path; value: unknown; parent?: unknown } {
  const segments: (string | number)[] = [];
  let node = data;
  let parent: unknown;
  if (pointer === '') return { path: segments, value: node };
  for (const raw of pointer.slice(1).split('/')) {
    parent = node;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return { path: segments, value: node, parent };
}

/** `spec.template.spec.containers[0].env[1].value`; map keys that are not identifiers go in brackets. */
export function formatPath(p: Path): string {
  let out = '';
  for (const segment of p) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${segment}]`;
  }
  return out === '' ? '<root>' : out;
}

function render(value: unknown): string {
  if (value === undefined) return 'null';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
