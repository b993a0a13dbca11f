import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { claimName, isDns1123Label, ordinals } from '../k8s/names';
import { objectNameProblems } from '../k8s/pod-predicates';
import { requireCount, requireGeneratedCount } from './counts';
import { constructError } from './errors';
import { checkLabels, requireValid } from './pod-checks';
import { lintChartAtSynth } from './validation';
import { NfsPersistentVolume } from './nfs-persistent-volume';
import { storageQuantity } from './quantity';
import { AccessMode, ReclaimPolicy, VolumeMode } from './types';

/** Label keys the pool puts on its PVs (and, with label-selector binding, the claim template selects). */
export const POOL_LABELS = {
  statefulSet: 'cdk8s-stateful.io/statefulset',
  template: 'cdk8s-stateful.io/claim-template',
  namespace: 'cdk8s-stateful.io/namespace',
} as const;

/** How the pool's PVs are matched to the StatefulSet's claims. */
export class PoolBinding {
  /**
   * Pre-bind PV i to claim `<template>-<statefulset>-<ordinal i>` with a `claimRef` (namespace included), so that
   * pod i always gets the same volume and no other claim can take it. Headroom PVs are not pre-bound.
   */
  public static claimRef(): PoolBinding {
    return new PoolBinding('claimRef');
  }

  /**
   * Label the PVs and let the claim template select them by label: only this template's claims can bind them,
   * but which claim gets which PV is up to the binder (not deterministic).
   */
  public static labelSelector(): PoolBinding {
    return new PoolBinding('labelSelector');
  }

  private constructor(public readonly kind: 'claimRef' | 'labelSelector') {}
}

/** The StatefulSet whose claims the pool serves. */
export interface PoolStatefulSet {
  /** StatefulSet name. */
  readonly name: string;
  /** Namespace of the StatefulSet (and so of its claims). */
  readonly namespace: string;
  /** Number of replicas: one PV per ordinal. */
  readonly replicas: number;
  /**
   * First ordinal (`spec.ordinals.start`).
   * @default 0
   */
  readonly ordinalsStart?: number;
}

/** The claim template whose claims the pool serves: its PVs copy capacity, class and volume mode. */
export interface PoolClaimTemplate {
  /** Template name (`metadata.name` of the claim template). */
  readonly name: string;
  /** Requested storage. */
  readonly size: Size;
  /** Access modes the claims request. */
  readonly accessModes: readonly AccessMode[];
  /**
   * @default - no class
   */
  readonly storageClassName?: string;
  /**
   * @default - not written (Filesystem)
   */
  readonly volumeMode?: VolumeMode;
}

/** Where and how the pool's NFS volumes are made; used on its own and by StatefulApp claim templates. */
export interface NfsPoolOptions {
  /** NFS server host name or IP address. */
  readonly server: string;
  /** Path of each export with a number placeholder: `{n}` as is, `{nnn}` zero-padded to 3 digits: `/data/volumes/v{n}`. */
  readonly pathPattern: string;
  /**
   * PV name with a number placeholder, e.g. `pv{nnn}` -> `pv001`.
   * @default '<statefulset>-<template>-{n}'
   */
  readonly namePattern?: string;
  /**
   * Number given to the first PV (the one for the first ordinal); 1 for 1-based, 0 for 0-based numbering.
   * @default 1
   */
  readonly firstNumber?: number;
  /**
   * Extra PVs beyond one per replica, ready for a scale-up. They are labelled but never pre-bound.
   * @default 0
   */
  readonly headroom?: number;
  /**
   * @default PoolBinding.claimRef()
   */
  readonly binding?: PoolBinding;
  /**
   * Access modes the PVs offer; must include every mode of the template.
   * @default - the template's access modes
   */
  readonly accessModes?: readonly AccessMode[];
  /**
   * @default ReclaimPolicy.RETAIN
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * NFS mount options, e.g. `['nfsvers=4.1']`.
   * @default - none
   */
  readonly mountOptions?: readonly string[];
  /**
   * Extra labels on every PV.
   * @default - only the pool labels
   */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface NfsVolumePoolProps extends NfsPoolOptions {
  readonly statefulSet: PoolStatefulSet;
  readonly template: PoolClaimTemplate;
}

/**
 * The NFS PersistentVolumes for one claim template of one StatefulSet: one per ordinal, plus optional headroom,
 * each exactly the template's size, class and volume mode.
 */
export class NfsVolumePool extends Construct {
  /** The PVs, in ordinal order, headroom last. */
  public readonly volumes: readonly NfsPersistentVolume[];
  /** The labels that every PV of the pool carries (what a label-selector binding selects). */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly binding: PoolBinding;

  constructor(scope: Construct, id: string, props: NfsVolumePoolProps) {
    super(scope, id);
    const sts = props.statefulSet;
    const template = props.template;
    const poolName = `${sts.name}/${template.name}`;
    const fail = (problem: string) => constructError('NfsVolumePool', poolName, problem);

    const start = sts.ordinalsStart ?? 0;
    const headroom = props.headroom ?? 0;
    const firstNumber = props.firstNumber ?? 1;
    const namePattern = props.namePattern ?? `${sts.name}-${template.name}-{n}`;
    this.binding = props.binding ?? PoolBinding.claimRef();
    requireCount(sts.replicas, 'statefulSet.replicas', fail);
    requireCount(start, 'statefulSet.ordinalsStart', fail);
    requireCount(headroom, 'headroom', fail);
    requireGeneratedCount(sts.replicas + headroom, 'statefulSet.replicas + headroom', fail, 'PersistentVolumes');
    requireCount(firstNumber, 'firstNumber', fail);
    requirePlaceholder(props.pathPattern, 'pathPattern', '/data/volumes/v{n}', fail);
    requirePlaceholder(namePattern, 'namePattern', 'pv{nnn}', fail);
    if (!isDns1123Label(sts.namespace)) {
      throw fail(`statefulSet.namespace "${sts.namespace}" is not a valid namespace (a DNS-1123 label)`);
    }

    storageQuantity(template.size, 'NfsVolumePool', poolName, 'template.size');
    if (template.storageClassName) {
      requireValid(objectNameProblems(template.storageClassName), 'template.storageClassName', template.storageClassName, fail);
    }
    checkLabels(props.labels, 'labels', fail);
    if (!props.server) throw fail('server is empty; give the NFS server host name or IP address');
    const accessModes = props.accessModes ?? template.accessModes;
    const missing = template.accessModes.filter((m) => !accessModes.includes(m));
    if (missing.length > 0) {
      throw fail(`accessModes [${accessModes.join(', ')}] lack ${missing.join(', ')} that the claims request; no claim could bind: add ${missing.join(', ')}`);
    }

    this.selectorLabels = {
      [POOL_LABELS.statefulSet]: sts.name,
      [POOL_LABELS.template]: template.name,
      [POOL_LABELS.namespace]: sts.namespace,
    };

    const claimOrdinals = ordinals(start, sts.replicas);
    const count = claimOrdinals.length + headroom;
    this.volumes = Array.from({ length: count }, (_, index) => {
      const n = firstNumber + index;
      const name = fillNumber(namePattern, n);
      const ordinal = claimOrdinals[index];
      const preBind = this.binding.kind === 'claimRef' && ordinal !== undefined;
      return new NfsPersistentVolume(this, name, {
        name,
        server: props.server,
        path: fillNumber(props.pathPattern, n),
        capacity: template.size,
        accessModes,
        reclaimPolicy: props.reclaimPolicy,
        storageClassName: template.storageClassName,
        volumeMode: template.volumeMode,
        mountOptions: props.mountOptions,
        labels: { ...props.labels, ...this.selectorLabels },
        claimRef: preBind ? { name: claimName(template.name, sts.name, ordinal), namespace: sts.namespace } : undefined,
      });
    });
    lintChartAtSynth(this);
  }
}

/** Replaces every `{n}`, `{nn}`, ... with the number, zero-padded to the count of n's. */
export function fillNumber(pattern: string, n: number): string {
  return pattern.replace(/\{(n+)\}/g, (_, ns: string) => String(n).padStart(ns.length, '0'));
}

function requirePlaceholder(pattern: string, field: string, example: string, fail: (p: string) => Error): void {
  if (!/\{n+\}/.test(pattern)) {
    throw fail(`${field} "${pattern}" has no number placeholder, so every PV would get the same value; add {n} or {nnn}, e.g. "${example}"`);
  }
}
