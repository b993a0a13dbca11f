/**
 * The StatefulApp's eager checks of its pod: everything the API server would refuse (asked of lib/k8s predicates),
 * plus references inside the pod (mounts of unknown volumes, probes of unknown ports), each thrown as soon as the
 * construct is built, naming the container and the field.
 */
import { Size } from 'cdk8s';
import { labelKeyProblems, labelValueProblems } from '../k8s/names';
import {
  affinityWeightProblems, configMapKeyProblems, ENV_FIELD_PATHS, envVarNameProblems, fieldPathProblems, fileModeProblems,
  idProblems, ipProblems, localDescendingPathProblems, localNonReservedPathProblems, nonNegativeProblems,
  objectNameProblems, portNumOrNameProblems, requestAboveLimitProblems, resourceQuantityProblems,
  successThresholdProblems, sysctlNameProblems, tolerationProblems, VOLUME_FIELD_PATHS, volumeNameProblems,
} from '../k8s/pod-predicates';
import { isDns1123Subdomain } from '../k8s/names';
import { mountedName, Probe, StatefulContainer } from './container';
import { PodDns, PodScheduling, PodSecurityContextProps, PodVolume, HostAlias } from './pod';
import { sizeInBytes } from './quantity';

export type Fail = (problem: string) => Error;

/** Throws the first problem, worded `<where>: Invalid value: <value>: <problem>` as the API server words it. */
export function requireValid(problems: readonly string[], where: string, value: unknown, fail: Fail): void {
  if (problems.length === 0) return;
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const reason = problems[0];
  if (reason === 'Required value' || reason.startsWith('Unsupported value')) throw fail(`${where}: ${reason}`);
  throw fail(`${where}: Invalid value: ${shown}: ${reason}`);
}

/** Label keys and values (pod labels, object labels, selectors, node selectors). */
export function checkLabels(labels: Readonly<Record<string, string>> | undefined, where: string, fail: Fail): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    requireValid(labelKeyProblems(key), `${where} key`, key, fail);
    requireValid(labelValueProblems(value), `${where}["${key}"]`, value, fail);
  }
}

/** Annotation keys (qualified names, as label keys). */
export function checkAnnotations(annotations: Readonly<Record<string, string>> | undefined, where: string, fail: Fail): void {
  for (const key of Object.keys(annotations ?? {})) {
    requireValid(labelKeyProblems(key), `${where} key`, key, fail);
  }
}

/** The names a container may mount: claim templates and pod volumes. */
export interface MountTargets {
  readonly templates: readonly string[];
  readonly volumes: readonly string[];
}

/** One container: env, envFrom, ports it probes, resources, mounts, security, lifecycle. */
export function checkContainer(
  c: StatefulContainer,
  where: string,
  kind: 'container' | 'init' | 'sidecar',
  targets: MountTargets,
  fail: Fail,
): void {
  const ports = new Set((c.ports ?? []).map((p) => p.name));
  const envNames = Object.keys(c.env ?? {});
  envNames.forEach((name) => requireValid(envVarNameProblems(name), `${where} env name`, name, fail));
  for (const [name, value] of Object.entries(c.env ?? {})) {
    if (typeof value === 'string') continue;
    const ref = value.reference;
    if (ref.key !== undefined) {
      requireValid(configMapKeyProblems(ref.key), `${where} env ${name} key`, ref.key, fail);
      requireValid(objectNameProblems(ref.objectName ?? ''), `${where} env ${name} name`, ref.objectName, fail);
    }
    if (ref.fieldPath !== undefined) requireValid(fieldPathProblems(ref.fieldPath, ENV_FIELD_PATHS), `${where} env ${name} fieldPath`, ref.fieldPath, fail);
  }
  for (const from of c.envFrom ?? []) {
    if (from.prefix) requireValid(envVarNameProblems(from.prefix), `${where} envFrom prefix`, from.prefix, fail);
    requireValid(objectNameProblems(from.sourceName), `${where} envFrom name`, from.sourceName, fail);
  }

  const probes: Array<[string, Probe | undefined, 'liveness' | 'readiness' | 'startup']> = [
    ['readiness', c.readiness, 'readiness'], ['liveness', c.liveness, 'liveness'], ['startup', c.startup, 'startup'],
  ];
  for (const [field, probe, probeKind] of probes) {
    if (!probe) continue;
    if (kind === 'init') {
      throw fail(`${where}: ${field} probe: Forbidden: may not be set for init containers without restartPolicy=Always; use a sidecar (sidecars) or drop the probe`);
    }
    checkPort(probe.port, `${where} ${field} probe port`, ports, fail);
    const t = probe.timing;
    for (const key of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'] as const) {
      if (t[key] !== undefined) requireValid(nonNegativeProblems(t[key] as number), `${where} ${field} probe ${key}`, t[key], fail);
    }
    if (t.successThreshold !== undefined) {
      requireValid(successThresholdProblems(probeKind, t.successThreshold), `${where} ${field} probe successThreshold`, t.successThreshold, fail);
    }
  }
  if (c.lifecycle?.preStop || c.lifecycle?.postStart) {
    if (kind === 'init') throw fail(`${where}: lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always`);
    checkPort(c.lifecycle.preStop?.port, `${where} lifecycle preStop port`, ports, fail);
    checkPort(c.lifecycle.postStart?.port, `${where} lifecycle postStart port`, ports, fail);
  }

  checkResources(c, where, fail);
  checkMounts(c, where, targets, fail);
  const sc = c.security?.securityContext;
  if (sc) {
    if (sc.runAsUser !== undefined) requireValid(idProblems(sc.runAsUser), `${where} security runAsUser`, sc.runAsUser, fail);
    if (sc.runAsGroup !== undefined) requireValid(idProblems(sc.runAsGroup), `${where} security runAsGroup`, sc.runAsGroup, fail);
    if (sc.runAsNonRoot === true && sc.runAsUser === 0) {
      throw fail(`${where}: security runs as user 0 (root) with runAsNonRoot: true, so the kubelet refuses to start it; use ContainerSecurity.runAsRoot() or a non-zero user`);
    }
    if (sc.privileged && sc.allowPrivilegeEscalation === false) {
      throw fail(`${where}: security allowPrivilegeEscalation: Invalid value: false: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true`);
    }
    const seccomp = sc.seccompProfile;
    if (seccomp?.type === 'Localhost' && !seccomp.localhostProfile) {
      throw fail(`${where}: security seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost`);
    }
    if (seccomp && seccomp.type !== 'Localhost' && seccomp.localhostProfile) {
      throw fail(`${where}: security seccompProfile.localhostProfile: Invalid value: can only be set when seccomp type is Localhost`);
    }
  }
}

function checkPort(port: number | string | undefined, where: string, containerPorts: ReadonlySet<string>, fail: Fail): void {
  if (port === undefined) return;
  requireValid(portNumOrNameProblems(port), where, port, fail);
  if (typeof port === 'string' && !containerPorts.has(port)) {
    const known = [...containerPorts].join(', ') || 'none';
    throw fail(`${where} "${port}" names no port of the container (ports: ${known}); the kubelet could not resolve it`);
  }
}

function sizeBytes(size: Size | undefined): bigint | undefined {
  return size === undefined ? undefined : sizeInBytes(size);
}

function checkResources(c: StatefulContainer, where: string, fail: Fail): void {
  const r = c.resources;
  if (!r) return;
  const pairs: Array<[string, string | undefined, string | undefined]> = [
    ['cpu', r.cpu?.request?.amount, r.cpu?.limit?.amount],
  ];
  for (const [resource, field] of [['memory', r.memory], ['ephemeral-storage', r.ephemeralStorage]] as const) {
    for (const [which, size] of [['request', field?.request], ['limit', field?.limit]] as const) {
      if (size === undefined) continue;
      const bytes = sizeBytes(size);
      if (bytes === undefined) throw fail(`${where} ${resource} ${which} ${size.asString()} is not a whole number of bytes; use a size such as Size.mebibytes(500)`);
      if (bytes < 0n) throw fail(`${where} ${resource} ${which}: Invalid value: "${size.asString()}": must be greater than or equal to 0`);
      if (bytes === 0n && which === 'limit') throw fail(`${where} ${resource} limit is zero; give a positive size such as Size.gibibytes(1)`);
    }
    pairs.push([resource, field?.request ? String(sizeBytes(field.request)) : undefined, field?.limit ? String(sizeBytes(field.limit)) : undefined]);
  }
  for (const [resource, request, limit] of pairs) {
    if (request !== undefined) requireValid(resourceQuantityProblems(request), `${where} ${resource} request`, request, fail);
    if (limit !== undefined) requireValid(resourceQuantityProblems(limit), `${where} ${resource} limit`, limit, fail);
    if (request !== undefined && limit !== undefined) {
      requireValid(requestAboveLimitProblems(resource, request, limit), `${where} ${resource} request`, request, fail);
    }
  }
  for (const [name, count] of Object.entries(r.extended ?? {})) {
    requireValid(labelKeyProblems(name), `${where} extended resource name`, name, fail);
    if (!name.includes('/') || name.startsWith('kubernetes.io/')) {
      throw fail(`${where} extended resource "${name}": must be a domain-prefixed name outside kubernetes.io, e.g. "nvidia.com/gpu"`);
    }
    if (!Number.isInteger(count) || count < 0) throw fail(`${where} extended resource "${name}" is ${count}; set a whole number >= 0`);
  }
}

function checkMounts(c: StatefulContainer, where: string, targets: MountTargets, fail: Fail): void {
  const paths = new Set<string>();
  for (const m of c.mounts ?? []) {
    if ((m.template === undefined) === (m.volume === undefined)) {
      throw fail(`${where} mount at "${m.path}" must name exactly one of template (a claim template) or volume (a pod volume)`);
    }
    const name = mountedName(m);
    if (m.template !== undefined && !targets.templates.includes(name)) {
      const known = targets.templates.length ? targets.templates.join(', ') : 'none';
      throw fail(`${where} mounts unknown claim template "${name}" (templates: ${known}); add it to volumeClaimTemplates or fix the name`);
    }
    if (m.volume !== undefined && !targets.volumes.includes(name)) {
      const known = targets.volumes.length ? targets.volumes.join(', ') : 'none';
      throw fail(`${where} mounts unknown volume "${name}" (volumes: ${known}); add it to volumes or fix the name`);
    }
    if (!m.path.startsWith('/')) {
      throw fail(`${where} mounts "${name}" at "${m.path}", which is not an absolute path`);
    }
    if (paths.has(m.path)) {
      throw fail(`${where} mounts two volumes at "${m.path}"; give each mount its own path`);
    }
    paths.add(m.path);
    if (m.subPath !== undefined) requireValid(localDescendingPathProblems(m.subPath), `${where} mount "${name}" subPath`, m.subPath, fail);
  }
}

/** Pod volumes: names (DNS labels, distinct from the claim templates), modes, item paths, keys, field paths. */
export function checkVolumes(volumes: readonly PodVolume[], templates: readonly string[], fail: Fail): void {
  const seen = new Set<string>();
  for (const v of volumes) {
    requireValid(volumeNameProblems(v.name), 'volume name', v.name, fail);
    if (seen.has(v.name) || templates.includes(v.name)) {
      throw fail(`volume name "${v.name}" is used twice (volumes and claim templates share one namespace in the pod); give each its own name`);
    }
    seen.add(v.name);
    const where = `volume "${v.name}"`;
    const files = v.files;
    files.modes.forEach((mode) => requireValid(fileModeProblems(mode), `${where} mode`, `0${mode.toString(8)}`, fail));
    files.paths.forEach((path) => requireValid(localNonReservedPathProblems(path), `${where} path`, path, fail));
    files.keys.forEach((key) => requireValid(configMapKeyProblems(key), `${where} key`, key, fail));
    files.fieldPaths.forEach((fp) => requireValid(fieldPathProblems(fp, VOLUME_FIELD_PATHS), `${where} fieldPath`, fp, fail));
    files.objects.forEach((name) => requireValid(objectNameProblems(name), `${where} source name`, name, fail));
    if (v.sizeLimit !== undefined) {
      const bytes = sizeInBytes(v.sizeLimit);
      if (bytes === undefined || bytes <= 0n) throw fail(`${where} sizeLimit ${v.sizeLimit.asString()} is not a positive whole number of bytes`);
    }
  }
}

export function checkPodSecurity(sc: PodSecurityContextProps | undefined, fail: Fail): void {
  if (!sc) return;
  for (const [field, id] of [['fsGroup', sc.fsGroup], ['user', sc.user], ['group', sc.group]] as const) {
    if (id !== undefined) requireValid(idProblems(id), `securityContext ${field}`, id, fail);
  }
  (sc.supplementalGroups ?? []).forEach((id) => requireValid(idProblems(id), 'securityContext supplementalGroups', id, fail));
  const names = new Set<string>();
  for (const s of sc.sysctls ?? []) {
    requireValid(sysctlNameProblems(s.name), 'securityContext sysctls name', s.name, fail);
    if (names.has(s.name)) throw fail(`securityContext sysctls: Duplicate value: "${s.name}"`);
    names.add(s.name);
  }
}

export function checkScheduling(s: PodScheduling | undefined, fail: Fail): void {
  if (!s) return;
  for (const sep of s.separate ?? []) {
    if (sep.weight !== undefined) requireValid(affinityWeightProblems(sep.weight), 'scheduling separate weight', sep.weight, fail);
    requireValid(labelKeyProblems(sep.topology?.key ?? 'kubernetes.io/hostname'), 'scheduling separate topology', sep.topology?.key, fail);
  }
  checkLabels(s.nodeSelector, 'scheduling nodeSelector', fail);
  for (const t of s.tolerations ?? []) {
    if (t.key) requireValid(labelKeyProblems(t.key), 'scheduling tolerations key', t.key, fail);
    if (t.tolerationSeconds !== undefined && !Number.isInteger(t.tolerationSeconds)) {
      throw fail(`scheduling tolerations tolerationSeconds is ${t.tolerationSeconds}; set whole seconds`);
    }
    const problems = tolerationProblems(t);
    if (problems.length) throw fail(`scheduling tolerations (key "${t.key ?? ''}"): Invalid value: ${problems[0]}`);
  }
  for (const spread of s.topologySpread ?? []) {
    const skew = spread.maxSkew ?? 1;
    if (!Number.isInteger(skew) || skew <= 0) throw fail(`scheduling topologySpread maxSkew: Invalid value: ${skew}: must be greater than zero`);
    requireValid(labelKeyProblems(spread.topology?.key ?? 'topology.kubernetes.io/zone'), 'scheduling topologySpread topology', spread.topology?.key, fail);
  }
  if (s.priorityClassName !== undefined) requireValid(objectNameProblems(s.priorityClassName), 'scheduling priorityClassName', s.priorityClassName, fail);
}

export function checkDns(dns: PodDns | undefined, hostAliases: readonly HostAlias[] | undefined, fail: Fail): void {
  for (const alias of hostAliases ?? []) {
    requireValid(ipProblems(alias.ip), 'hostAliases ip', alias.ip, fail);
    alias.hostnames.forEach((h) => {
      if (!isDns1123Subdomain(h)) throw fail(`hostAliases hostnames: Invalid value: "${h}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
    });
  }
  if (!dns) return;
  const nameservers = dns.nameservers ?? [];
  if (nameservers.length > 3) throw fail(`dns nameservers: Invalid value: ${JSON.stringify(nameservers)}: must not have more than 3 nameservers`);
  nameservers.forEach((ns) => requireValid(ipProblems(ns), 'dns nameservers', ns, fail));
  if (dns.policy === 'None' && nameservers.length === 0) {
    throw fail('dns nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None');
  }
  const searches = dns.searches ?? [];
  if (searches.length > 32) throw fail(`dns searches: Invalid value: must not have more than 32 search paths`);
  searches.forEach((s) => {
    if (!isDns1123Subdomain(s.replace(/\.$/, ''))) throw fail(`dns searches: Invalid value: "${s}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
  });
  (dns.options ?? []).forEach((o) => {
    if (!o.name) throw fail('dns options name: Required value: must not be empty');
  });
}

export function checkWholeNonNegative(value: number | undefined, field: string, fail: Fail): void {
  if (value === undefined) return;
  requireValid(nonNegativeProblems(value), field, value, fail);
}

export function checkObjectName(name: string | undefined, field: string, fail: Fail): void {
  if (name === undefined) return;
  requireValid(objectNameProblems(name), field, name, fail);
}
