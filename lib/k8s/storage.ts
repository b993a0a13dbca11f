/**
 * Turn PersistentVolume, PersistentVolumeClaim and claim-template objects (any shape, as parsed from YAML) into the
 * binder's plain data (which claims a StatefulSet creates is rules/support/claims.ts's to say). Missing or malformed
 * fields read as absent; schema validation reports them elsewhere.
 */
import type { KubeObject } from '../core/types';
import { ACCESS_MODE_ORDER, type ClaimCreation, type ClaimRef, type ClaimSpec, type PvSpec } from './binder-predicates';
import { parseQuantity, Quantity, quantityError } from './quantity';
import type { LabelSelector, LabelSelectorRequirement, Labels } from './selector';

/** The annotation that, where present, overrides `storageClassName` on both PVs and claims. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The access modes the API knows, one string object each. Every parsed claim and PV holds its own copy of
 * `ReadWriteOnce`; the binder compares modes many times per claim, and on a large set comparing two copies means
 * reaching each claim's copy in memory again.
 */
const KNOWN_MODES = new Map<string, string>(ACCESS_MODE_ORDER.map((mode) => [mode, mode]));

function accessModesOf(value: unknown): string[] {
  const modes = strings(value);
  for (let i = 0; i < modes.length; i++) modes[i] = KNOWN_MODES.get(modes[i]) ?? modes[i];
  return modes;
}

/** No labels: one object for the many PVs that have none. */
const NO_LABELS: Labels = Object.freeze({});

/** Labels as strings; YAML numbers and booleans are kept as their text (the schema pass flags them). */
export function labelsOf(value: unknown): Labels {
  const given = record(value);
  if (given === undefined) return NO_LABELS;
  const labels: Record<string, string> = {};
  for (const key of Object.keys(given)) {
    const raw = given[key];
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') labels[key] = String(raw);
  }
  return labels;
}

/** A `metav1.LabelSelector` from YAML, or undefined when absent or not a mapping. */
export function labelSelectorOf(value: unknown): LabelSelector | undefined {
  const selector = record(value);
  if (selector === undefined) return undefined;
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (Array.isArray(selector.matchExpressions)) {
    for (const item of selector.matchExpressions) {
      const requirement = record(item);
      if (requirement === undefined) continue;
      matchExpressions.push({
        key: text(requirement.key) ?? '',
        operator: text(requirement.operator) ?? '',
        ...(requirement.values === undefined ? {} : { values: strings(requirement.values) }),
      });
    }
  }
  return {
    ...(selector.matchLabels === undefined ? {} : { matchLabels: labelsOf(selector.matchLabels) }),
    ...(matchExpressions.length === 0 ? {} : { matchExpressions }),
  };
}

function quantityOf(value: unknown): { quantity?: Quantity; error?: string } {
  if (value === undefined || value === null) return {};
  const error = quantityError(value);
  if (error !== undefined) return { error };
  return { quantity: parseQuantity(value as string | number)! };
}

/** The class the controller reads: the beta annotation first, else `spec.storageClassName`; undefined when unset. */
function classOf(object: Json | undefined, spec: Json | undefined): string | undefined {
  const annotations = record(record(object?.metadata)?.annotations);
  const annotated = text(annotations?.[BETA_STORAGE_CLASS_ANNOTATION]);
  return annotated ?? text(spec?.storageClassName);
}

/** A PersistentVolume as binder input. */
export function pvSpecOf<R>(object: KubeObject, ref: R): PvSpec<R> {
  const metadata = record(object.metadata);
  const spec = record(object.spec);
  const capacity = quantityOf(record(spec?.capacity)?.storage).quantity;
  const claimRefObject = record(spec?.claimRef);
  const storageClassName = classOf(object, spec);
  const volumeMode = text(spec?.volumeMode);
  // Fields are set only when present (no `undefined` members), in one fixed order.
  const pv: { -readonly [K in keyof PvSpec<R>]: PvSpec<R>[K] } = { name: text(metadata?.name) ?? '' } as PvSpec<R>;
  if (capacity !== undefined) pv.capacity = capacity;
  pv.accessModes = accessModesOf(spec?.accessModes);
  if (storageClassName !== undefined) pv.storageClassName = storageClassName;
  if (volumeMode !== undefined) pv.volumeMode = volumeMode;
  pv.labels = labelsOf(metadata?.labels);
  if (claimRefObject !== undefined) {
    const claimRef: { -readonly [K in keyof ClaimRef]: ClaimRef[K] } = {};
    const namespace = text(claimRefObject.namespace);
    const name = text(claimRefObject.name);
    const uid = text(claimRefObject.uid);
    if (namespace !== undefined) claimRef.namespace = namespace;
    if (name !== undefined) claimRef.name = name;
    if (uid !== undefined) claimRef.uid = uid;
    pv.claimRef = claimRef;
  }
  pv.ref = ref;
  return pv;
}

/** A claim as binder input, plus what the caller needs to judge it. */
export interface ClaimInput<R> {
  readonly claim: ClaimSpec<R>;
  /** The claim sets no class (no `storageClassName`, no beta annotation): a default StorageClass would apply. */
  readonly classUnset: boolean;
  /** The API server's error for an unparseable `resources.requests.storage`, if any (the request then reads as 0). */
  readonly requestError?: string;
}

export interface ClaimInputOptions {
  /** Effective class for a claim that sets none (the cluster's default StorageClass). Default: '' (no class). */
  readonly defaultClass?: string;
  /** When a StatefulSet creates the claim (see ClaimSpec.creation). */
  readonly creation?: ClaimCreation;
}

/**
 * A claim from a PersistentVolumeClaim's or a StatefulSet claim template's metadata and spec, under the name and
 * namespace the caller gives it (a template's claims are named `T-S-i` and live in the StatefulSet's namespace; its
 * own metadata.namespace is ignored by the controller). The one reader of claims for the binder.
 */
export function claimInput<R>(
  object: unknown,
  namespace: string,
  name: string,
  ref: R,
  options: ClaimInputOptions = {},
): ClaimInput<R> {
  const { fields, classUnset, requestError } = claimFieldsOf(record(object), options.defaultClass ?? '');
  const { creation } = options;
  return {
    claim: creation === undefined ? { namespace, name, ...fields, ref } : { namespace, name, ...fields, ref, creation },
    classUnset,
    ...(requestError === undefined ? {} : { requestError }),
  };
}

type ClaimFields = Omit<ClaimSpec, 'namespace' | 'name' | 'ref'>;
interface ClaimReading {
  readonly defaultClass: string;
  readonly fields: ClaimFields;
  readonly classUnset: boolean;
  readonly requestError?: string;
}

/** The last reading of each object: a StatefulSet's claims share their template, read (and parsed) once. */
const readings = new WeakMap<Json, ClaimReading>();

function claimFieldsOf(object: Json | undefined, defaultClass: string): ClaimReading {
  const cached = object && readings.get(object);
  if (cached !== undefined && cached.defaultClass === defaultClass) return cached;
  const spec = record(object?.spec);
  const request = quantityOf(record(record(spec?.resources)?.requests)?.storage);
  const explicitClass = classOf(object, spec);
  const volumeMode = text(spec?.volumeMode);
  const selector = labelSelectorOf(spec?.selector);
  const volumeName = text(spec?.volumeName);
  // Fields are set only when present (no `undefined` members), in one fixed order.
  const fields = {} as { -readonly [K in keyof ClaimFields]: ClaimFields[K] };
  if (request.quantity !== undefined) fields.request = request.quantity;
  fields.accessModes = accessModesOf(spec?.accessModes);
  fields.storageClassName = explicitClass ?? defaultClass;
  if (volumeMode !== undefined) fields.volumeMode = volumeMode;
  if (selector !== undefined) fields.selector = selector;
  if (volumeName !== undefined && volumeName !== '') fields.volumeName = volumeName;
  const classUnset = explicitClass === undefined;
  const reading: ClaimReading =
    request.error === undefined ? { defaultClass, fields, classUnset } : { defaultClass, fields, classUnset, requestError: request.error };
  if (object !== undefined) readings.set(object, reading);
  return reading;
}

/** A PersistentVolumeClaim as binder input; `namespace` is the claim's effective namespace. */
export function pvcClaimInput<R>(
  object: KubeObject,
  namespace: string,
  ref: R,
  options: ClaimInputOptions = {},
): ClaimInput<R> {
  return claimInput(object, namespace, text(object.metadata?.name) ?? '', ref, options);
}
