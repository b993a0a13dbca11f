import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { formatBytes, quantity, sizeInBytes } from './quantity';
import { Protocol } from './types';

/** The security settings of a container, built by the static factories. */
export class ContainerSecurity {
  /**
   * Refuse to start as root (`runAsNonRoot: true`), read-only root filesystem, no privilege escalation:
   * cdk8s-plus's defaults. The image must run as a non-root user, or `user` must name one.
   */
  public static nonRoot(options: NonRootOptions = {}): ContainerSecurity {
    return new ContainerSecurity({
      runAsNonRoot: true,
      runAsUser: options.user,
      runAsGroup: options.group,
      readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
      allowPrivilegeEscalation: false,
      privileged: false,
    });
  }

  /**
   * For images that must run as root and write to their own filesystem (e.g. nginx in `ikubernetes/myapp`):
   * `runAsNonRoot: false`, writable root filesystem; still no privilege escalation and not privileged.
   */
  public static runAsRoot(): ContainerSecurity {
    return new ContainerSecurity({
      runAsNonRoot: false,
      readOnlyRootFilesystem: false,
      allowPrivilegeEscalation: false,
      privileged: false,
    });
  }

  private constructor(private readonly context: k8s.SecurityContext) {}

  /** Whether the container may run as root. */
  public get allowsRoot(): boolean {
    return this.context.runAsNonRoot === false;
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

  /** @internal */
  public _toKube(): k8s.Probe {
    return { ...this.probe };
  }
}

/** The value of an environment variable: a literal or a field of the pod (its name, namespace, IP...). */
export class EnvValue {
  public static of(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /** A field of the pod, e.g. `metadata.name` (the pod name, `myapp-0`) or `metadata.namespace`. */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly source: Omit<k8s.EnvVar, 'name'>) {}

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

/** Where a container mounts a claim template's volume. */
export interface ClaimMount {
  /** Name of a claim template of the app. */
  readonly template: string;
  /** Mount path in the container, e.g. `/usr/share/nginx/html`. */
  readonly path: string;
  /**
   * Mount a sub-directory of the volume.
   * @default - the whole volume
   */
  readonly subPath?: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** CPU and memory requests and limits. */
export interface ContainerResources {
  /** @default - none */
  readonly cpu?: { readonly request?: Cpu; readonly limit?: Cpu };
  /** @default - none */
  readonly memory?: { readonly request?: Size; readonly limit?: Size };
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
  /** Claim templates this container mounts. @default - none */
  readonly mounts?: readonly ClaimMount[];
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
    resources: c.resources ? renderResources(c.resources) : undefined,
    readinessProbe: c.readiness?._toKube(),
    livenessProbe: c.liveness?._toKube(),
    startupProbe: c.startup?._toKube(),
    volumeMounts: c.mounts?.length
      ? c.mounts.map((m) => ({ name: m.template, mountPath: m.path, subPath: m.subPath, readOnly: m.readOnly ? true : undefined }))
      : undefined,
    securityContext: security._toKube(),
  };
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
