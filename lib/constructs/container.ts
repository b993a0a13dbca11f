import { Size } from 'cdk8s';
import { Cpu, ImagePullPolicy, k8s } from 'cdk8s-plus-28';
import { formatBytes, quantity, sizeInBytes } from './quantity';
import { Protocol } from './types';
import type { PodVolume } from './pod';

/** A Secret, ConfigMap or other object referred to by name: its name, or any object with a `name` (cdk8s-plus `Secret`, `ConfigMap`, an L1 `KubeSecret`). */
export type ObjectName = string | { readonly name: string };

/** The name of a referred object. */
export function nameOf(ref: ObjectName): string {
  return typeof ref === 'string' ? ref : ref.name;
}

/** Linux capabilities, as the API spells them (`ALL`, `NET_BIND_SERVICE`, ...). */
export type CapabilityName = string;

/** Every field of a container security context the constructs write; the names follow cdk8s-plus. */
export interface ContainerSecurityProps {
  /** `runAsUser`. @default - the image's user */
  readonly user?: number;
  /** `runAsGroup`. @default - the image's group */
  readonly group?: number;
  /** `runAsNonRoot`. @default true */
  readonly ensureNonRoot?: boolean;
  /** @default false */
  readonly privileged?: boolean;
  /** @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** @default { drop: ['ALL'] } */
  readonly capabilities?: { readonly add?: readonly CapabilityName[]; readonly drop?: readonly CapabilityName[] };
  /**
   * `RuntimeDefault`, `Unconfined`, or `Localhost` with `localhostProfile`.
   * @default { type: 'RuntimeDefault' }
   */
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Unconfined' | 'Localhost'; readonly localhostProfile?: string };
}

/** The security settings of a container, built by the static factories. */
export class ContainerSecurity {
  /**
   * Meets Pod Security "restricted": refuse to start as root (`runAsNonRoot: true`), read-only root filesystem,
   * no privilege escalation, every capability dropped, `seccompProfile: RuntimeDefault`. The image must run as a
   * non-root user, or `user` must name one.
   */
  public static nonRoot(options: NonRootOptions = {}): ContainerSecurity {
    return ContainerSecurity.custom({
      user: options.user,
      group: options.group,
      readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
    });
  }

  /**
   * For images that must run as root and write to their own filesystem (nginx, the official postgres, mysql,
   * redis and mongo images start as root and switch user; `ikubernetes/myapp`): `runAsNonRoot: false`, writable
   * root filesystem, the runtime's default capabilities, still no privilege escalation, not privileged,
   * `seccompProfile: RuntimeDefault`. Meets Pod Security "baseline", not "restricted".
   */
  public static runAsRoot(): ContainerSecurity {
    return new ContainerSecurity({
      runAsNonRoot: false,
      readOnlyRootFilesystem: false,
      allowPrivilegeEscalation: false,
      privileged: false,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  }

  /** Any security context; unset fields take the restricted defaults of `nonRoot()`. */
  public static custom(props: ContainerSecurityProps): ContainerSecurity {
    const capabilities = props.capabilities ?? { drop: ['ALL'] };
    const seccomp = props.seccompProfile ?? { type: 'RuntimeDefault' };
    return new ContainerSecurity({
      runAsNonRoot: props.ensureNonRoot ?? true,
      runAsUser: props.user,
      runAsGroup: props.group,
      readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
      allowPrivilegeEscalation: props.allowPrivilegeEscalation ?? false,
      privileged: props.privileged ?? false,
      capabilities: capabilities.add?.length || capabilities.drop?.length
        ? { add: capabilities.add?.length ? [...capabilities.add] : undefined, drop: capabilities.drop?.length ? [...capabilities.drop] : undefined }
        : undefined,
      seccompProfile: { type: seccomp.type, localhostProfile: seccomp.localhostProfile },
    });
  }

  private constructor(private readonly context: k8s.SecurityContext) {}

  /** Whether the container may run as root. */
  public get allowsRoot(): boolean {
    return this.context.runAsNonRoot === false;
  }

  /** The security context as written. */
  public get securityContext(): Readonly<k8s.SecurityContext> {
    return this.context;
  }

  /** @internal */
  public _toKube(): k8s.SecurityContext {
    return { ...this.context };
  }
}

export interface NonRootOptions {
  /**
   * UID to run as.
   * @default - the image's user (which must not be root)
   */
  readonly user?: number;
  /**
   * GID to run as.
   * @default - the image's group
   */
  readonly group?: number;
  /**
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/** Timing of a probe; every field defaults to the Kubernetes default. */
export interface ProbeTiming {
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default 1 */
  readonly successThreshold?: number;
}

/** A readiness, liveness or startup probe, built by the static factories. */
export class Probe {
  /** HTTP GET on a path; `port` is a number or a container port name. */
  public static httpGet(path: string, port: number | string, timing: ProbeTiming = {}): Probe {
    return new Probe({ ...timing, httpGet: { path, port: intOrString(port) } });
  }

  /** A TCP connection to a port (number or container port name). */
  public static tcpSocket(port: number | string, timing: ProbeTiming = {}): Probe {
    return new Probe({ ...timing, tcpSocket: { port: intOrString(port) } });
  }

  /** A command run in the container; exit status 0 is success. */
  public static exec(command: readonly string[], timing: ProbeTiming = {}): Probe {
    return new Probe({ ...timing, exec: { command: [...command] } });
  }

  private constructor(private readonly probe: k8s.Probe) {}

  /** The timing fields as given. */
  public get timing(): ProbeTiming {
    const { initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold } = this.probe;
    return { initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold };
  }

  /** The port probed (httpGet, tcpSocket), if any. */
  public get port(): number | string | undefined {
    return (this.probe.httpGet?.port ?? this.probe.tcpSocket?.port)?.value;
  }

  /** @internal */
  public _toKube(): k8s.Probe {
    return { ...this.probe };
  }
}

/** A lifecycle hook handler (preStop, postStart), built by the static factories as in cdk8s-plus. */
export class Handler {
  /** A command run in the container, e.g. `['pg_ctl', 'stop', '-m', 'fast']`. */
  public static fromCommand(command: readonly string[]): Handler {
    return new Handler({ exec: { command: [...command] } });
  }

  /** HTTP GET on a path of the container; `port` is a number or a container port name. */
  public static fromHttpGet(path: string, port: number | string): Handler {
    return new Handler({ httpGet: { path, port: intOrString(port) } });
  }

  /** A TCP connection to a port (number or container port name). */
  public static fromTcpSocket(port: number | string): Handler {
    return new Handler({ tcpSocket: { port: intOrString(port) } });
  }

  private constructor(private readonly handler: k8s.LifecycleHandler) {}

  /** The port used (httpGet, tcpSocket), if any. */
  public get port(): number | string | undefined {
    return (this.handler.httpGet?.port ?? this.handler.tcpSocket?.port)?.value;
  }

  /** @internal */
  public _toKube(): k8s.LifecycleHandler {
    return { ...this.handler };
  }
}

/** Container lifecycle hooks. */
export interface ContainerLifecycle {
  /** Runs before the container gets SIGTERM, e.g. a clean database shutdown. @default - none */
  readonly preStop?: Handler;
  /** @default - none */
  readonly postStart?: Handler;
}

/** Environment variables from every key of a ConfigMap or Secret (`envFrom`), built by the static factories. */
export class EnvFrom {
  /** Every key of the ConfigMap, optionally prefixed (`DB_` + key). */
  public static fromConfigMap(configMap: ObjectName, prefix?: string, options: { readonly optional?: boolean } = {}): EnvFrom {
    return new EnvFrom({ prefix, configMapRef: { name: nameOf(configMap), optional: options.optional } });
  }

  /** Every key of the Secret, optionally prefixed. */
  public static fromSecret(secret: ObjectName, prefix?: string, options: { readonly optional?: boolean } = {}): EnvFrom {
    return new EnvFrom({ prefix, secretRef: { name: nameOf(secret), optional: options.optional } });
  }

  private constructor(private readonly source: k8s.EnvFromSource) {}

  /** The prefix, if any. */
  public get prefix(): string | undefined {
    return this.source.prefix;
  }

  /** The name of the ConfigMap or Secret. */
  public get sourceName(): string {
    return (this.source.configMapRef?.name ?? this.source.secretRef?.name) as string;
  }

  /** @internal */
  public _toKube(): k8s.EnvFromSource {
    return { ...this.source };
  }
}

/** A key of a Secret, for `EnvValue.fromSecretValue` (the shape of cdk8s-plus `SecretValue`). */
export interface SecretValue {
  readonly secret: ObjectName;
  readonly key: string;
}

/**
 * The value of an environment variable: a literal, a key of a Secret or ConfigMap, or a field of the pod (its
 * name, namespace, IP...). A password belongs in a Secret: `EnvValue.fromSecretValue({ secret, key })`.
 */
export class EnvValue {
  /** A literal value. */
  public static of(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /** A literal value (the cdk8s-plus name). */
  public static fromValue(value: string): EnvValue {
    return EnvValue.of(value);
  }

  /** A field of the pod, e.g. `metadata.name` (the pod name, `myapp-0`) or `metadata.namespace`. */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  /** A key of a Secret. `optional`: start the container even when the Secret or key is missing. */
  public static fromSecretValue(secretValue: SecretValue, options: { readonly optional?: boolean } = {}): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: nameOf(secretValue.secret), key: secretValue.key, optional: options.optional } } });
  }

  /** A key of a ConfigMap. */
  public static fromConfigMap(configMap: ObjectName, key: string, options: { readonly optional?: boolean } = {}): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: nameOf(configMap), key, optional: options.optional } } });
  }

  private constructor(private readonly source: Omit<k8s.EnvVar, 'name'>) {}

  /** The key and object name read (Secret or ConfigMap), the field path, or the literal, for checks. */
  public get reference(): { readonly key?: string; readonly objectName?: string; readonly fieldPath?: string } {
    const ref = this.source.valueFrom?.secretKeyRef ?? this.source.valueFrom?.configMapKeyRef;
    return { key: ref?.key, objectName: ref?.name, fieldPath: this.source.valueFrom?.fieldRef?.fieldPath };
  }

  /** @internal */
  public _toKube(name: string): k8s.EnvVar {
    return { name, ...this.source };
  }
}

/** A port a container listens on. */
export interface ContainerPort {
  /** Port name (SRV records and probes refer to it), e.g. `web`. */
  readonly name: string;
  readonly number: number;
  /** @default Protocol.TCP */
  readonly protocol?: Protocol;
  /**
   * Publish the port on the headless Service.
   * @default true
   */
  readonly expose?: boolean;
}

/**
 * Where a container mounts a volume: a claim template of the app (`template`) or a pod volume (`volume`), exactly
 * one of the two.
 */
export interface ClaimMount {
  /** Name of a claim template of the app. @default - none; then `volume` is required */
  readonly template?: string;
  /** A pod volume of the app (`StatefulAppProps.volumes`), or its name. @default - none; then `template` is required */
  readonly volume?: PodVolume | string;
  /** Mount path in the container, e.g. `/usr/share/nginx/html`. */
  readonly path: string;
  /**
   * Mount a sub-directory (or, of a ConfigMap or Secret volume, one file) of the volume; a relative path without `..`.
   * @default - the whole volume
   */
  readonly subPath?: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** Mount options for a pod volume or a claim template (alias of `ClaimMount`). */
export type ContainerMount = ClaimMount;

/** CPU, memory, ephemeral storage and extended resources. */
export interface ContainerResources {
  /** @default - none */
  readonly cpu?: { readonly request?: Cpu; readonly limit?: Cpu };
  /** @default - none */
  readonly memory?: { readonly request?: Size; readonly limit?: Size };
  /** Node-local scratch space (`ephemeral-storage`): logs, emptyDir on disk, the writable layer. @default - none */
  readonly ephemeralStorage?: { readonly request?: Size; readonly limit?: Size };
  /**
   * Extended resources by name, e.g. `{ 'nvidia.com/gpu': 1 }`: whole counts, written as both request and limit
   * (the API server requires them equal).
   * @default - none
   */
  readonly extended?: Readonly<Record<string, number>>;
}

/** A container of a StatefulApp's pods. */
export interface StatefulContainer {
  /**
   * Container name, unique in the pod.
   * @default 'main' for the first container; required for the others
   */
  readonly name?: string;
  /** Image reference, e.g. `ikubernetes/myapp:v1`. */
  readonly image: string;
  /** @default - none */
  readonly ports?: readonly ContainerPort[];
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
  /**
   * Environment variables, in this order (later ones may refer to earlier ones as `$(NAME)`).
   * @default - none
   */
  readonly env?: Readonly<Record<string, string | EnvValue>>;
  /** @default - no requests or limits */
  readonly resources?: ContainerResources;
  /** @default - none */
  readonly readiness?: Probe;
  /** @default - none */
  readonly liveness?: Probe;
  /** @default - none */
  readonly startup?: Probe;
  /** Claim templates and pod volumes this container mounts. @default - none */
  readonly mounts?: readonly ClaimMount[];
  /** Every key of ConfigMaps or Secrets as environment variables (`env` wins over these). @default - none */
  readonly envFrom?: readonly EnvFrom[];
  /** preStop / postStart hooks (not allowed on init containers; allowed on sidecars). @default - none */
  readonly lifecycle?: ContainerLifecycle;
  /** @default - not written (Kubernetes: Always for `:latest` or no tag, else IfNotPresent) */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Security settings; use `ContainerSecurity.runAsRoot()` for images that need root.
   * @default ContainerSecurity.nonRoot()
   */
  readonly security?: ContainerSecurity;
  /** @default - the image's working directory */
  readonly workingDir?: string;
}

/** The L1 container for a StatefulContainer whose name has been resolved. */
export function renderContainer(
  name: string,
  c: StatefulContainer,
  extraEnv: ReadonlyArray<readonly [string, string | EnvValue]> = [],
): k8s.Container {
  const env = [...Object.entries(c.env ?? {}), ...extraEnv];
  const security = c.security ?? ContainerSecurity.nonRoot();
  return {
    name,
    image: c.image,
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    workingDir: c.workingDir,
    ports: c.ports?.length
      ? c.ports.map((p) => ({ name: p.name, containerPort: p.number, protocol: p.protocol ?? Protocol.TCP }))
      : undefined,
    env: env.length ? renderEnv(env) : undefined,
    envFrom: c.envFrom?.length ? c.envFrom.map((e) => e._toKube()) : undefined,
    imagePullPolicy: c.imagePullPolicy,
    lifecycle: c.lifecycle && (c.lifecycle.preStop || c.lifecycle.postStart)
      ? { preStop: c.lifecycle.preStop?._toKube(), postStart: c.lifecycle.postStart?._toKube() }
      : undefined,
    resources: c.resources ? renderResources(c.resources) : undefined,
    readinessProbe: c.readiness?._toKube(),
    livenessProbe: c.liveness?._toKube(),
    startupProbe: c.startup?._toKube(),
    volumeMounts: c.mounts?.length
      ? c.mounts.map((m) => ({ name: mountedName(m), mountPath: m.path, subPath: m.subPath, readOnly: m.readOnly ? true : undefined }))
      : undefined,
    securityContext: security._toKube(),
  };
}

/** The volume name a mount refers to: the claim template's or the pod volume's. */
export function mountedName(m: ClaimMount): string {
  if (m.template !== undefined) return m.template;
  return typeof m.volume === 'string' ? m.volume : (m.volume?.name ?? '');
}

function renderEnv(env: ReadonlyArray<readonly [string, string | EnvValue]>): k8s.EnvVar[] {
  return env.map(([name, value]) =>
    (typeof value === 'string' ? EnvValue.of(value) : value)._toKube(name),
  );
}

function renderResources(r: ContainerResources): k8s.ResourceRequirements | undefined {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  if (r.cpu?.request) requests.cpu = quantity(r.cpu.request.amount);
  if (r.cpu?.limit) limits.cpu = quantity(r.cpu.limit.amount);
  if (r.memory?.request) requests.memory = quantity(memoryQuantity(r.memory.request));
  if (r.memory?.limit) limits.memory = quantity(memoryQuantity(r.memory.limit));
  if (r.ephemeralStorage?.request) requests['ephemeral-storage'] = quantity(memoryQuantity(r.ephemeralStorage.request));
  if (r.ephemeralStorage?.limit) limits['ephemeral-storage'] = quantity(memoryQuantity(r.ephemeralStorage.limit));
  for (const [name, count] of Object.entries(r.extended ?? {})) {
    requests[name] = quantity(String(count));
    limits[name] = quantity(String(count));
  }
  const hasRequests = Object.keys(requests).length > 0;
  const hasLimits = Object.keys(limits).length > 0;
  if (!hasRequests && !hasLimits) {
    return undefined;
  }
  return { requests: hasRequests ? requests : undefined, limits: hasLimits ? limits : undefined };
}

/** Memory sizes are checked by the caller (StatefulApp): positive whole numbers of bytes. */
function memoryQuantity(size: Size): string {
  const bytes = sizeInBytes(size);
  if (bytes === undefined) {
    throw new Error(`memory ${size.asString()} is not a whole number of bytes`);
  }
  return formatBytes(bytes);
}

function intOrString(port: number | string): k8s.IntOrString {
  return typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port);
}
