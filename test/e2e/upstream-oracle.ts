/**
 * The upstream Kubernetes 1.28 definitions (../shared/kubernetes) as a strict oracle: unknown fields rejected.
 * Absent outside the development machine: callers skip with UPSTREAM_SKIP.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { repoRoot } from './synth-helpers';

export const DEFINITIONS = path.resolve(repoRoot, '../shared/kubernetes/v1.28.0/_definitions.json');

type Schema = Record<string, any>;

/** Rejects unknown fields: `additionalProperties: false` on every object schema that lists its properties. */
function strictify(schema: Schema): void {
  if (schema === null || typeof schema !== 'object') {
    return;
  }
  if (schema.properties && typeof schema.properties === 'object') {
    if (schema.additionalProperties === undefined) {
      schema.additionalProperties = false;
    }
    Object.values<Schema>(schema.properties).forEach(strictify);
  }
  if (schema.items) {
    (Array.isArray(schema.items) ? schema.items : [schema.items]).forEach(strictify);
  }
  if (typeof schema.additionalProperties === 'object') {
    strictify(schema.additionalProperties);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    (schema[key] ?? []).forEach(strictify);
  }
}

/** `apps/v1 StatefulSet` -> its definition name, from `x-kubernetes-group-version-kind`. */
function definitionsByKind(definitions: Record<string, Schema>): Map<string, string> {
  const byKind = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      const key = `${apiVersion} ${gvk.kind}`;
      // Some definitions (DeleteOptions, WatchEvent) list many kinds; the kind's own definition wins.
      if (!byKind.has(key) || name.endsWith(`.${gvk.kind}`)) {
        byKind.set(key, name);
      }
    }
  }
  return byKind;
}

export function loadValidators(): (object: any) => ValidateFunction {
  const { definitions } = JSON.parse(fs.readFileSync(DEFINITIONS, 'utf8')) as { definitions: Record<string, Schema> };
  Object.values(definitions).forEach(strictify);
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'k8s-1.28.json', definitions });
  const byKind = definitionsByKind(definitions);
  return (object) => {
    const name = byKind.get(`${object.apiVersion} ${object.kind}`);
    assert.ok(name, `${object.apiVersion} ${object.kind} is not served by Kubernetes 1.28`);
    const validate = ajv.getSchema(`k8s-1.28.json#/definitions/${name}`);
    assert.ok(validate, `no validator for ${name}`);
    return validate;
  };
}

export function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}

/** A skip reason when the definitions are absent, else false. */
export const UPSTREAM_SKIP: string | false = fs.existsSync(DEFINITIONS) ? false : `${DEFINITIONS} is absent: upstream 1.28 schema check skipped`;

/** The upstream errors of an object ('' when valid). */
export function upstreamErrors(validatorFor: (object: any) => ValidateFunction, object: any): string {
  const validate = validatorFor(object);
  return validate(object) ? '' : `${object.kind}/${object.metadata?.name}:\n${errorsOf(validate)}`;
}
