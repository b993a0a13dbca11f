import { Chart, Lazy, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { claimName, isDns1123Label, ordinals, podFqdn, podName, statefulSetNameProblem } from '../k8s/names';
import { EnvValue, renderContainer, StatefulContainer } from './container';
import { constructError, DNS1123_LABEL_RULE, suggestDns1123Label } from './errors';
import { HeadlessService, HeadlessServicePort } from './headless-service';
import { NfsPoolOptions, NfsVolumePool } from './nfs-volume-pool';
import { containerPortNameProblem, isPortNumber } from './ports';
import { requireCount, requireGeneratedCount } from './counts';
import { quantity, storageQuantity } from './quantity';
import { AccessMode, ClaimRetention, PodManagementPolicy, Protocol, VolumeMode } from './types';
import { DisruptionBudget, UpdateStrategy } from './update-strategy';
import { lintChartAtSynth } from './validation';

/** A claim template: the StatefulSet creates one claim `<name>-<app>-<ordinal>` per pod from it. */
export interface VolumeClaimTemplate {
  /** Template name; containers mount it by this name (see `StatefulContainer.mounts`). */
  readonly name: string;
  /** Requested storage, written exactly (`Size.gibibytes(2)` -> `2Gi`). */
  readonly size: Size;
  /**
   * @default [AccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: readonly AccessMode[];
  /**
   * StorageClass the claims ask for. `''` asks for PVs without a class (static provisioning).
   * @default - `''` when the template has an `nfs` pool; otherwise not written (the cluster's default class)
   */
  readonly storageClassName?: string;
  /**
   * @default - not written (Filesystem)
   */
  readonly volumeMode?: VolumeMode;
  /**
   * Only PVs carrying these labels may bind the claims.
   * @default - none; the pool's labels when its binding is `PoolBinding.labelSelector()`
   */
  readonly selector?: Readonly<Record<string, string>>;
  /**
   * Make one NFS PersistentVolume per replica for this template (an `NfsVolumePool`).
   * @default - no PVs: the claims rely on a provisioner or on PVs defined elsewhere
   */
  readonly nfs?: NfsPoolOptions;
}

/** What happens to the claims when the StatefulSet is deleted or scaled down. */
export interface ClaimRetentionPolicy {
  /** @default ClaimRetention.RETAIN */
  readonly whenDeleted?: ClaimRetention;
  /** @default ClaimRetention.RETAIN */
  readonly whenScaled?: ClaimRetention;
}

export interface StatefulAppProps {
  /**
   * Name of the StatefulSet, written exactly (no hash): pods are `<name>-0`, `<name>-1`, ...
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace written on the Service, StatefulSet and PodDisruptionBudget, and used in claimRefs and pod FQDNs.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;
  /**
   * Name of the governing headless Service.
   * @default - the app's name
   */
  readonly serviceName?: string;
  /**
   * Labels of the pods; the StatefulSet selector, the Service selector and the PDB selector.
   * @default { app: <name> }
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Labels of the Service, StatefulSet and PodDisruptionBudget objects.
   * @default - the pod labels
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** The pod's containers; at least one. */
  readonly containers: readonly StatefulContainer[];
  /**
   * @default 1
   */
  readonly replicas?: number;
  /**
   * @default - none
   */
  readonly volumeClaimTemplates?: readonly VolumeClaimTemplate[];
  /**
   * @default PodManagementPolicy.ORDERED_READY
   */
  readonly podManagementPolicy?: PodManagementPolicy;
  /**
   * @default UpdateStrategy.rollingUpdate()
   */
  readonly updateStrategy?: UpdateStrategy;
  /**
   * Seconds a new pod must be Ready before it counts as available.
   * @default 0
   */
  readonly minReadySeconds?: number;
  /**
   * First ordinal (`spec.ordinals.start`).
   * @default 0
   */
  readonly ordinalsStart?: number;
  /**
   * @default - not written (both Retain: claims outlive the pods)
   */
  readonly claimRetention?: ClaimRetentionPolicy;
  /**
   * Publish pod DNS records before pods are Ready (peers of a cluster can find each other while starting).
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;
  /**
   * @default - no PodDisruptionBudget
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Cluster DNS domain used in `podFqdns` and `peers`.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * @default - not written (Kubernetes uses 30)
   */
  readonly terminationGracePeriodSeconds?: number;
}

const DEFAULT_NAMESPACE = 'default';

/**
 * A stateful application: a headless Service, a StatefulSet with typed claim templates, optional NFS volume
 * pools (one pre-bound PV per claim) and an optional PodDisruptionBudget, all named exactly as asked.
 */
export class StatefulApp extends Construct {
  /** The L1 StatefulSet. */
  public readonly apiObject: k8s.KubeStatefulSet;
  /** The L1 StatefulSet (same as `apiObject`). */
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** The governing headless Service. */
  public readonly service: HeadlessService;
  /** The L1 PodDisruptionBudget, when one was asked for. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The NFS pools, by claim template name. */
  public readonly pools: ReadonlyMap<string, NfsVolumePool>;

  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceName: string;
  public readonly replicas: number;
  public readonly clusterDomain: string;
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The ordinals of the pods: `ordinalsStart .. ordinalsStart + replicas - 1`. */
  public readonly ordinals: readonly number[];
  /** Pod names in ordinal order: `myapp-0`, `myapp-1`, ... */
  public readonly podNames: readonly string[];
  /** Stable DNS names of the pods: `myapp-0.myapp.default.svc.cluster.local`, ... */
  public readonly podFqdns: readonly string[];

  private readonly templates: readonly VolumeClaimTemplate[];
  private readonly containerPorts: ReadonlyMap<string, number>;
  private readonly containers: readonly StatefulContainer[];
  private readonly containerNames: readonly string[];
  private readonly extraEnv = new Map<string, Array<readonly [string, string | EnvValue]>>();

  constructor(scope: Construct, id: string, props: StatefulAppProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const fail = (problem: string) => constructError('StatefulApp', this.name, problem);

    this.namespace = props.namespace ?? Chart.of(this).namespace ?? DEFAULT_NAMESPACE;
    this.serviceName = props.serviceName ?? this.name;
    this.replicas = props.replicas ?? 1;
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    this.podLabels = { ...(props.podLabels ?? { app: this.name }) };
    this.templates = [...(props.volumeClaimTemplates ?? [])];
    const ordinalsStart = props.ordinalsStart ?? 0;
    const podManagementPolicy = props.podManagementPolicy ?? PodManagementPolicy.ORDERED_READY;
    const updateStrategy = props.updateStrategy ?? UpdateStrategy.rollingUpdate();
    const objectLabels = { ...(props.labels ?? this.podLabels) };

    validateIdentity(this.name, this.namespace, fail);
    requireGeneratedCount(this.replicas, 'replicas', fail, 'pod names and DNS names');
    requireCount(ordinalsStart, 'ordinalsStart', fail);
    requireCount(props.minReadySeconds ?? 0, 'minReadySeconds', fail);
    validateUpdateStrategy(updateStrategy, this.replicas, fail);
    if (props.disruptionBudget) {
      validateDisruptionBudget(props.disruptionBudget, this.replicas, fail);
    }
    if (Object.keys(this.podLabels).length === 0) {
      throw fail('podLabels is empty; give the pods at least one label, e.g. { app: "myapp" }, to select them by');
    }

    this.ordinals = ordinals(ordinalsStart, this.replicas);
    const lastPod = podName(this.name, ordinalsStart + Math.max(this.replicas - 1, 0));
    if (!isDns1123Label(lastPod)) {
      throw fail(`pod name "${lastPod}" is longer than 63 characters and cannot be a host name; shorten the name`);
    }
    this.podNames = this.ordinals.map((i) => podName(this.name, i));
    this.podFqdns = this.ordinals.map((i) => podFqdn(this.name, i, this.serviceName, this.namespace, this.clusterDomain));

    const containerNames = resolveContainerNames(props.containers, fail);
    validateMemory(props.containers, containerNames, this.name);
    this.containers = [...props.containers];
    this.containerNames = containerNames;
    validateTemplates(this.templates, this.name, fail);
    validateMounts(props.containers, containerNames, this.templates, fail);
    this.containerPorts = collectPorts(props.containers, containerNames, fail);
    const servicePorts = exposedPorts(props.containers);
    if (servicePorts.length === 0) {
      throw fail('exposes no container port; the headless Service needs at least one named port: add ports: [{ name: "web", number: 80 }] to a container');
    }

    this.service = new HeadlessService(this, 'Service', {
      name: this.serviceName,
      namespace: this.namespace,
      selector: this.podLabels,
      ports: servicePorts,
      publishNotReadyAddresses: props.publishNotReadyAddresses,
      labels: objectLabels,
    });

    const pools = new Map<string, NfsVolumePool>();
    for (const t of this.templates) {
      if (t.nfs) {
        pools.set(t.name, new NfsVolumePool(this, `${t.name}-pool`, {
          ...t.nfs,
          statefulSet: { name: this.name, namespace: this.namespace, replicas: this.replicas, ordinalsStart },
          template: {
            name: t.name,
            size: t.size,
            accessModes: accessModesOf(t),
            storageClassName: storageClassOf(t),
            volumeMode: t.volumeMode,
          },
        }));
      }
    }
    this.pools = pools;
    requireDistinctVolumes(pools, fail);

    const spec = (): k8s.StatefulSetSpec => ({
      serviceName: this.serviceName,
      replicas: this.replicas,
      selector: { matchLabels: { ...this.podLabels } },
      podManagementPolicy,
      updateStrategy: updateStrategy._toKube(),
      minReadySeconds: props.minReadySeconds || undefined,
      ordinals: ordinalsStart !== 0 ? { start: ordinalsStart } : undefined,
      persistentVolumeClaimRetentionPolicy: props.claimRetention
        ? {
          whenDeleted: props.claimRetention.whenDeleted ?? ClaimRetention.RETAIN,
          whenScaled: props.claimRetention.whenScaled ?? ClaimRetention.RETAIN,
        }
        : undefined,
      template: {
        metadata: { labels: { ...this.podLabels } },
        spec: {
          terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
          containers: this.containers.map((c, i) => renderContainer(containerNames[i], c, this.extraEnv.get(containerNames[i]))),
        },
      },
      volumeClaimTemplates: this.templates.length
        ? this.templates.map((t) => renderClaimTemplate(t, pools.get(t.name), this.name))
        : undefined,
    });
    // Lazy, so that addEnv() calls made after construction (e.g. peer lists built from podFqdns) are rendered.
    this.statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: objectLabels },
      spec: Lazy.any({ produce: spec }),
    });
    this.apiObject = this.statefulSet;

    if (props.disruptionBudget) {
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: { name: this.name, namespace: this.namespace, labels: objectLabels },
        spec: {
          selector: { matchLabels: { ...this.podLabels } },
          [props.disruptionBudget.field]: intOrString(props.disruptionBudget.value),
        },
      });
    }

    // Synth runs the linter over the whole app, so escape-hatch edits and hand-written objects are checked too.
    lintChartAtSynth(this);
  }

  /**
   * Adds an environment variable to a container (default: the first), after those given in its props.
   * Useful for values built from the app's own names, e.g. a peer list from `peers()`.
   */
  public addEnv(name: string, value: string | EnvValue, container: string = this.containerNames[0]): void {
    const fail = (problem: string) => constructError('StatefulApp', this.name, problem);
    const index = this.containerNames.indexOf(container);
    if (index < 0) {
      throw fail(`has no container "${container}" (containers: ${this.containerNames.join(', ')})`);
    }
    const extra = this.extraEnv.get(container) ?? [];
    const taken = Object.keys(this.containers[index].env ?? {}).concat(extra.map(([n]) => n));
    if (taken.includes(name)) {
      throw fail(`container "${container}" already has an environment variable "${name}"`);
    }
    this.extraEnv.set(container, [...extra, [name, value]]);
  }

  /** The names of the claims of a template, in ordinal order: `myappdata-myapp-0`, ... */
  public claimNames(template: string): string[] {
    if (!this.templates.some((t) => t.name === template)) {
      throw constructError('StatefulApp', this.name, `has no claim template "${template}" (templates: ${this.templates.map((t) => t.name).join(', ') || 'none'})`);
    }
    return this.ordinals.map((i) => claimName(template, this.name, i));
  }

  /** `host:port` of every pod for a container port (by name or number), in ordinal order, for peer lists. */
  public peers(port: string | number): string[] {
    const number = typeof port === 'number' ? port : this.containerPorts.get(port);
    if (number === undefined) {
      const known = [...this.containerPorts.keys()].join(', ');
      throw constructError('StatefulApp', this.name, `has no container port named "${port}" (ports: ${known})`);
    }
    return this.podFqdns.map((host) => `${host}:${number}`);
  }

  /** The NFS pool of a claim template; throws when the template has none. */
  public pool(template: string): NfsVolumePool {
    const pool = this.pools.get(template);
    if (!pool) {
      throw constructError('StatefulApp', this.name, `claim template "${template}" has no nfs pool`);
    }
    return pool;
  }
}

function accessModesOf(t: VolumeClaimTemplate): AccessMode[] {
  return [...new Set(t.accessModes ?? [AccessMode.READ_WRITE_ONCE])];
}

function storageClassOf(t: VolumeClaimTemplate): string | undefined {
  return t.storageClassName ?? (t.nfs ? '' : undefined);
}

function renderClaimTemplate(t: VolumeClaimTemplate, pool: NfsVolumePool | undefined, app: string): k8s.KubePersistentVolumeClaimProps {
  const selector = t.selector ?? (pool?.binding.kind === 'labelSelector' ? pool.selectorLabels : undefined);
  return {
    metadata: { name: t.name },
    spec: {
      accessModes: accessModesOf(t),
      storageClassName: storageClassOf(t),
      volumeMode: t.volumeMode,
      selector: selector ? { matchLabels: { ...selector } } : undefined,
      resources: { requests: { storage: quantity(storageQuantity(t.size, 'StatefulApp', app, `claim template "${t.name}" size`)) } },
    },
  };
}

function intOrString(value: number | string): k8s.IntOrString {
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);
}

type Fail = (problem: string) => Error;

function validateIdentity(name: string, namespace: string, fail: Fail): void {
  if (!isDns1123Label(name)) {
    throw fail(`name is not ${DNS1123_LABEL_RULE}; use a name such as "${suggestDns1123Label(name)}"`);
  }
  if (!isDns1123Label(namespace)) {
    throw fail(`namespace "${namespace}" is not ${DNS1123_LABEL_RULE}`);
  }
  const nameProblem = statefulSetNameProblem(name);
  if (nameProblem) throw fail(nameProblem);
}

function validateUpdateStrategy(strategy: UpdateStrategy, replicas: number, fail: Fail): void {
  const partition = strategy.partition;
  if (partition === undefined) {
    return;
  }
  if (!Number.isInteger(partition) || partition < 0) {
    throw fail(`updateStrategy partition is ${partition}; set a whole number from 0 to replicas (${replicas})`);
  }
  if (partition > replicas) {
    throw fail(`updateStrategy partition ${partition} is greater than replicas ${replicas}, so no pod would ever be updated; set a partition from 0 to ${replicas}`);
  }
}

function validateDisruptionBudget(budget: DisruptionBudget, replicas: number, fail: Fail): void {
  const { field, value } = budget;
  if (typeof value === 'string') {
    const percent = /^(\d+)%$/.exec(value);
    if (!percent || Number(percent[1]) > 100) {
      throw fail(`disruptionBudget ${field} "${value}" is not a percentage; use a count or a string such as "50%"`);
    }
    return;
  }
  if (!Number.isInteger(value) || value < 0) {
    throw fail(`disruptionBudget ${field} is ${value}; set a whole number >= 0 or a percentage such as "50%"`);
  }
  if (field === 'minAvailable' && value > replicas) {
    throw fail(`disruptionBudget minAvailable ${value} is greater than replicas ${replicas}, which blocks every eviction; set at most ${replicas}`);
  }
}

function resolveContainerNames(containers: readonly StatefulContainer[], fail: Fail): string[] {
  if (containers.length === 0) {
    throw fail('has no containers; give at least one, e.g. containers: [{ image: "nginx:1.25" }]');
  }
  const names = containers.map((c, i) => {
    const name = c.name ?? (i === 0 ? 'main' : undefined);
    if (name === undefined) {
      throw fail(`containers[${i}] has no name; every container after the first needs one`);
    }
    if (!isDns1123Label(name)) {
      throw fail(`containers[${i}].name "${name}" is not ${DNS1123_LABEL_RULE}`);
    }
    if (!c.image) {
      throw fail(`containers[${i}] ("${name}") has no image; set image, e.g. "nginx:1.25"`);
    }
    return name;
  });
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw fail(`container name "${duplicate}" is used twice; give every container its own name`);
  }
  return names;
}

function validateMemory(containers: readonly StatefulContainer[], names: readonly string[], app: string): void {
  containers.forEach((c, i) => {
    const { request, limit } = c.resources?.memory ?? {};
    if (request) storageQuantity(request, 'StatefulApp', app, `container "${names[i]}" memory request`);
    if (limit) storageQuantity(limit, 'StatefulApp', app, `container "${names[i]}" memory limit`);
  });
}

function validateTemplates(templates: readonly VolumeClaimTemplate[], app: string, fail: Fail): void {
  const seen = new Set<string>();
  templates.forEach((t, i) => {
    if (!isDns1123Label(t.name)) {
      throw fail(`volumeClaimTemplates[${i}].name "${t.name}" is not ${DNS1123_LABEL_RULE}`);
    }
    if (seen.has(t.name)) {
      throw fail(`claim template "${t.name}" is defined twice; give every template its own name`);
    }
    seen.add(t.name);
    storageQuantity(t.size, 'StatefulApp', app, `claim template "${t.name}" size`);
    if (t.accessModes !== undefined && t.accessModes.length === 0) {
      throw fail(`claim template "${t.name}" has no access modes; give at least one, e.g. [AccessMode.READ_WRITE_ONCE]`);
    }
  });
}

function validateMounts(
  containers: readonly StatefulContainer[],
  names: readonly string[],
  templates: readonly VolumeClaimTemplate[],
  fail: Fail,
): void {
  const templateNames = templates.map((t) => t.name);
  containers.forEach((c, i) => {
    const paths = new Set<string>();
    for (const m of c.mounts ?? []) {
      if (!templateNames.includes(m.template)) {
        const known = templateNames.length ? templateNames.join(', ') : 'none';
        throw fail(`container "${names[i]}" mounts unknown claim template "${m.template}" (templates: ${known}); add it to volumeClaimTemplates or fix the name`);
      }
      if (!m.path.startsWith('/')) {
        throw fail(`container "${names[i]}" mounts "${m.template}" at "${m.path}", which is not an absolute path`);
      }
      if (paths.has(m.path)) {
        throw fail(`container "${names[i]}" mounts two volumes at "${m.path}"; give each mount its own path`);
      }
      paths.add(m.path);
    }
  });
}

function collectPorts(containers: readonly StatefulContainer[], names: readonly string[], fail: Fail): Map<string, number> {
  const ports = new Map<string, number>();
  containers.forEach((c, i) => {
    for (const p of c.ports ?? []) {
      const nameProblem = containerPortNameProblem(p.name);
      if (nameProblem !== '') {
        throw fail(`container "${names[i]}" port name "${p.name}" is not valid: ${nameProblem}`);
      }
      if (!isPortNumber(p.number)) {
        throw fail(`container "${names[i]}" port "${p.name}" number ${p.number} is not a port number; use 1 to 65535`);
      }
      if (ports.has(p.name)) {
        throw fail(`port name "${p.name}" is used twice in the pod; give every port its own name`);
      }
      ports.set(p.name, p.number);
    }
  });
  return ports;
}

/** Two pools of one app must not make the same PV name or share an export (their data would mix). */
function requireDistinctVolumes(pools: ReadonlyMap<string, NfsVolumePool>, fail: Fail): void {
  const names = new Map<string, string>();
  const exports = new Map<string, string>();
  for (const [template, pool] of pools) {
    for (const pv of pool.volumes) {
      const otherName = names.get(pv.name);
      if (otherName !== undefined) {
        throw fail(`the nfs pools of claim templates "${otherName}" and "${template}" both make PV "${pv.name}"; give each pool its own namePattern`);
      }
      const exported = `${pv.server}:${pv.path}`;
      const otherExport = exports.get(exported);
      if (otherExport !== undefined) {
        throw fail(`the nfs pools of claim templates "${otherExport}" and "${template}" both use ${exported}, so their data would mix; give each pool its own pathPattern`);
      }
      names.set(pv.name, template);
      exports.set(exported, template);
    }
  }
}

function exposedPorts(containers: readonly StatefulContainer[]): HeadlessServicePort[] {
  return containers.flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => p.expose ?? true)
      .map((p) => ({ name: p.name, port: p.number, protocol: p.protocol ?? Protocol.TCP })),
  );
}
