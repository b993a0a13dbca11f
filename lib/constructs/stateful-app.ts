import { Chart, Lazy, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { claimName, isDns1123Label, ordinals, podFqdn, podName, statefulSetNameProblem } from '../k8s/names';
import { EnvValue, nameOf, ObjectName, renderContainer, StatefulContainer } from './container';
import {
  checkAnnotations, checkContainer, checkDns, checkLabels, checkObjectName, checkPodSecurity, checkScheduling,
  checkVolumes, checkWholeNonNegative, requireValid,
} from './pod-checks';
import {
  HostAlias, PodDns, PodScheduling, PodSecurityContextProps, PodVolume, renderAffinity, renderDns, renderPodSecurity,
  renderTopologySpread,
} from './pod';
import { objectNameProblems } from '../k8s/pod-predicates';
import { dns1035LabelProblems } from '../k8s/names';
import { constructError, DNS1123_LABEL_RULE, suggestDns1123Label } from './errors';
import { HeadlessService, HeadlessServicePort } from './headless-service';
import { NfsPoolOptions, NfsVolumePool } from './nfs-volume-pool';
import { containerPortNameProblem, isPortNumber } from './ports';
import { requireCount, requireGeneratedCount } from './counts';
import { quantity, storageQuantity } from './quantity';
import { AccessMode, ClaimRetention, PodManagementPolicy, Protocol, VolumeMode } from './types';
import { DisruptionBudget, UpdateStrategy } from './update-strategy';
import { declareExternalClaim, lintChartAtSynth } from './validation';

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
  /** Labels of every claim made from the template. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of every claim made from the template. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A ClusterIP Service for clients, next to the headless one (which only gives pods their DNS names). */
export interface ClientServiceOptions {
  /** @default '<name>-client' */
  readonly name?: string;
  /**
   * Ports, by container port name: `{ name: 'postgres' }` publishes that container port on its own number;
   * `port` publishes it on another number.
   * @default - every exposed container port, on its own number
   */
  readonly ports?: ReadonlyArray<{ readonly name: string; readonly port?: number }>;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default - the app's object labels */
  readonly labels?: Readonly<Record<string, string>>;
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
   * Seconds between SIGTERM (after preStop) and SIGKILL; give a database time to shut down cleanly.
   * @default - not written (Kubernetes uses 30)
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Pod volumes other than claim templates (ConfigMap, Secret, emptyDir, downwardAPI, projected); mount them with
   * `mounts: [{ volume, path }]`.
   * @default - none
   */
  readonly volumes?: readonly PodVolume[];
  /**
   * Init containers, run to completion in order before the containers start (e.g. fix permissions, wait for a
   * peer). No probes or lifecycle hooks.
   * @default - none
   */
  readonly initContainers?: readonly StatefulContainer[];
  /**
   * Native sidecars: init containers with `restartPolicy: Always`, started after `initContainers`, kept running
   * beside the containers. On 1.28 they need the `SidecarContainers` feature gate (alpha, off by default; on by
   * default from 1.29): without it the API server drops `restartPolicy` and the pod never leaves Init.
   * @default - none
   */
  readonly sidecars?: readonly StatefulContainer[];
  /**
   * The pod security context (`fsGroup`, `fsGroupChangePolicy`, `user`, `group`, `sysctls`, ...).
   * @default - not written; each container's `security` (restricted by default) applies
   */
  readonly securityContext?: PodSecurityContextProps;
  /** Anti-affinity per node or zone, node selector, tolerations, topology spread, priority class. @default - none */
  readonly scheduling?: PodScheduling;
  /** ServiceAccount the pods run as. @default - not written (the namespace's `default`) */
  readonly serviceAccount?: ObjectName;
  /** Mount the service account's API token into the pods. @default - not written (Kubernetes: true) */
  readonly automountServiceAccountToken?: boolean;
  /** Secrets holding registry credentials for the images. @default - none */
  readonly imagePullSecrets?: readonly ObjectName[];
  /** Annotations of the pods (e.g. for a metrics scraper). @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Annotations of the StatefulSet object. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** /etc/hosts entries of the pods. @default - none */
  readonly hostAliases?: readonly HostAlias[];
  /** DNS policy and resolver settings of the pods. @default - cluster DNS (not written) */
  readonly dns?: PodDns;
  /** How many old ControllerRevisions to keep for rollbacks. @default - not written (Kubernetes: 10) */
  readonly revisionHistoryLimit?: number;
  /** A ClusterIP Service for clients, next to the headless one. @default - none */
  readonly clientService?: ClientServiceOptions;
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
  /** The client (ClusterIP) Service, when one was asked for. */
  public readonly clientService?: k8s.KubeService;

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

    checkLabels(this.podLabels, 'podLabels', fail);
    checkLabels(objectLabels, 'labels', fail);
    checkAnnotations(props.podAnnotations, 'podAnnotations', fail);
    checkAnnotations(props.annotations, 'annotations', fail);
    const initContainers = [...(props.initContainers ?? [])];
    const sidecars = [...(props.sidecars ?? [])];
    const containerNames = resolveContainerNames(props.containers, fail);
    const initNames = resolveOtherNames(initContainers, 'initContainers', fail);
    const sidecarNames = resolveOtherNames(sidecars, 'sidecars', fail);
    const allNames = [...containerNames, ...initNames, ...sidecarNames];
    const duplicate = allNames.find((n, i) => allNames.indexOf(n) !== i);
    if (duplicate !== undefined) {
      throw fail(`container name "${duplicate}" is used twice in the pod (containers, initContainers and sidecars share names); give every container its own name`);
    }
    this.containers = [...props.containers];
    this.containerNames = containerNames;
    validateTemplates(this.templates, this.name, fail);
    const volumes = [...(props.volumes ?? [])];
    checkVolumes(volumes, this.templates.map((t) => t.name), fail);
    const targets = { templates: this.templates.map((t) => t.name), volumes: volumes.map((v) => v.name) };
    props.containers.forEach((c, i) => checkContainer(c, `container "${containerNames[i]}"`, 'container', targets, fail));
    initContainers.forEach((c, i) => checkContainer(c, `init container "${initNames[i]}"`, 'init', targets, fail));
    sidecars.forEach((c, i) => checkContainer(c, `sidecar "${sidecarNames[i]}"`, 'sidecar', targets, fail));
    checkPodSecurity(props.securityContext, fail);
    checkScheduling(props.scheduling, fail);
    checkDns(props.dns, props.hostAliases, fail);
    checkWholeNonNegative(props.terminationGracePeriodSeconds, 'terminationGracePeriodSeconds', fail);
    checkWholeNonNegative(props.revisionHistoryLimit, 'revisionHistoryLimit', fail);
    if (props.serviceAccount !== undefined) checkObjectName(nameOf(props.serviceAccount), 'serviceAccount', fail);
    (props.imagePullSecrets ?? []).forEach((ref) => checkObjectName(nameOf(ref), 'imagePullSecrets', fail));
    this.containerPorts = collectPorts([...props.containers, ...sidecars], [...containerNames, ...sidecarNames], fail);
    collectPorts(initContainers, initNames, fail);
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
      revisionHistoryLimit: props.revisionHistoryLimit,
      template: {
        metadata: {
          labels: { ...this.podLabels },
          annotations: props.podAnnotations && Object.keys(props.podAnnotations).length ? { ...props.podAnnotations } : undefined,
        },
        spec: {
          serviceAccountName: props.serviceAccount !== undefined ? nameOf(props.serviceAccount) : undefined,
          automountServiceAccountToken: props.automountServiceAccountToken,
          imagePullSecrets: props.imagePullSecrets?.length ? props.imagePullSecrets.map((ref) => ({ name: nameOf(ref) })) : undefined,
          securityContext: renderPodSecurity(props.securityContext),
          terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
          priorityClassName: props.scheduling?.priorityClassName,
          nodeSelector: props.scheduling?.nodeSelector && Object.keys(props.scheduling.nodeSelector).length ? { ...props.scheduling.nodeSelector } : undefined,
          tolerations: props.scheduling?.tolerations?.length ? props.scheduling.tolerations.map((t) => ({ ...t })) : undefined,
          affinity: renderAffinity(props.scheduling, this.podLabels),
          topologySpreadConstraints: renderTopologySpread(props.scheduling?.topologySpread, this.podLabels),
          hostAliases: props.hostAliases?.length ? props.hostAliases.map((h) => ({ ip: h.ip, hostnames: [...h.hostnames] })) : undefined,
          ...renderDns(props.dns),
          initContainers: initContainers.length || sidecars.length
            ? [
              ...initContainers.map((c, i) => renderContainer(initNames[i], c)),
              ...sidecars.map((c, i) => ({ ...renderContainer(sidecarNames[i], c), restartPolicy: 'Always' })),
            ]
            : undefined,
          containers: this.containers.map((c, i) => renderContainer(containerNames[i], c, this.extraEnv.get(containerNames[i]))),
          volumes: volumes.length ? volumes.map((v) => v._toKube()) : undefined,
        },
      },
      volumeClaimTemplates: this.templates.length
        ? this.templates.map((t) => renderClaimTemplate(t, pools.get(t.name), this.name))
        : undefined,
    });
    // Lazy, so that addEnv() calls made after construction (e.g. peer lists built from podFqdns) are rendered.
    this.statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: objectLabels, annotations: props.annotations ? { ...props.annotations } : undefined },
      spec: Lazy.any({ produce: spec }),
    });
    this.apiObject = this.statefulSet;

    if (props.clientService) {
      this.clientService = clientService(this, props.clientService, servicePortsOf(props.containers), objectLabels, fail);
    }

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
    for (const t of this.templates.filter((template) => !template.nfs)) {
      for (const i of this.ordinals) declareExternalClaim(this, this.namespace, claimName(t.name, this.name, i), storageClassOf(t));
    }
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
    metadata: {
      name: t.name,
      labels: t.labels && Object.keys(t.labels).length ? { ...t.labels } : undefined,
      annotations: t.annotations && Object.keys(t.annotations).length ? { ...t.annotations } : undefined,
    },
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

function resolveOtherNames(containers: readonly StatefulContainer[], field: string, fail: Fail): string[] {
  return containers.map((c, i) => {
    if (c.name === undefined) throw fail(`${field}[${i}] has no name; give every init container and sidecar a name`);
    if (!isDns1123Label(c.name)) throw fail(`${field}[${i}].name "${c.name}" is not ${DNS1123_LABEL_RULE}`);
    if (!c.image) throw fail(`${field}[${i}] ("${c.name}") has no image; set image, e.g. "busybox:1.36"`);
    return c.name;
  });
}

/** The client Service: ClusterIP, the app's pods, the chosen container ports. */
function clientService(
  scope: Construct,
  options: ClientServiceOptions,
  containerPorts: ReadonlyMap<string, { number: number; protocol: Protocol }>,
  objectLabels: Readonly<Record<string, string>>,
  fail: Fail,
): k8s.KubeService {
  const app = scope as StatefulApp;
  const name = options.name ?? `${app.name}-client`;
  requireValid(dns1035LabelProblems(name), 'clientService name', name, fail);
  if (name === app.serviceName) throw fail(`clientService name "${name}" is the headless Service's name; give it its own, e.g. "${app.name}-client"`);
  checkLabels(options.labels, 'clientService labels', fail);
  checkAnnotations(options.annotations, 'clientService annotations', fail);
  const wanted: ReadonlyArray<{ readonly name: string; readonly port?: number }> =
    options.ports ?? [...containerPorts.keys()].map((n) => ({ name: n }));
  if (wanted.length === 0) throw fail('clientService has no ports; expose a container port or list ports');
  const seen = new Set<number>();
  const ports = wanted.map((p) => {
    const target = containerPorts.get(p.name);
    if (!target) throw fail(`clientService port "${p.name}" names no container port (ports: ${[...containerPorts.keys()].join(', ')})`);
    const port = p.port ?? target.number;
    if (!isPortNumber(port)) throw fail(`clientService port "${p.name}": Invalid value: ${port}: must be between 1 and 65535, inclusive`);
    if (seen.has(port)) throw fail(`clientService publishes port ${port} twice`);
    seen.add(port);
    return { name: p.name, port, targetPort: k8s.IntOrString.fromString(p.name), protocol: target.protocol };
  });
  return new k8s.KubeService(scope, 'ClientService', {
    metadata: {
      name,
      namespace: app.namespace,
      labels: { ...(options.labels ?? objectLabels) },
      annotations: options.annotations ? { ...options.annotations } : undefined,
    },
    spec: { type: 'ClusterIP', selector: { ...app.podLabels }, ports },
  });
}

function servicePortsOf(containers: readonly StatefulContainer[]): Map<string, { number: number; protocol: Protocol }> {
  return new Map(containers.flatMap((c) => (c.ports ?? []).map((p) => [p.name, { number: p.number, protocol: p.protocol ?? Protocol.TCP }] as const)));
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
    if (t.storageClassName) {
      requireValid(objectNameProblems(t.storageClassName), `claim template "${t.name}" storageClassName`, t.storageClassName, fail);
    }
    checkLabels(t.selector, `claim template "${t.name}" selector`, fail);
    checkLabels(t.labels, `claim template "${t.name}" labels`, fail);
    checkAnnotations(t.annotations, `claim template "${t.name}" annotations`, fail);
    if (t.accessModes !== undefined && t.accessModes.length === 0) {
      throw fail(`claim template "${t.name}" has no access modes; give at least one, e.g. [AccessMode.READ_WRITE_ONCE]`);
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
