/**
 * The API server's own checks (pkg/apis/core/validation, pkg/apis/apps/validation, apimachinery's
 * util/validation), as predicates that return `{path, message}` worded exactly as the API server words them
 * (`spec.replicas: Invalid value: -5: must be greater than or equal to 0`). The schema's semantic pass, the rules
 * and the constructs' eager checks all ask here, so none of them can accept what the others refuse.
 */
import type { Path } from '../core/types';
import { ACCESS_MODE_ORDER } from './binder-predicates';
import { dns1123LabelProblems } from './names';

export interface FieldError {
  readonly path: Path;
  readonly message: string;
}

export const INT32_MAX = 2147483647;
export const INT32_MIN = -2147483648;
const PORT_NAME_MAX = 15;

/** `spec.template.spec.containers[0].ports[1].name`, as field.Path prints a path. */
export function fieldName(path: Path): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

/** A value as field.Invalid prints it: strings quoted, numbers and booleans bare. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** field.Invalid: `<field>: Invalid value: <value>: <detail>`. */
export function invalid(path: Path, value: unknown, detail: string): FieldError {
  return { path, message: `${fieldName(path)}: Invalid value: ${shown(value)}: ${detail}` };
}

/** field.Required: `<field>: Required value` (with a detail when the API server gives one). */
export function required(path: Path, detail = ''): FieldError {
  return { path, message: `${fieldName(path)}: Required value${detail === '' ? '' : `: ${detail}`}` };
}

/** field.Duplicate: `<field>: Duplicate value: <value>`. */
export function duplicate(path: Path, value: unknown): FieldError {
  return { path, message: `${fieldName(path)}: Duplicate value: ${shown(value)}` };
}

/** field.Forbidden: `<field>: Forbidden: <detail>`. */
export function forbidden(path: Path, detail: string): FieldError {
  return { path, message: `${fieldName(path)}: Forbidden: ${detail}` };
}

/**
 * ValidatePersistentVolumeSpec and ValidatePersistentVolumeClaimSpec: ReadWriteOncePod stands alone, never next to
 * ReadWriteOnce, ReadOnlyMany or ReadWriteMany (unknown modes are the schema's to report).
 */
export function accessModeErrors(accessModes: unknown, at: Path): FieldError[] {
  if (!Array.isArray(accessModes) || !accessModes.includes(READ_WRITE_ONCE_POD)) return [];
  const known: readonly unknown[] = ACCESS_MODE_ORDER;
  const others = accessModes.some((mode) => mode !== READ_WRITE_ONCE_POD && known.includes(mode));
  return others ? [forbidden([...at, 'accessModes'], 'may not use ReadWriteOncePod with other access modes')] : [];
}

const READ_WRITE_ONCE_POD = 'ReadWriteOncePod';

/** IsValidPortName (IANA_SVC_NAME): the reasons `name` is not a port name; empty when it is one. */
export function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > PORT_NAME_MAX) problems.push(`must be no more than ${PORT_NAME_MAX} characters`);
  if (!/^[-a-z0-9]+$/.test(name)) problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen');
  return problems;
}

/** IsValidPortNum: a port number from 1 to 65535. */
export function portNumberProblems(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/**
 * Why a number cannot be the value of an int32 field (replicas, ordinals.start, containerPort ...): the API server
 * decodes into a 32-bit integer. Non-numbers are the schema's to report.
 */
export function int32Problems(value: number): string[] {
  if (value > INT32_MAX) return [`must be less than or equal to ${INT32_MAX}`];
  if (value < INT32_MIN) return [`must be greater than or equal to ${INT32_MIN}`];
  if (!Number.isInteger(value)) return ['must be an integer'];
  return [];
}

/** Whether `value` is what an int32 field holds (an integer in range). */
export function isInt32(value: unknown): value is number {
  return typeof value === 'number' && int32Problems(value).length === 0;
}

/** An int32 field that must not be negative (ValidateNonnegativeField): its errors at `path`. */
export function nonNegativeInt32Errors(value: unknown, path: Path): FieldError[] {
  if (typeof value !== 'number') return [];
  const problems = int32Problems(value);
  if (problems.length > 0) return problems.map((problem) => invalid(path, value, problem));
  return value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The numbers of a StatefulSet spec (ValidateStatefulSetSpec): replicas, ordinals.start, minReadySeconds ... */
export function statefulSetNumberErrors(spec: Json, at: Path = ['spec']): FieldError[] {
  const errors = [
    ...nonNegativeInt32Errors(spec.replicas, [...at, 'replicas']),
    ...nonNegativeInt32Errors(spec.minReadySeconds, [...at, 'minReadySeconds']),
  ];
  if (isRecord(spec.ordinals)) errors.push(...nonNegativeInt32Errors(spec.ordinals.start, [...at, 'ordinals', 'start']));
  const rollingUpdate = isRecord(spec.updateStrategy) ? spec.updateStrategy.rollingUpdate : undefined;
  if (isRecord(rollingUpdate)) {
    errors.push(...nonNegativeInt32Errors(rollingUpdate.partition, [...at, 'updateStrategy', 'rollingUpdate', 'partition']));
  }
  return errors;
}

/**
 * validateContainerPorts: each named port an IANA_SVC_NAME, unique within the container; containerPort 1-65535.
 * `at` is the path of the container's `ports` list.
 */
export function containerPortErrors(ports: readonly unknown[], at: Path): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const { name, containerPort } = raw;
    if (typeof name === 'string' && name !== '') {
      const problems = portNameProblems(name);
      for (const problem of problems) errors.push(invalid([...at, index, 'name'], name, problem));
      if (problems.length === 0 && names.has(name)) errors.push(duplicate([...at, index, 'name'], name));
      names.add(name);
    }
    if (Number.isInteger(containerPort) && containerPort !== 0) {
      for (const problem of portNumberProblems(containerPort as number)) {
        errors.push(invalid([...at, index, 'containerPort'], containerPort, problem));
      }
    }
  });
  return errors;
}

/**
 * validateServicePort: a name is a DNS-1123 label, required when the Service has several ports, unique; port
 * 1-65535; a named targetPort is an IANA_SVC_NAME. `at` is the path of the Service's `ports` list.
 */
export function servicePortErrors(ports: readonly unknown[], at: Path): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const requireName = ports.length > 1;
  ports.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const { name, port, targetPort } = raw;
    if (name === undefined || name === '') {
      if (requireName) errors.push(required([...at, index, 'name']));
    } else if (typeof name === 'string') {
      for (const problem of dns1123LabelProblems(name)) errors.push(invalid([...at, index, 'name'], name, problem));
      if (names.has(name)) errors.push(duplicate([...at, index, 'name'], name));
      names.add(name);
    }
    // A number that is not an integer is the schema's to report.
    if (typeof port === 'number' && Number.isInteger(port)) {
      for (const problem of portNumberProblems(port)) errors.push(invalid([...at, index, 'port'], port, problem));
    }
    if (typeof targetPort === 'string') {
      for (const problem of portNameProblems(targetPort)) {
        errors.push(invalid([...at, index, 'targetPort'], targetPort, problem));
      }
    } else if (typeof targetPort === 'number' && Number.isInteger(targetPort) && targetPort !== 0) {
      for (const problem of portNumberProblems(targetPort)) {
        errors.push(invalid([...at, index, 'targetPort'], targetPort, problem));
      }
    }
  });
  return errors;
}

const CONTAINER_LISTS = ['initContainers', 'containers'] as const;

/**
 * What ValidatePodSpec checks of the containers that a workload's manifests get wrong: names (DNS-1123 labels,
 * unique across containers and initContainers), ports (validateContainerPorts), and unique mount paths
 * (ValidateVolumeMounts). `at` is the path of the pod spec; messages name the fields from there.
 */
export function podSpecErrors(podSpec: Json, at: Path): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const list of CONTAINER_LISTS) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, i) => {
      if (!isRecord(container)) return;
      const path = [...at, list, i];
      const { name } = container;
      if (typeof name === 'string' && name !== '') {
        for (const problem of dns1123LabelProblems(name)) errors.push(invalid([...path, 'name'], name, problem));
        if (names.has(name)) errors.push(duplicate([...path, 'name'], name));
        names.add(name);
      }
      if (Array.isArray(container.ports)) errors.push(...containerPortErrors(container.ports, [...path, 'ports']));
      if (Array.isArray(container.volumeMounts)) {
        errors.push(...uniqueMountPathErrors(container.volumeMounts, [...path, 'volumeMounts']));
      }
    });
  }
  return errors;
}

function uniqueMountPathErrors(mounts: readonly unknown[], at: Path): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  mounts.forEach((mount, i) => {
    const mountPath = isRecord(mount) ? mount.mountPath : undefined;
    if (typeof mountPath !== 'string') return;
    if (seen.has(mountPath)) errors.push(invalid([...at, i, 'mountPath'], mountPath, 'must be unique'));
    seen.add(mountPath);
  });
  return errors;
}
