/**
 * A bound PersistentVolumeClaim's spec is immutable except `resources.requests`, which may only grow
 * (core/validation ValidatePersistentVolumeClaimUpdate, 1.28, RecoverVolumeExpansionFailure off), and growing is
 * refused unless the claim's StorageClass sets allowVolumeExpansion: true (admission plugin
 * PersistentVolumeClaimResize): a claim of class "" or held to a hand-made PV cannot grow.
 */
import { describeChange } from '../changes';
import { compareQuantities } from '../quantity-equal';
import type { RevisionReport } from '../../core/rule';
import { bindClaims } from '../../k8s/binder';
import { BETA_STORAGE_CLASS_ANNOTATION, pvcClaimInput, pvSpecOf } from '../../k8s/storage';
import type { DiffContext, KubeObject, Manifest, ObjectPair } from '../../core/types';
import { invalid, isObject, namespaceFlag, specChanges } from './support';

export const PVC_SPEC_FORBIDDEN =
  'spec: Forbidden: spec is immutable after creation except resources.requests for bound claims';
export const PVC_SHRINK_FORBIDDEN =
  'spec.resources.requests.storage: Forbidden: field can not be less than previous value';

const REQUESTS = 'spec.resources.requests';
/** Fields the cluster fills in on a live claim (the binder, the default StorageClass): NEW may spell out their values. */
const FILLED_IN_BY_CLUSTER = new Set(['spec.volumeName', 'spec.storageClassName']);

/** The 1.28 admission plugin's refusal of a claim that may not grow (a 403, not a 422). */
const RESIZE_FORBIDDEN =
  'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

export const pvcSpecMessages = {
  pvcGrowPending:
    '{{change}}: {{invalid}}. Only a bound claim can grow, and no PersistentVolume among the files binds this one: ' +
    'keep the old size until it is bound, or delete the claim (kubectl delete pvc {{name}}{{namespaceFlag}}) and ' +
    're-apply it with the new size',
  pvcGrowRefused:
    '{{change}}: persistentvolumeclaims "{{name}}" is forbidden: ' + RESIZE_FORBIDDEN + ' ({{why}}). {{remedy}}',
  pvcGrowUnknownClass:
    '{{change}}: the API server accepts this only if {{storageClass}} sets allowVolumeExpansion: true; otherwise ' +
    'persistentvolumeclaims "{{name}}" is forbidden: ' + RESIZE_FORBIDDEN,
  pvcShrink:
    '{{change}}: {{invalid}}. A volume cannot shrink: keep the old size, or create a new, smaller claim and copy ' +
    'the data over',
  pvcFilledIn:
    '{{change}}: the cluster fills in {{field}} on a claim it binds, so the API server accepts this only if it ' +
    'equals the value the live claim already has; otherwise {{invalid}}. Compare with kubectl get pvc {{name}}' +
    '{{namespaceFlag}} -o yaml',
  pvcSpec:
    '{{change}}: {{invalid}}. To change it, delete the claim (kubectl delete pvc {{name}}{{namespaceFlag}}) and ' +
    're-apply; the data stays on its volume only if the PersistentVolume\'s reclaim policy is Retain',
};

/** A PersistentVolumeClaim spec cannot change, except growing resources.requests. */
export function pvcSpec(pair: ObjectPair, ctx: DiffContext): RevisionReport<typeof pvcSpecMessages>[] {
  const findings: RevisionReport<typeof pvcSpecMessages>[] = [];
  const named = { name: pair.name, namespaceFlag: namespaceFlag(pair) };
  for (const change of specChanges(pair)) {
    const path = change.newPath;
    if (change.display === `${REQUESTS}.storage`) {
      const order = compareQuantities(change.newValue, change.oldValue);
      if (order === -1) {
        const data = { change: describeChange(change), invalid: invalid(pair, PVC_SHRINK_FORBIDDEN) };
        findings.push({ messageId: 'pvcShrink', side: 'new', path, data });
      }
      if (order === 1) findings.push(...growth(pair, ctx, describeChange(change), path));
      continue;
    }
    if (change.display.startsWith(`${REQUESTS}.`)) continue;
    const data = { change: describeChange(change), invalid: invalid(pair, PVC_SPEC_FORBIDDEN), ...named };
    if (change.oldValue === undefined && FILLED_IN_BY_CLUSTER.has(change.display)) {
      const field = change.display.slice('spec.'.length);
      findings.push({ messageId: 'pvcFilledIn', severity: 'warning', side: 'new', path, data: { ...data, field } });
      continue;
    }
    findings.push({ messageId: 'pvcSpec', side: 'new', path, data });
  }
  return findings;
}

type Growth = RevisionReport<typeof pvcSpecMessages>;

/** Whether growing the claim's request is accepted: only for a bound claim whose StorageClass allows expansion. */
function growth(pair: ObjectPair, ctx: DiffContext, change: string, path: Growth['path']): Growth[] {
  const old = pair.old!.normalized;
  const named = { change, name: pair.name, namespaceFlag: namespaceFlag(pair) };
  const classes = storageClasses([...ctx.oldManifests, ...ctx.newManifests]);
  // An unset class is the cluster's default, filled in when the claim was created.
  const className = classOf(old) ?? [...classes.values()].find((c) => c.isDefault)?.name;
  const storageClass = className === undefined ? undefined : classes.get(className);
  if (!isBound(pair, ctx, className, storageClass)) {
    return [{ messageId: 'pvcGrowPending', side: 'new', path, data: { ...named, invalid: invalid(pair, PVC_SPEC_FORBIDDEN) } }];
  }
  if (className === undefined) {
    const storageClass = "the cluster's default StorageClass (the claim names none, and none among the files is the default)";
    const data = { ...named, storageClass };
    return [{ messageId: 'pvcGrowUnknownClass', severity: 'warning', side: 'new', path, data }];
  }
  if (className !== (classOf(pair.new!.normalized) ?? className)) return []; // the class change is reported on its own
  const staticRemedy =
    'A volume provisioned by hand cannot grow through its claim: grow it on the storage side, raise the ' +
    "PersistentVolume's capacity, and keep the claim's request";
  if (className === '') {
    const data = { ...named, why: 'the claim has storageClassName ""', remedy: staticRemedy };
    return [{ messageId: 'pvcGrowRefused', side: 'new', path, data }];
  }
  if (storageClass === undefined) {
    const data = { ...named, storageClass: `StorageClass "${className}" (not among the files)` };
    return [{ messageId: 'pvcGrowUnknownClass', severity: 'warning', side: 'new', path, data }];
  }
  if (storageClass.allowVolumeExpansion) return [];
  const remedy =
    storageClass.provisioner === NO_PROVISIONER
      ? staticRemedy
      : `Set allowVolumeExpansion: true on StorageClass ${className} if its provisioner can expand volumes, or keep the old size`;
  const why = `StorageClass ${className} does not set allowVolumeExpansion: true`;
  return [{ messageId: 'pvcGrowRefused', side: 'new', path, data: { ...named, why, remedy } }];
}

interface StorageClassInfo {
  readonly name: string;
  readonly provisioner?: string;
  readonly allowVolumeExpansion: boolean;
  readonly isDefault: boolean;
}

/** StorageClasses by name, NEW's copy over OLD's. */
function storageClasses(manifests: readonly Manifest[]): Map<string, StorageClassInfo> {
  const result = new Map<string, StorageClassInfo>();
  for (const { object } of manifests) {
    if (object.kind !== 'StorageClass' || typeof object.metadata?.name !== 'string') continue;
    const annotations = isObject(object.metadata?.annotations) ? object.metadata.annotations : {};
    result.set(object.metadata.name, {
      name: object.metadata.name,
      ...(typeof object.provisioner === 'string' ? { provisioner: object.provisioner } : {}),
      allowVolumeExpansion: object.allowVolumeExpansion === true,
      isDefault: DEFAULT_CLASS_ANNOTATIONS.some((key) => annotations[key] === 'true'),
    });
  }
  return result;
}

function classOf(object: KubeObject): string | undefined {
  const annotations = isObject(object.metadata?.annotations) ? object.metadata.annotations : {};
  const annotated = annotations[BETA_STORAGE_CLASS_ANNOTATION];
  if (typeof annotated === 'string') return annotated;
  const spec = isObject(object.spec) ? object.spec : {};
  return typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
}

/**
 * Whether the live claim is bound: a PV of OLD binds it (the binder, over OLD's PVs), or a provisioner serves its
 * class (a StorageClass of the set with a real provisioner, or a class that is not in the set and that no PV of the
 * set carries: provisioned elsewhere).
 */
function isBound(pair: ObjectPair, ctx: DiffContext, className: string | undefined, storageClass?: StorageClassInfo): boolean {
  const pvs = ctx.oldManifests.filter((m) => m.object.kind === 'PersistentVolume').map((m) => pvSpecOf(m.object, m));
  const claim = pvcClaimInput(pair.old!.normalized, pair.namespace, pair.name, { defaultClass: className ?? '' }).claim;
  const outcome = bindClaims([claim], pvs).outcomes.get(`${pair.namespace}/${pair.name}`);
  if (outcome !== undefined && outcome.class !== 'pending') return true;
  if (className === undefined || className === '' || claim.volumeName !== undefined) return className === undefined;
  if (storageClass !== undefined) return storageClass.provisioner !== NO_PROVISIONER;
  return !pvs.some((pv) => (pv.storageClassName ?? '') === className);
}
