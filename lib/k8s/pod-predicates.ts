/**
 * What a 1.28 API server refuses in a pod template (pkg/apis/core/validation, ValidatePodSpec and friends), as
 * predicates returning the API server's own reasons (empty when the value is accepted). The constructs ask these
 * before they write a pod spec.
 *
 * Companion of validation.ts (ports, int32 counts) and names.ts (names, labels): the pod-level predicates the
 * constructs ask; containerPredicateErrors runs the container-level ones for the lint's semantic pass.
 */
import { isDns1123Label, isDns1123Subdomain } from './names';
import { compareQuantity, parseQuantity, Quantity, quantityErrorWithHint } from './quantity';
import { INT32_MAX, invalid, portNameProblems, portNumberProblems, type FieldError } from './validation';

const MAX_INT32 = INT32_MAX;

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

/** IsEnvVarName: names of env vars and envFrom prefixes. */
export function envVarNameProblems(name: string): string[] {
  if (name === '') return ['Required value'];
  return ENV_VAR_NAME.test(name)
    ? []
    : [
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must " +
        "not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation " +
        "is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ];
}

/** IsConfigMapKey: keys of ConfigMaps and Secrets (env valueFrom, volume items). */
export function configMapKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key === '') return ['Required value'];
  if (key.length > 253) problems.push('must be no more than 253 characters');
  if (!CONFIG_MAP_KEY.test(key)) {
    problems.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (key === '.') problems.push("must not be '.'");
  else if (key === '..') problems.push("must not be '..'");
  else if (key.startsWith('..')) problems.push("must not start with '..'");
  return problems;
}

/** ValidatePortNumOrName: a probe's or handler's port. */
export function portNumOrNameProblems(port: number | string): string[] {
  return typeof port === 'number' ? portNumberProblems(port) : portNameProblems(port);
}

/** validateLocalDescendingPath: a mount's subPath, a volume item's path. */
export function localDescendingPathProblems(path: string): string[] {
  const problems: string[] = [];
  if (path.startsWith('/')) problems.push('must be a relative path');
  if (path.split('/').includes('..')) problems.push("must not contain '..'");
  return problems;
}

/** validateLocalNonReservedPath: a key-to-path item's path (also must not start with `..`). */
export function localNonReservedPathProblems(path: string): string[] {
  if (path === '') return ['Required value'];
  const problems = localDescendingPathProblems(path);
  if (path.startsWith('..') && !problems.includes("must not contain '..'")) problems.push("must not start with '..'");
  return problems;
}

/** runAsUser, runAsGroup, fsGroup, supplementalGroups. */
export function idProblems(id: number): string[] {
  return Number.isInteger(id) && id >= 0 && id <= MAX_INT32 ? [] : [`must be between 0 and ${MAX_INT32}, inclusive`];
}

/** ValidateNonnegativeField (probe timings, revisionHistoryLimit, terminationGracePeriodSeconds). */
export function nonNegativeProblems(value: number): string[] {
  if (!Number.isInteger(value)) return ['must be a whole number'];
  return value >= 0 ? [] : ['must be greater than or equal to 0'];
}

/** Liveness and startup probes: successThreshold must be 1. */
export function successThresholdProblems(kind: 'liveness' | 'readiness' | 'startup', value: number): string[] {
  if (kind !== 'readiness' && value !== 1) return ['must be 1'];
  return nonNegativeProblems(value);
}

/** File mode bits of a secret/configMap/downwardAPI/projected volume or item. */
export function fileModeProblems(mode: number): string[] {
  return Number.isInteger(mode) && mode >= 0 && mode <= 0o777
    ? []
    : ['must be a number between 0 and 0777 (octal), both inclusive'];
}

/** A sysctl name (IsValidSysctlName). */
export function sysctlNameProblems(name: string): string[] {
  return name.length <= 253 && SYSCTL_NAME.test(name)
    ? []
    : [`must have at most 253 characters and match regex ${SYSCTL_NAME.source}`];
}

/** A resource quantity request/limit: a quantity >= 0. */
export function resourceQuantityProblems(value: string): string[] {
  const quantity = parseQuantity(value);
  if (quantity === undefined) return [quantityErrorWithHint(value)];
  return quantity.num < 0n ? ['must be greater than or equal to 0'] : [];
}

/** A request above its limit: `must be less than or equal to cpu limit of 1`. */
export function requestAboveLimitProblems(resource: string, request: string, limit: string): string[] {
  const r = parseQuantity(request) as Quantity | undefined;
  const l = parseQuantity(limit) as Quantity | undefined;
  if (r === undefined || l === undefined) return [];
  return compareQuantity(r, l) > 0 ? [`must be less than or equal to ${resource} limit of ${limit}`] : [];
}

/** Field paths a container's env can read with fieldRef (validEnvDownwardAPIFieldPathExpressions, 1.28). */
export const ENV_FIELD_PATHS = [
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.serviceAccountName', 'status.hostIP', 'status.podIP', 'status.podIPs',
];
/** Field paths a downwardAPI volume can project (validVolumeDownwardAPIFieldPathExpressions, 1.28). */
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

/** validateObjectFieldSelector: `metadata.labels['app']` subscripts are allowed for labels and annotations. */
export function fieldPathProblems(fieldPath: string, supported: readonly string[]): string[] {
  const subscript = /^(metadata\.(?:labels|annotations))\['(.+)'\]$/.exec(fieldPath);
  if (subscript) return [];
  if (supported.includes(fieldPath) && !(supported === ENV_FIELD_PATHS && (fieldPath === 'metadata.labels' || fieldPath === 'metadata.annotations'))) {
    return [];
  }
  const allowed = supported.filter((p) => supported !== ENV_FIELD_PATHS || (p !== 'metadata.labels' && p !== 'metadata.annotations'));
  return [`Unsupported value: "${fieldPath}": supported values: ${allowed.map((p) => `"${p}"`).join(', ')}`];
}

/** A literal IPv4 or IPv6 address (hostAliases, dnsConfig nameservers). */
export function ipProblems(ip: string): string[] {
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(ip);
  const v6 = ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && ip.split('::').length <= 2;
  return v4 || v6 ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

/** A volume name: a DNS-1123 label. */
export function volumeNameProblems(name: string): string[] {
  if (name === '') return ['Required value'];
  return isDns1123Label(name) ? [] : ['a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character'];
}

/** Names of referenced objects: ServiceAccount, Secret, ConfigMap, PriorityClass, StorageClass (DNS-1123 subdomain). */
export function objectNameProblems(name: string): string[] {
  if (name === '') return ['Required value'];
  return isDns1123Subdomain(name)
    ? []
    : ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"];
}

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** validateTolerations: the combinations of key, operator, value, effect and tolerationSeconds the API server accepts. */
export function tolerationProblems(t: {
  readonly key?: string; readonly operator?: string; readonly value?: string; readonly effect?: string; readonly tolerationSeconds?: number;
}): string[] {
  const problems: string[] = [];
  const operator = t.operator ?? 'Equal';
  if ((t.key ?? '') === '' && operator !== 'Exists') {
    problems.push('operator must be Exists when `key` is empty, which means "match all values and all keys"');
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    problems.push("effect must be 'NoExecute' when `tolerationSeconds` is set");
  }
  if (operator === 'Exists' && (t.value ?? '') !== '') problems.push("value must be empty when `operator` is 'Exists'");
  if (operator !== 'Exists' && operator !== 'Equal') problems.push(`Unsupported value: "${operator}": supported values: "Equal", "Exists"`);
  if (t.effect !== undefined && !TAINT_EFFECTS.includes(t.effect)) {
    problems.push(`Unsupported value: "${t.effect}": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`);
  }
  return problems;
}

/** A weight of a preferred (anti-)affinity term. */
export function affinityWeightProblems(weight: number): string[] {
  return Number.isInteger(weight) && weight >= 1 && weight <= 100 ? [] : ['must be in the range 1-100'];
}

const PROBES = [['livenessProbe', 'liveness'], ['readinessProbe', 'readiness'], ['startupProbe', 'startup']] as const;

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * What the lint's semantic pass asks of each container with the predicates above (the same ones the constructs
 * ask): env var names, mount subPaths, probe success thresholds, requests above limits. `at` is the pod spec's path.
 */
export function containerPredicateErrors(podSpec: Record<string, unknown>, at: ReadonlyArray<string | number>): FieldError[] {
  const errors: FieldError[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((raw, i) => {
      const container = asObject(raw);
      if (container === undefined) return;
      // Called for a problem found only (paths are built then): most containers have none.
      const report = (problems: readonly string[], value: unknown, ...where: Array<string | number>) => {
        for (const problem of problems) errors.push(invalid([...at, list, i, ...where], value, problem));
      };
      (Array.isArray(container.env) ? container.env : []).forEach((env, j) => {
        const name = asObject(env)?.name;
        if (typeof name !== 'string' || name === '') return;
        const problems = envVarNameProblems(name);
        if (problems.length > 0) report(problems, name, 'env', j, 'name');
      });
      (Array.isArray(container.volumeMounts) ? container.volumeMounts : []).forEach((mount, j) => {
        const subPath = asObject(mount)?.subPath;
        if (typeof subPath !== 'string' || subPath === '') return;
        const problems = localDescendingPathProblems(subPath);
        if (problems.length > 0) report(problems, subPath, 'volumeMounts', j, 'subPath');
      });
      for (const [field, kind] of PROBES) {
        const threshold = asObject(container[field])?.successThreshold;
        if (typeof threshold !== 'number' || kind === 'readiness' || threshold === 1) continue;
        const problems = successThresholdProblems(kind, threshold);
        if (problems.length > 0) report(problems, threshold, field, 'successThreshold');
      }
      const resources = asObject(container.resources);
      const requests = asObject(resources?.requests);
      const limits = asObject(resources?.limits);
      for (const [resource, request] of Object.entries(requests ?? {})) {
        const limit = limits?.[resource];
        if ((typeof request !== 'string' && typeof request !== 'number') || (typeof limit !== 'string' && typeof limit !== 'number')) continue;
        const problems = requestAboveLimitProblems(resource, String(request), String(limit));
        if (problems.length > 0) report(problems, String(request), 'resources', 'requests');
      }
    });
  }
  return errors;
}
