import { Chart, JsonPatch, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { objectNameProblems } from '../k8s/pod-predicates';
import { accessModeErrors } from '../k8s/validation';
import { checkAnnotations, checkLabels, requireValid } from './pod-checks';
import { lintChartAtSynth } from './validation';
import { isDns1123Label, isDns1123Subdomain } from '../k8s/names';
import { constructError, suggestDns1123Label } from './errors';
import { quantity, storageQuantity } from './quantity';
import { AccessMode, ReclaimPolicy, VolumeMode } from './types';

/** The claim a PersistentVolume is reserved for. The namespace is required: without it a PV never binds. */
export interface ClaimReference {
  /** Name of the PersistentVolumeClaim, e.g. `myappdata-myapp-0`. */
  readonly name: string;
  /** Namespace of the claim. */
  readonly namespace: string;
}

export interface NfsPersistentVolumeProps {
  /**
   * PV name, written exactly (no hash).
   * @default - the construct id
   */
  readonly name?: string;
  /** NFS server host name or IP address. */
  readonly server: string;
  /** Absolute path exported by the server. */
  readonly path: string;
  /** Capacity, written exactly in the largest binary unit that holds it (`Size.mebibytes(500)` -> `500Mi`). */
  readonly capacity: Size;
  /** Access modes the volume offers; a claim binds only if all its modes are offered. At least one. */
  readonly accessModes: readonly AccessMode[];
  /**
   * What happens to the volume (and the data on the server) when its claim is deleted.
   * @default ReclaimPolicy.RETAIN
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * StorageClass of the volume. Only claims asking for the same class bind it.
   * @default - no class: the volume serves claims with `storageClassName: ""` (or unset, on clusters without a default class)
   */
  readonly storageClassName?: string;
  /**
   * @default - not written (Kubernetes defaults to Filesystem)
   */
  readonly volumeMode?: VolumeMode;
  /**
   * NFS mount options, e.g. `['nfsvers=4.1', 'hard']`.
   * @default - none
   */
  readonly mountOptions?: readonly string[];
  /**
   * Mount the export read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Labels of the PV (claims can select PVs by label).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations of the PV.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Reserve the volume for one claim (pre-binding): only that claim can bind it.
   * @default - any claim that fits may bind it
   */
  readonly claimRef?: ClaimReference;
}

/**
 * A PersistentVolume backed by an NFS export. Cluster-scoped: it carries no namespace, even in a namespaced chart.
 */
export class NfsPersistentVolume extends Construct {
  /** The L1 PersistentVolume object. */
  public readonly apiObject: k8s.KubePersistentVolume;
  /** The PV name. */
  public readonly name: string;
  /** The capacity as written, e.g. `2Gi`. */
  public readonly capacity: string;
  public readonly accessModes: readonly AccessMode[];
  public readonly reclaimPolicy: ReclaimPolicy;
  public readonly storageClassName?: string;
  public readonly volumeMode?: VolumeMode;
  public readonly server: string;
  public readonly path: string;
  public readonly claimRef?: ClaimReference;

  constructor(scope: Construct, id: string, props: NfsPersistentVolumeProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const fail = (problem: string) => constructError('NfsPersistentVolume', this.name, problem);
    if (!isDns1123Subdomain(this.name)) {
      throw fail(`name is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.'); use a name such as "${suggestDns1123Label(this.name)}"`);
    }
    if (!props.server) {
      throw fail('server is empty; give the NFS server host name or IP address');
    }
    if (!props.path.startsWith('/')) {
      throw fail(`path "${props.path}" is not absolute; give the exported path, e.g. "/data/volumes/v1"`);
    }
    if (props.accessModes.length === 0) {
      throw fail('accessModes is empty; give the modes the volume offers, e.g. [AccessMode.READ_WRITE_ONCE]');
    }
    for (const error of accessModeErrors(props.accessModes, ['spec'])) throw fail(`${error.message}; give ReadWriteOncePod alone`);
    if (props.claimRef) {
      validateClaimRef(props.claimRef, fail);
    }
    if (props.storageClassName) {
      requireValid(objectNameProblems(props.storageClassName), 'storageClassName', props.storageClassName, fail);
    }
    checkLabels(props.labels, 'labels', fail);
    checkAnnotations(props.annotations, 'annotations', fail);

    this.capacity = storageQuantity(props.capacity, 'NfsPersistentVolume', this.name, 'capacity');
    this.accessModes = [...new Set(props.accessModes)];
    this.reclaimPolicy = props.reclaimPolicy ?? ReclaimPolicy.RETAIN;
    this.storageClassName = props.storageClassName || undefined;
    this.volumeMode = props.volumeMode;
    this.server = props.server;
    this.path = props.path;
    this.claimRef = props.claimRef ? { name: props.claimRef.name, namespace: props.claimRef.namespace } : undefined;

    this.apiObject = new k8s.KubePersistentVolume(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: props.labels ? { ...props.labels } : undefined,
        annotations: props.annotations ? { ...props.annotations } : undefined,
      },
      spec: {
        capacity: { storage: quantity(this.capacity) },
        accessModes: [...this.accessModes],
        persistentVolumeReclaimPolicy: this.reclaimPolicy,
        storageClassName: this.storageClassName,
        volumeMode: this.volumeMode,
        mountOptions: props.mountOptions && props.mountOptions.length > 0 ? [...props.mountOptions] : undefined,
        nfs: { server: this.server, path: this.path, readOnly: props.readOnly ? true : undefined },
        claimRef: this.claimRef
          ? { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: this.claimRef.name, namespace: this.claimRef.namespace }
          : undefined,
      },
    });

    // A namespaced Chart stamps its namespace on every object; PersistentVolumes are cluster-scoped.
    if (Chart.of(this).namespace !== undefined) {
      this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    lintChartAtSynth(this);
  }
}

function validateClaimRef(ref: ClaimReference, fail: (problem: string) => Error): void {
  if (!isDns1123Subdomain(ref.name)) {
    throw fail(`claimRef.name "${ref.name}" is not a valid claim name (a DNS-1123 subdomain)`);
  }
  if (!ref.namespace) {
    throw fail('claimRef.namespace is empty; a PV pre-bound without the claim\'s namespace never binds: give the namespace of the claim');
  }
  if (!isDns1123Label(ref.namespace)) {
    throw fail(`claimRef.namespace "${ref.namespace}" is not a valid namespace (a DNS-1123 label)`);
  }
}
