/**
 * The checks the API server makes beyond the OpenAPI schema (pkg/apis/core/validation and friends) for the fields
 * a stateful workload uses: object names, label syntax, claim and volume sizes, access modes and NFS sources.
 * Messages are the API server's own, at the offending node. Shapes the schema rejects are skipped here.
 */
import type { Path } from '../core/types';
import { compareQuantity, formatQuantity, parseQuantity, quantityOf } from '../k8s/quantity';
import {
  accessModeErrors,
  fieldName,
  podSpecErrors,
  required,
  servicePortErrors,
  statefulSetNumberErrors,
  type FieldError,
} from '../k8s/validation';
import {
  dns1035LabelProblems,
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  labelKeyProblems,
  labelValueProblems,
} from '../k8s/names';
import { containerPredicateErrors } from '../k8s/pod-predicates';
import { isClusterScoped, POD_TEMPLATE_KINDS } from '../k8s/kinds';

export type SemanticError = FieldError;

type NameRule = (name: string) => string[];

/**
 * How the API server checks metadata.name, by kind (only kinds whose rule is known: RBAC objects, for one, accept
 * any path segment and are left alone).
 */
const NAME_RULES: Readonly<Record<string, NameRule>> = {
  Service: dns1035LabelProblems,
  Namespace: dns1123LabelProblems,
  ...Object.fromEntries(
    [
      'Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'ConfigMap', 'Secret', 'ServiceAccount', 'Endpoints',
      'StatefulSet', 'Deployment', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'PodDisruptionBudget',
      'StorageClass', 'Ingress', 'NetworkPolicy',
    ].map((kind) => [kind, dns1123SubdomainProblems]),
  ),
};


/**
 * apps/v1 StatefulSet validation does not validate its pod template's spec (ValidatePodTemplateSpecForStatefulSet):
 * the StatefulSet is accepted, and the controller's every pod creation is refused with the pod's own error.
 */
const POD_CREATION_CONSEQUENCE =
  ' (Kubernetes 1.28 accepts the StatefulSet, but the StatefulSet controller fails every pod creation with this error)';

const NOT_POSITIVE = 'must be greater than zero';
const ZERO = quantityOf(0);

/**
 * 1.28 does not validate claim templates (kubernetes/kubernetes#132211, fixed in 1.34): it accepts the StatefulSet,
 * then rejects each claim the controller creates from the template with the same message.
 */
const CLAIM_TEMPLATE_CONSEQUENCE =
  ' (Kubernetes 1.28 accepts the StatefulSet but rejects every claim the controller creates from this template, so no pod starts)';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quoted(value: string): string {
  return JSON.stringify(value);
}

/** Errors the API server would report for `obj` (a mapping with string apiVersion and kind) beyond its schema. */
export function semanticErrors(obj: Record<string, unknown>): SemanticError[] {
  const kind = obj.kind as string;
  const nameRule = NAME_RULES[kind];
  const errors = metadataErrors(obj.metadata, ['metadata'], nameRule, nameRule !== undefined && !isClusterScoped(kind));
  const specErrors = SPEC_ERRORS.get(kind);
  if (specErrors !== undefined && isRecord(obj.spec)) errors.push(...specErrors(obj.spec));
  return errors;
}

/** The checks of each kind's spec (one small function per kind rather than one that tests every kind). */
const SPEC_ERRORS: ReadonlyMap<string, (spec: Record<string, unknown>) => SemanticError[]> = new Map([
  ...POD_TEMPLATE_KINDS.map((kind) => [kind, (spec: Record<string, unknown>) => podTemplateErrors(kind, spec)] as const),
  // Replaces the entry above: a StatefulSet's template, numbers and claim templates.
  ['StatefulSet', statefulSetErrors],
  ['Pod', (spec) => allPodSpecErrors(spec, ['spec'])],
  ['Service', (spec) => (Array.isArray(spec.ports) ? servicePortErrors(spec.ports, ['spec', 'ports']) : [])],
  ['PersistentVolumeClaim', (spec) => claimSpecErrors(spec, ['spec'])],
  ['PersistentVolume', volumeSpecErrors],
]);

function statefulSetErrors(spec: Record<string, unknown>): SemanticError[] {
  const errors = [...podTemplateErrors('StatefulSet', spec), ...statefulSetNumberErrors(spec)];
  if (!Array.isArray(spec.volumeClaimTemplates)) return errors;
  spec.volumeClaimTemplates.forEach((template, i) => {
    if (isRecord(template) && isRecord(template.spec)) {
      const found = claimSpecErrors(template.spec, ['spec', 'volumeClaimTemplates', i, 'spec']);
      errors.push(...found.map((e) => ({ path: e.path, message: `${e.message}${CLAIM_TEMPLATE_CONSEQUENCE}` })));
    }
  });
  return errors;
}

/** The labels and pod spec of a workload's pod template (the API server checks both). */
function podTemplateErrors(kind: string, spec: Record<string, unknown>): SemanticError[] {
  const template = spec.template;
  if (!isRecord(template)) return [];
  const errors = isRecord(template.metadata) ? labelErrors(template.metadata.labels, ['spec', 'template', 'metadata', 'labels']) : [];
  if (isRecord(template.spec)) errors.push(...templatePodSpecErrors(kind, template.spec));
  return errors;
}

/** Errors of a workload's pod template spec, worded as the API server words them for that kind. */
function templatePodSpecErrors(kind: string, podSpec: Record<string, unknown>): SemanticError[] {
  if (kind !== 'StatefulSet') return allPodSpecErrors(podSpec, ['spec', 'template', 'spec']);
  // Worded as the pod the controller creates (spec.containers[0]...), located in the template.
  return allPodSpecErrors(podSpec, ['spec']).map((error) => ({
    path: ['spec', 'template', ...error.path],
    message: `${error.message}${POD_CREATION_CONSEQUENCE}`,
  }));
}

function allPodSpecErrors(podSpec: Record<string, unknown>, at: Path): SemanticError[] {
  return [...podSpecErrors(podSpec, at), ...containerPredicateErrors(podSpec, at)];
}

function metadataErrors(metadata: unknown, at: Path, nameRule: NameRule | undefined, namespaced: boolean): SemanticError[] {
  if (!isRecord(metadata)) return [];
  const errors: SemanticError[] = [];
  if (nameRule && typeof metadata.name === 'string' && metadata.name !== '') {
    invalidField(errors, at, 'name', metadata.name, nameRule(metadata.name));
  }
  // kubectl drops the namespace of a cluster-scoped object, so only a namespaced object's namespace is checked.
  if (namespaced && typeof metadata.namespace === 'string' && metadata.namespace !== '') {
    invalidField(errors, at, 'namespace', metadata.namespace, dns1123LabelProblems(metadata.namespace));
  }
  errors.push(...labelErrors(metadata.labels, [...at, 'labels']));
  return errors;
}

/** One `Invalid value` error per problem of `value`, the value of `field` in the mapping at `at`. */
function invalidField(errors: SemanticError[], at: Path, field: string, value: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const path = [...at, field];
  for (const problem of problems) errors.push({ path, message: `${fieldName(path)}: Invalid value: ${quoted(value)}: ${problem}` });
}

/** ValidateLabels: every problem of a key or value, reported at `labels` as the API server does. */
function labelErrors(labels: unknown, at: Path): SemanticError[] {
  if (!isRecord(labels)) return [];
  const errors: SemanticError[] = [];
  for (const key of Object.keys(labels)) {
    const value = labels[key];
    const keyProblems = labelKeyProblemsOf(key);
    const valueProblems = typeof value === 'string' ? labelValueProblems(value) : [];
    if (keyProblems.length === 0 && valueProblems.length === 0) continue;
    const report = (text: string, problem: string) =>
      errors.push({ path: [...at, key], message: `${fieldName(at)}: Invalid value: ${quoted(text)}: ${problem}` });
    for (const problem of keyProblems) report(key, problem);
    for (const problem of valueProblems) report(value as string, problem);
  }
  return errors;
}

/**
 * Label keys already found valid. The same few keys (`app`, `app.kubernetes.io/name`...) label most objects, and
 * checking a prefixed key splits and matches it. Bounded: emptied when full, so memory does not grow with the input.
 */
const validLabelKeys = new Set<string>();
const VALID_LABEL_KEYS_KEPT = 4096;

function labelKeyProblemsOf(key: string): string[] {
  if (validLabelKeys.has(key)) return [];
  const problems = labelKeyProblems(key);
  if (problems.length === 0) {
    if (validLabelKeys.size >= VALID_LABEL_KEYS_KEPT) validLabelKeys.clear();
    validLabelKeys.add(key);
  }
  return problems;
}

/** ValidatePersistentVolumeClaimSpec: access modes (ReadWriteOncePod alone) and a positive storage request. */
function claimSpecErrors(spec: Record<string, unknown>, at: Path): SemanticError[] {
  const errors: SemanticError[] = [];
  const accessModes = spec.accessModes;
  if (accessModes === undefined || (Array.isArray(accessModes) && accessModes.length === 0)) {
    const p = [...at, 'accessModes'];
    errors.push({ path: p, message: `${fieldName(p)}: Required value: at least 1 access mode is required` });
  }
  errors.push(...accessModeErrors(accessModes, at));
  const requests = isRecord(spec.resources) ? spec.resources.requests : undefined;
  const storage = isRecord(requests) ? requests.storage : undefined;
  // The API server names the field `resources[storage]`, without `requests`.
  const field = `${fieldName([...at, 'resources'])}[storage]`;
  if (storage === undefined) {
    errors.push({ path: [...at, 'resources', 'requests', 'storage'], message: `${field}: Required value` });
  } else {
    errors.push(...positiveQuantityErrors(storage, [...at, 'resources', 'requests', 'storage'], field));
  }
  return errors;
}

/**
 * ValidatePersistentVolumeSpec: access modes (ReadWriteOncePod alone), a positive storage capacity, an NFS source's
 * server and path, and the node affinity a local volume needs (the alpha annotation that once carried it is read no
 * more). The missing affinity is reported on `local`, the field that needs it.
 */
function volumeSpecErrors(spec: Record<string, unknown>): SemanticError[] {
  const errors: SemanticError[] = [];
  const accessModes = spec.accessModes;
  if (accessModes === undefined || (Array.isArray(accessModes) && accessModes.length === 0)) {
    errors.push({ path: ['spec', 'accessModes'], message: 'spec.accessModes: Required value' });
  }
  errors.push(...accessModeErrors(accessModes, ['spec']));
  const capacity = spec.capacity;
  if (!isRecord(capacity) || Object.keys(capacity).length === 0) {
    errors.push({ path: ['spec', 'capacity'], message: 'spec.capacity: Required value' });
  } else if (capacity.storage === undefined) {
    const given = JSON.stringify(Object.keys(capacity));
    errors.push({ path: ['spec', 'capacity'], message: `spec.capacity: Unsupported value: ${given}: supported values: "storage"` });
  } else {
    errors.push(...positiveQuantityErrors(capacity.storage, ['spec', 'capacity', 'storage'], 'spec.capacity[storage]'));
  }
  if (isRecord(spec.local) && (spec.nodeAffinity === undefined || spec.nodeAffinity === null)) {
    errors.push({ ...required(['spec', 'nodeAffinity'], 'Local volume requires node affinity'), path: ['spec', 'local'] });
  }
  const nfs = spec.nfs;
  if (isRecord(nfs)) {
    if (nfs.server === undefined || nfs.server === '') {
      errors.push({ path: ['spec', 'nfs', 'server'], message: 'spec.nfs.server: Required value' });
    }
    if (nfs.path === undefined || nfs.path === '') {
      errors.push({ path: ['spec', 'nfs', 'path'], message: 'spec.nfs.path: Required value' });
    } else if (typeof nfs.path === 'string' && !nfs.path.startsWith('/')) {
      errors.push({ path: ['spec', 'nfs', 'path'], message: `spec.nfs.path: Invalid value: ${quoted(nfs.path)}: must be an absolute path` });
    }
  }
  return errors;
}

/** ValidatePositiveQuantityValue; a value that is not a quantity at all is the schema's to report. */
function positiveQuantityErrors(value: unknown, path: Path, field: string): SemanticError[] {
  if (typeof value !== 'string' && typeof value !== 'number') return [];
  const quantity = parseQuantity(value);
  if (quantity === undefined || compareQuantity(quantity, ZERO) > 0) return [];
  // The API server prints the canonical form (`0Gi` is "0").
  const canonical = formatQuantity({ num: quantity.num, den: quantity.den }, { binaryHint: false });
  return [{ path, message: `${field}: Invalid value: ${quoted(canonical)}: ${NOT_POSITIVE}` }];
}
