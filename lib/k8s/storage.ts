/**
 * Turn PersistentVolume, PersistentVolumeClaim and StatefulSet objects (any shape, as parsed from YAML) into the
 * binder's plain data. Missing or malformed fields read as absent; schema validation reports them elsewhere.
 */
import type { KubeObject } from '../lint/types';
import type { ClaimRef, ClaimSpec, PvSpec } from './binder';
import { claimName, ordinals } from './names';
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

/** Labels as strings; YAML numbers and booleans are kept as their text (the schema pass flags them). */
export function labelsOf(value: unknown): Labels {
  const labels: Record<string, string> = {};
  for (const [key, raw] of Object.entries(record(value) ?? {})) {
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
  const claimRef: ClaimRef | undefined = claimRefObject && {
    ...(text(claimRefObject.namespace) === undefined ? {} : { namespace: text(claimRefObject.namespace) }),
    ...(text(claimRefObject.name) === undefined ? {} : { name: text(claimRefObject.name) }),
    ...(text(claimRefObject.uid) === undefined ? {} : { uid: text(claimRefObject.uid) }),
  };
  return {
    name: text(metadata?.name) ?? '',
    ...(capacity === undefined ? {} : { capacity }),
    accessModes: strings(spec?.accessModes),
    ...(storageClassName === undefined ? {} : { storageClassName }),
    ...(volumeMode === undefined ? {} : { volumeMode }),
    labels: labelsOf(metadata?.labels),
    ...(claimRef === undefined ? {} : { claimRef }),
    ref,
  };
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
}

/** A claim from a PersistentVolumeClaim's (or a claim template's) metadata and spec. */
function claimInput<R>(
  object: Json | undefined,
  namespace: string,
  name: string,
  ref: R,
  options: ClaimInputOptions,
): ClaimInput<R> {
  const spec = record(object?.spec);
  const request = quantityOf(record(record(spec?.resources)?.requests)?.storage);
  const explicitClass = classOf(object, spec);
  const volumeMode = text(spec?.volumeMode);
  const selector = labelSelectorOf(spec?.selector);
  const volumeName = text(spec?.volumeName);
  const claim: ClaimSpec<R> = {
    namespace,
    name,
    ...(request.quantity === undefined ? {} : { request: request.quantity }),
    accessModes: strings(spec?.accessModes),
    storageClassName: explicitClass ?? options.defaultClass ?? '',
    ...(volumeMode === undefined ? {} : { volumeMode }),
    ...(selector === undefined ? {} : { selector }),
    ...(volumeName === undefined || volumeName === '' ? {} : { volumeName }),
    ref,
  };
  return {
    claim,
    classUnset: explicitClass === undefined,
    ...(request.error === undefined ? {} : { requestError: request.error }),
  };
}

/** A PersistentVolumeClaim as binder input; `namespace` is the claim's effective namespace. */
export function pvcClaimInput<R>(
  object: KubeObject,
  namespace: string,
  ref: R,
  options: ClaimInputOptions = {},
): ClaimInput<R> {
  return claimInput(object as Json, namespace, text(object.metadata?.name) ?? '', ref, options);
}

/** One claim a StatefulSet creates: template `template` (index `templateIndex`) for pod `ordinal`. */
export interface StatefulSetClaimInput<R> extends ClaimInput<R> {
  readonly template: string;
  readonly templateIndex: number;
  readonly ordinal: number;
}

/**
 * The claims a StatefulSet creates, ordinal by ordinal (`spec.ordinals.start`, default 0; `spec.replicas`,
 * default 1), and for each ordinal template by template — the order the controller creates them in. Claims go into
 * the StatefulSet's namespace (a template's own metadata.namespace is ignored by the controller).
 */
export function statefulSetClaimInputs<R>(
  statefulSet: KubeObject,
  namespace: string,
  ref: (templateIndex: number, ordinal: number) => R,
  options: ClaimInputOptions = {},
): StatefulSetClaimInput<R>[] {
  const spec = record(statefulSet.spec);
  const setName = text(statefulSet.metadata?.name) ?? '';
  const replicas = typeof spec?.replicas === 'number' && Number.isInteger(spec.replicas) ? spec.replicas : 1;
  const startValue = record(spec?.ordinals)?.start;
  const start = typeof startValue === 'number' && Number.isInteger(startValue) ? startValue : 0;
  const templates = Array.isArray(spec?.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  const inputs: StatefulSetClaimInput<R>[] = [];
  for (const ordinal of ordinals(start, replicas)) {
    templates.forEach((value, templateIndex) => {
      const template = record(value);
      const templateName = text(record(template?.metadata)?.name);
      if (templateName === undefined) return;
      const name = claimName(templateName, setName, ordinal);
      const input = claimInput(template, namespace, name, ref(templateIndex, ordinal), options);
      inputs.push({ ...input, template: templateName, templateIndex, ordinal });
    });
  }
  return inputs;
}
