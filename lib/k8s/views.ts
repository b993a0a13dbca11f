/**
 * Typed, tolerant views of the objects a stateful workload is made of: StatefulSet (with its pod template and
 * claim templates), Service, PodDisruptionBudget, StorageClass. They are the only readers of raw objects outside
 * the schema pass: any shape is accepted (a missing or mistyped node reads as absent), API defaults are applied
 * from the one table (k8s/defaults.ts), and every part a finding may point at carries its path in the object.
 * PersistentVolumes and claims as the binder reads them are in k8s/storage.ts.
 */
import type { KubeObject, Path } from '../core/types';
import { defaultOf } from './defaults';
import { isInt32 } from './validation';
import { asArray, asRecord, asString, asStringMap, dig, type Json } from './values';

/** Where the fields of a StatefulSet are, for findings. */
export const STATEFULSET_PATHS = {
  name: ['metadata', 'name'],
  replicas: ['spec', 'replicas'],
  ordinalsStart: ['spec', 'ordinals', 'start'],
  serviceName: ['spec', 'serviceName'],
  selector: ['spec', 'selector'],
  podManagementPolicy: ['spec', 'podManagementPolicy'],
  templateLabels: ['spec', 'template', 'metadata', 'labels'],
  podSpec: ['spec', 'template', 'spec'],
  volumeClaimTemplates: ['spec', 'volumeClaimTemplates'],
  whenScaled: ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenScaled'],
  whenDeleted: ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted'],
} as const satisfies Record<string, Path>;

export interface ClaimTemplate {
  readonly name: string;
  /** Index in spec.volumeClaimTemplates. */
  readonly index: number;
  /** Path of the template in the StatefulSet. */
  readonly path: Path;
  /** The template as a PVC object (metadata + spec): what k8s/storage.ts claimInput reads. */
  readonly object: Json;
}

/** A container of a pod template, with its path in the owning object. */
export interface TemplateContainer {
  /** The container's name, or `#<index>` when it has none. */
  readonly name: string;
  readonly path: Path;
  /** How the API server names it in a pod: `spec.containers[0]` / `spec.initContainers[1]`. */
  readonly podField: string;
  readonly object: Json;
  /** Names of volumes it mounts (volumeMounts) or attaches as devices (volumeDevices), with their paths. */
  readonly volumeReferences: readonly VolumeReference[];
}

export interface VolumeReference {
  readonly name: string;
  readonly list: 'volumeMounts' | 'volumeDevices';
  readonly index: number;
  /** Path of the reference's `name`. */
  readonly path: Path;
}

export interface PodVolume {
  readonly name: string;
  /** A claim or an ephemeral volume: what can back a raw block device. */
  readonly blockCapable: boolean;
  readonly path: Path;
}

export interface PodTemplateView {
  readonly labels: Record<string, string>;
  /** Whether metadata.labels is a mapping at all (an absent map prints as nil in the API server's errors). */
  readonly hasLabels: boolean;
  readonly containers: readonly TemplateContainer[];
  readonly volumes: readonly PodVolume[];
}

export interface StatefulSetView {
  readonly name: string;
  readonly serviceName: string | undefined;
  readonly selector: Json | undefined;
  readonly templateLabels: Record<string, string>;
  /**
   * spec.replicas with its default (1); 0 when it is not an int32 >= 0, so that nothing is planned for a value the
   * API server refuses (the schema pass reports it: `must be greater than or equal to 0`).
   */
  readonly replicas: number;
  /** spec.ordinals.start with its default (0); 0 as well when invalid (reported by the schema pass). */
  readonly ordinalsStart: number;
  /**
   * Whether replicas and ordinals.start are what the API server accepts (int32 >= 0). When not, the schema pass
   * reports them and nothing that depends on them (claims, pod names) is judged.
   */
  readonly countsValid: boolean;
  readonly podManagementPolicy: string;
  readonly parallel: boolean;
  readonly whenScaled: string;
  readonly whenDeleted: string;
  readonly claimTemplates: readonly ClaimTemplate[];
  readonly podTemplate: PodTemplateView;
}

const STS = 'StatefulSet';

function given(value: unknown, fallback: unknown): unknown {
  return value === undefined || value === null ? fallback : value;
}

const isCount = (value: unknown): value is number => isInt32(value) && value >= 0;

function text(value: unknown, fallback: unknown): string {
  return asString(value) ?? (fallback as string);
}

/** The defaults readStatefulSet applies, looked up once. */
let statefulSetDefaults: { podManagementPolicy: unknown; replicas: unknown; whenScaled: unknown; whenDeleted: unknown } | undefined;

export function readStatefulSet(object: KubeObject): StatefulSetView {
  const defaults = (statefulSetDefaults ??= {
    podManagementPolicy: defaultOf(STS, STATEFULSET_PATHS.podManagementPolicy),
    replicas: defaultOf(STS, STATEFULSET_PATHS.replicas),
    whenScaled: defaultOf(STS, STATEFULSET_PATHS.whenScaled),
    whenDeleted: defaultOf(STS, STATEFULSET_PATHS.whenDeleted),
  });
  const spec = asRecord(object.spec) ?? {};
  const podManagementPolicy = text(spec.podManagementPolicy, defaults.podManagementPolicy);
  const replicas = given(spec.replicas, defaults.replicas);
  const ordinalsStart = given(dig(spec, 'ordinals', 'start'), 0);
  return {
    name: asString(object.metadata?.name) ?? '',
    serviceName: asString(spec.serviceName),
    selector: asRecord(spec.selector),
    templateLabels: asStringMap(dig(spec, 'template', 'metadata', 'labels')),
    replicas: isCount(replicas) ? replicas : 0,
    ordinalsStart: isCount(ordinalsStart) ? ordinalsStart : 0,
    countsValid: isCount(replicas) && isCount(ordinalsStart),
    podManagementPolicy,
    parallel: podManagementPolicy === 'Parallel',
    whenScaled: text(dig(object, ...STATEFULSET_PATHS.whenScaled), defaults.whenScaled),
    whenDeleted: text(dig(object, ...STATEFULSET_PATHS.whenDeleted), defaults.whenDeleted),
    claimTemplates: readClaimTemplates(spec),
    podTemplate: readPodTemplate(object, ['spec', 'template']),
  };
}

function readClaimTemplates(spec: Json): ClaimTemplate[] {
  const templates: ClaimTemplate[] = [];
  asArray(spec.volumeClaimTemplates).forEach((raw, index) => {
    const object = asRecord(raw);
    const name = asString(dig(object, 'metadata', 'name'));
    if (object !== undefined && name !== undefined) {
      templates.push({ name, index, path: [...STATEFULSET_PATHS.volumeClaimTemplates, index], object });
    }
  });
  return templates;
}

const CONTAINER_LISTS = ['containers', 'initContainers'] as const;
const VOLUME_REFERENCE_LISTS = ['volumeMounts', 'volumeDevices'] as const;

/** The pod template at `at` (['spec', 'template'] for workloads). */
export function readPodTemplate(object: KubeObject, at: Path): PodTemplateView {
  const template = asRecord(dig(object, ...(at as string[])));
  const labelsNode = asRecord(dig(template, 'metadata', 'labels'));
  const podSpec = asRecord(template?.spec);
  const containers: TemplateContainer[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = asArray(podSpec?.[list]);
    for (let index = 0; index < items.length; index++) {
      const container = asRecord(items[index]);
      if (container !== undefined) containers.push(readContainer(container, list, index, [...at, 'spec', list, index]));
    }
  }
  const volumes: PodVolume[] = [];
  const items = asArray(podSpec?.volumes);
  for (let index = 0; index < items.length; index++) {
    const volume = asRecord(items[index]);
    const name = asString(volume?.name);
    if (volume === undefined || name === undefined) continue;
    const blockCapable = volume.persistentVolumeClaim !== undefined || volume.ephemeral !== undefined;
    volumes.push({ name, blockCapable, path: [...at, 'spec', 'volumes', index] });
  }
  return { labels: asStringMap(labelsNode), hasLabels: labelsNode !== undefined, containers, volumes };
}

function readContainer(container: Json, list: (typeof CONTAINER_LISTS)[number], index: number, path: Path): TemplateContainer {
  const volumeReferences: VolumeReference[] = [];
  for (const refs of VOLUME_REFERENCE_LISTS) {
    const items = asArray(container[refs]);
    for (let i = 0; i < items.length; i++) {
      const name = asString(asRecord(items[i])?.name);
      if (name !== undefined) volumeReferences.push(new ContainerVolumeReference(name, refs, i, path));
    }
  }
  return new ContainerView(asString(container.name) ?? `#${index}`, path, list, index, container, volumeReferences);
}

/*
 * Every StatefulSet of a run is read, but only the parts in a finding are ever named: the paths and field names
 * below are worked out when asked, not for each of the thousands of mounts of a large run.
 */

class ContainerView implements TemplateContainer {
  constructor(
    readonly name: string,
    readonly path: Path,
    private readonly list: (typeof CONTAINER_LISTS)[number],
    private readonly index: number,
    readonly object: Json,
    readonly volumeReferences: readonly VolumeReference[],
  ) {}

  get podField(): string {
    return `spec.${this.list}[${this.index}]`;
  }
}

class ContainerVolumeReference implements VolumeReference {
  constructor(
    readonly name: string,
    readonly list: VolumeReference['list'],
    readonly index: number,
    private readonly containerPath: Path,
  ) {}

  get path(): Path {
    return [...this.containerPath, this.list, this.index, 'name'];
  }
}

export interface ServicePortView {
  readonly name: string | undefined;
  readonly port: number | undefined;
  readonly path: Path;
}

export interface ServiceView {
  readonly name: string;
  /** spec.type with its default (ClusterIP). */
  readonly type: string;
  /** spec.clusterIP ('' when unset). */
  readonly clusterIP: string;
  /** clusterIP None, and not an ExternalName Service: pods get per-pod DNS names. */
  readonly headless: boolean;
  readonly selector: Record<string, string>;
  readonly publishNotReadyAddresses: boolean;
  readonly ports: readonly ServicePortView[];
}

export const SERVICE_PATHS = {
  name: ['metadata', 'name'],
  type: ['spec', 'type'],
  clusterIP: ['spec', 'clusterIP'],
  selector: ['spec', 'selector'],
  ports: ['spec', 'ports'],
} as const satisfies Record<string, Path>;

export function readService(object: KubeObject): ServiceView {
  const spec = asRecord(object.spec) ?? {};
  const type = asString(spec.type) ?? (defaultOf('Service', SERVICE_PATHS.type) as string);
  const clusterIP = asString(spec.clusterIP) ?? '';
  return {
    name: asString(object.metadata?.name) ?? '',
    type,
    clusterIP,
    headless: type !== 'ExternalName' && clusterIP === 'None',
    selector: asStringMap(spec.selector),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    ports: readServicePorts(spec.ports),
  };
}

function readServicePorts(value: unknown): ServicePortView[] {
  const ports: ServicePortView[] = [];
  const items = asArray(value);
  for (let index = 0; index < items.length; index++) {
    const port = asRecord(items[index]);
    if (port === undefined) continue;
    const number = typeof port.port === 'number' ? port.port : undefined;
    ports.push({ name: asString(port.name), port: number, path: [...SERVICE_PATHS.ports, index] });
  }
  return ports;
}

export interface PodDisruptionBudgetView {
  readonly name: string;
  readonly selector: Json | undefined;
  /** An integer or a percentage string, as written; undefined when unset. */
  readonly minAvailable: number | string | undefined;
  readonly maxUnavailable: number | string | undefined;
}

export const PDB_PATHS = {
  selector: ['spec', 'selector'],
  minAvailable: ['spec', 'minAvailable'],
  maxUnavailable: ['spec', 'maxUnavailable'],
} as const satisfies Record<string, Path>;

const intOrString = (value: unknown): number | string | undefined =>
  typeof value === 'number' || typeof value === 'string' ? value : undefined;

export function readPodDisruptionBudget(object: KubeObject): PodDisruptionBudgetView {
  const spec = asRecord(object.spec) ?? {};
  return {
    name: asString(object.metadata?.name) ?? '',
    selector: asRecord(spec.selector),
    minAvailable: intOrString(spec.minAvailable),
    maxUnavailable: intOrString(spec.maxUnavailable),
  };
}

const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/** The volumeBindingMode under which the scheduler binds a claim when it places the claim's pod. */
export const WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer';

/** The provisioner of StorageClasses whose PVs are created by hand (no dynamic provisioning). */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export interface StorageClassView {
  readonly name: string;
  readonly provisioner: string | undefined;
  /** Marked as the cluster's default class (the annotation, GA or beta, set to "true"). */
  readonly isDefault: boolean;
  readonly allowVolumeExpansion: boolean;
  /** volumeBindingMode with its default (Immediate). */
  readonly volumeBindingMode: string;
  /** reclaimPolicy with its default (Delete). */
  readonly reclaimPolicy: string;
}

export function readStorageClass(object: KubeObject): StorageClassView {
  const annotations = asStringMap(object.metadata?.annotations);
  return {
    name: asString(object.metadata?.name) ?? '',
    provisioner: asString(object.provisioner),
    isDefault: DEFAULT_CLASS_ANNOTATIONS.some((key) => annotations[key] === 'true'),
    allowVolumeExpansion: object.allowVolumeExpansion === true,
    volumeBindingMode: asString(object.volumeBindingMode) ?? (defaultOf('StorageClass', ['volumeBindingMode']) as string),
    reclaimPolicy: asString(object.reclaimPolicy) ?? (defaultOf('StorageClass', ['reclaimPolicy']) as string),
  };
}
