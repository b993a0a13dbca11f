/**
 * The pod-level parts of a StatefulApp beyond its containers: volumes other than claim templates, the pod security
 * context, scheduling, DNS and identity. Names and types follow cdk8s-plus-28 (`Volume.fromConfigMap`,
 * `FsGroupChangePolicy`, `Topology`, `DnsPolicy`, ...), so users of cdk8s-plus feel at home.
 */
import { Size } from 'cdk8s';
import { DnsPolicy, EmptyDirMedium, FsGroupChangePolicy, k8s, TaintEffect, Topology } from 'cdk8s-plus-28';
import { nameOf, ObjectName } from './container';
import { formatBytes, sizeInBytes } from './quantity';

/** A key of a ConfigMap or Secret projected as a file at `path` (relative, without `..`). */
export interface PathMapping {
  readonly path: string;
  /** File mode bits, e.g. `0o400`. @default - the volume's `defaultMode` */
  readonly mode?: number;
}

/** Options of a ConfigMap or Secret volume. */
export interface ConfigMapVolumeOptions {
  /** File mode bits, 0 to 0o777. @default 0o644 (not written) */
  readonly defaultMode?: number;
  /** Start the pod even when the object (or a key) is missing. @default false */
  readonly optional?: boolean;
  /** Only these keys, each at its own path. @default - every key, as a file named after it */
  readonly items?: Readonly<Record<string, PathMapping>>;
}

export type SecretVolumeOptions = ConfigMapVolumeOptions;

/** Options of an emptyDir volume. */
export interface EmptyDirVolumeOptions {
  /** @default EmptyDirMedium.DEFAULT (node disk) */
  readonly medium?: EmptyDirMedium;
  /** @default - no limit */
  readonly sizeLimit?: Size;
}

/** One file of a downwardAPI volume: a field of the pod (`metadata.labels`, `metadata.name`, ...). */
export interface DownwardApiItem {
  /** File path in the volume. */
  readonly path: string;
  /** `metadata.name`, `metadata.namespace`, `metadata.uid`, `metadata.labels`, `metadata.annotations` or `metadata.labels['key']`. */
  readonly fieldPath: string;
  /** @default - the volume's default mode */
  readonly mode?: number;
}

/** A source of a projected volume. */
export type ProjectedSource =
  | { readonly secret: ObjectName; readonly items?: Readonly<Record<string, PathMapping>>; readonly optional?: boolean }
  | { readonly configMap: ObjectName; readonly items?: Readonly<Record<string, PathMapping>>; readonly optional?: boolean }
  | { readonly downwardApi: readonly DownwardApiItem[] }
  | { readonly serviceAccountToken: { readonly path: string; readonly audience?: string; readonly expirationSeconds?: number } };

/**
 * A pod volume other than a claim template, built by the static factories; mount it with
 * `mounts: [{ volume, path }]`. The name is the volume's name in the pod (a DNS-1123 label).
 */
export class PodVolume {
  /** The keys of a ConfigMap as files (configuration). */
  public static fromConfigMap(name: string, configMap: ObjectName, options: ConfigMapVolumeOptions = {}): PodVolume {
    return new PodVolume(name, {
      configMap: { name: nameOf(configMap), defaultMode: options.defaultMode, optional: options.optional, items: items(options.items) },
    });
  }

  /** The keys of a Secret as files (certificates, passwords). */
  public static fromSecret(name: string, secret: ObjectName, options: SecretVolumeOptions = {}): PodVolume {
    return new PodVolume(name, {
      secret: { secretName: nameOf(secret), defaultMode: options.defaultMode, optional: options.optional, items: items(options.items) },
    });
  }

  /** A scratch directory that lives as long as the pod (on the node's disk, or in memory). */
  public static fromEmptyDir(name: string, options: EmptyDirVolumeOptions = {}): PodVolume {
    return new PodVolume(name, {
      emptyDir: { medium: options.medium || undefined, sizeLimit: options.sizeLimit ? k8s.Quantity.fromString(sizeText(options.sizeLimit)) : undefined },
    }, options.sizeLimit);
  }

  /** Fields of the pod as files (labels, annotations, name). */
  public static fromDownwardApi(name: string, itemsOf: readonly DownwardApiItem[], options: { readonly defaultMode?: number } = {}): PodVolume {
    return new PodVolume(name, {
      downwardApi: { defaultMode: options.defaultMode, items: itemsOf.map((i) => ({ path: i.path, mode: i.mode, fieldRef: { fieldPath: i.fieldPath } })) },
    });
  }

  /** Several Secrets, ConfigMaps, pod fields and a service account token in one directory. */
  public static projected(name: string, sources: readonly ProjectedSource[], options: { readonly defaultMode?: number } = {}): PodVolume {
    return new PodVolume(name, {
      projected: { defaultMode: options.defaultMode, sources: sources.map(projection) },
    });
  }

  private constructor(
    /** The volume's name in the pod. */
    public readonly name: string,
    private readonly source: Omit<k8s.Volume, 'name'>,
    /** The emptyDir size limit, for checks. */
    public readonly sizeLimit?: Size,
  ) {}

  /** Mode bits, key-to-path items and field paths, for checks. */
  public get files(): { readonly modes: number[]; readonly paths: string[]; readonly keys: string[]; readonly fieldPaths: string[]; readonly objects: string[] } {
    const modes: number[] = [];
    const paths: string[] = [];
    const keys: string[] = [];
    const fieldPaths: string[] = [];
    const objects: string[] = [];
    const s = this.source;
    const addItems = (list?: ReadonlyArray<{ key: string; path: string; mode?: number }>) => list?.forEach((i) => {
      keys.push(i.key); paths.push(i.path); if (i.mode !== undefined) modes.push(i.mode);
    });
    const addFields = (list?: ReadonlyArray<{ path: string; mode?: number; fieldRef?: { fieldPath: string } }>) => list?.forEach((i) => {
      paths.push(i.path); if (i.mode !== undefined) modes.push(i.mode); if (i.fieldRef) fieldPaths.push(i.fieldRef.fieldPath);
    });
    for (const mode of [s.configMap?.defaultMode, s.secret?.defaultMode, s.downwardApi?.defaultMode, s.projected?.defaultMode]) {
      if (mode !== undefined) modes.push(mode);
    }
    if (s.configMap) { objects.push(s.configMap.name as string); addItems(s.configMap.items); }
    if (s.secret) { objects.push(s.secret.secretName as string); addItems(s.secret.items); }
    addFields(s.downwardApi?.items);
    for (const p of s.projected?.sources ?? []) {
      if (p.configMap) { objects.push(p.configMap.name as string); addItems(p.configMap.items); }
      if (p.secret) { objects.push(p.secret.name as string); addItems(p.secret.items); }
      addFields(p.downwardApi?.items);
      if (p.serviceAccountToken) paths.push(p.serviceAccountToken.path);
    }
    return { modes, paths, keys, fieldPaths, objects };
  }

  /** @internal */
  public _toKube(): k8s.Volume {
    return { name: this.name, ...this.source };
  }
}

function items(mapping?: Readonly<Record<string, PathMapping>>): k8s.KeyToPath[] | undefined {
  if (!mapping) return undefined;
  return Object.entries(mapping).map(([key, m]) => ({ key, path: m.path, mode: m.mode }));
}

function projection(source: ProjectedSource): k8s.VolumeProjection {
  if ('secret' in source) return { secret: { name: nameOf(source.secret), items: items(source.items), optional: source.optional } };
  if ('configMap' in source) return { configMap: { name: nameOf(source.configMap), items: items(source.items), optional: source.optional } };
  if ('downwardApi' in source) {
    return { downwardApi: { items: source.downwardApi.map((i) => ({ path: i.path, mode: i.mode, fieldRef: { fieldPath: i.fieldPath } })) } };
  }
  return { serviceAccountToken: { ...source.serviceAccountToken } };
}

/** A size as an exact quantity (the StatefulApp checks it is a positive whole number of bytes). */
function sizeText(size: Size): string {
  const bytes = sizeInBytes(size);
  return bytes === undefined ? size.asString() : formatBytes(bytes);
}

/** A kernel parameter of the pod (`net.core.somaxconn`). */
export interface Sysctl {
  readonly name: string;
  readonly value: string;
}

/** The pod security context; names follow cdk8s-plus `PodSecurityContextProps`. */
export interface PodSecurityContextProps {
  /**
   * Group that owns the pod's volumes: the kubelet chowns supporting volumes (not NFS: an NFS export's ownership
   * is the server's) to this GID, and it is added to every container's groups.
   * @default - not written (volume ownership unchanged)
   */
  readonly fsGroup?: number;
  /**
   * `OnRootMismatch` skips the recursive chown when the volume root already matches (large volumes start fast).
   * @default - not written (Kubernetes: Always)
   */
  readonly fsGroupChangePolicy?: FsGroupChangePolicy;
  /** `runAsUser` for every container that sets none. @default - not written */
  readonly user?: number;
  /** `runAsGroup`. @default - not written */
  readonly group?: number;
  /** `runAsNonRoot` at pod level. @default - not written (each container's security says it) */
  readonly ensureNonRoot?: boolean;
  /** Extra groups of every container. @default - none */
  readonly supplementalGroups?: readonly number[];
  /** Namespaced sysctls (only the "safe" set is allowed unless the kubelet allows more). @default - none */
  readonly sysctls?: readonly Sysctl[];
}

/** A toleration of node taints (`TaintEffect` from cdk8s-plus). */
export interface Toleration {
  /** Taint key; empty with operator Exists tolerates every taint. @default - '' */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  /** @default - '' */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: TaintEffect;
  /** With `NoExecute`: how long the pod stays once the taint appears. @default - forever */
  readonly tolerationSeconds?: number;
}

/** Spread the app's pods over a topology (`topologySpreadConstraints`), selecting the app's own pods. */
export interface TopologySpread {
  /** @default Topology.ZONE */
  readonly topology?: Topology;
  /** @default 1 */
  readonly maxSkew?: number;
  /** @default 'DoNotSchedule' */
  readonly whenUnsatisfiable?: 'DoNotSchedule' | 'ScheduleAnyway';
}

/** Keep the app's pods apart (pod anti-affinity against its own pods), as cdk8s-plus `scheduling.separate`. */
export interface Separation {
  /** `Topology.HOSTNAME` (one pod per node) or `Topology.ZONE` (one per zone). @default Topology.HOSTNAME */
  readonly topology?: Topology;
  /** Soft (preferred) with this weight, 1 to 100. @default - hard (required) */
  readonly weight?: number;
}

/** Where the pods may run. */
export interface PodScheduling {
  /** Anti-affinity among the app's own pods, per node and/or per zone. @default - none */
  readonly separate?: readonly Separation[];
  /** Node labels the node must carry (`nodeSelector`). @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly tolerations?: readonly Toleration[];
  /** @default - none */
  readonly topologySpread?: readonly TopologySpread[];
  /** Any further affinity, as the L1 type; merged with `separate`. @default - none */
  readonly affinity?: k8s.Affinity;
  /** @default - not written */
  readonly priorityClassName?: string;
}

/** DNS settings of the pods (cdk8s-plus `PodDnsProps` without hostname/subdomain, which the StatefulSet sets). */
export interface PodDns {
  /** @default DnsPolicy.CLUSTER_FIRST (not written) */
  readonly policy?: DnsPolicy;
  /** At most 3; required with `DnsPolicy.NONE`. @default - none */
  readonly nameservers?: readonly string[];
  /** @default - none */
  readonly searches?: readonly string[];
  /** resolv.conf options, e.g. `{ name: 'ndots', value: '2' }`. @default - none */
  readonly options?: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
  /** Set the pod's hostname to its FQDN. @default false */
  readonly hostnameAsFqdn?: boolean;
}

/** An /etc/hosts entry. */
export interface HostAlias {
  readonly ip: string;
  readonly hostnames: readonly string[];
}

/** The `affinity` of the pods: `separate` as pod anti-affinity terms on the pod labels, merged with `affinity`. */
export function renderAffinity(scheduling: PodScheduling | undefined, podLabels: Readonly<Record<string, string>>): k8s.Affinity | undefined {
  const separations = scheduling?.separate ?? [];
  const extra = scheduling?.affinity;
  if (separations.length === 0) return extra;
  const term = (s: Separation): k8s.PodAffinityTerm => ({
    labelSelector: { matchLabels: { ...podLabels } },
    topologyKey: (s.topology ?? Topology.HOSTNAME).key,
  });
  const required = separations.filter((s) => s.weight === undefined).map(term);
  const preferred = separations.filter((s) => s.weight !== undefined).map((s) => ({ weight: s.weight as number, podAffinityTerm: term(s) }));
  const anti = extra?.podAntiAffinity;
  return {
    ...extra,
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...required].length
        ? [...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...required] : undefined,
      preferredDuringSchedulingIgnoredDuringExecution: [...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...preferred].length
        ? [...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...preferred] : undefined,
    },
  };
}

export function renderTopologySpread(spreads: readonly TopologySpread[] | undefined, podLabels: Readonly<Record<string, string>>): k8s.TopologySpreadConstraint[] | undefined {
  if (!spreads?.length) return undefined;
  return spreads.map((s) => ({
    maxSkew: s.maxSkew ?? 1,
    topologyKey: (s.topology ?? Topology.ZONE).key,
    whenUnsatisfiable: s.whenUnsatisfiable ?? 'DoNotSchedule',
    labelSelector: { matchLabels: { ...podLabels } },
  }));
}

export function renderPodSecurity(sc: PodSecurityContextProps | undefined): k8s.PodSecurityContext | undefined {
  if (!sc) return undefined;
  const out: k8s.PodSecurityContext = {
    fsGroup: sc.fsGroup,
    fsGroupChangePolicy: sc.fsGroupChangePolicy,
    runAsUser: sc.user,
    runAsGroup: sc.group,
    runAsNonRoot: sc.ensureNonRoot,
    supplementalGroups: sc.supplementalGroups?.length ? [...sc.supplementalGroups] : undefined,
    sysctls: sc.sysctls?.length ? sc.sysctls.map((s) => ({ name: s.name, value: s.value })) : undefined,
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

export function renderDns(dns: PodDns | undefined): { dnsPolicy?: string; dnsConfig?: k8s.PodDnsConfig; setHostnameAsFqdn?: boolean } {
  if (!dns) return {};
  const hasConfig = dns.nameservers?.length || dns.searches?.length || dns.options?.length;
  return {
    dnsPolicy: dns.policy,
    setHostnameAsFqdn: dns.hostnameAsFqdn || undefined,
    dnsConfig: hasConfig
      ? {
        nameservers: dns.nameservers?.length ? [...dns.nameservers] : undefined,
        searches: dns.searches?.length ? [...dns.searches] : undefined,
        options: dns.options?.length ? dns.options.map((o) => ({ name: o.name, value: o.value })) : undefined,
      }
      : undefined,
  };
}
