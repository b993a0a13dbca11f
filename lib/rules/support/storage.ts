/**
 * Which claims are held to the PVs of the linted set, and what the PV controller does with them. Built once per run.
 *
 * "Do not cry wolf over dynamic provisioning": a claim is simulated only when it cannot be served by a provisioner
 * (issue 3): its class is "", it names a volumeName, its class is a StorageClass of the set with
 * kubernetes.io/no-provisioner, or PVs of its class (for an unset class: class-less PVs) are in the set and no
 * provisioning StorageClass of that class is.
 */
import { simulateBinding, type BindingSimulation, type ClaimSpec, type PvSpec } from '../../k8s/binder';
import { pvcClaimInput, pvSpecOf, type ClaimInput, type ClaimInputOptions } from '../../k8s/storage';
import type { KubeObject, LintContext, Manifest } from '../../lint/types';
import { claimPlan, type PlannedClaim } from './claims';
import { asRecord, asString, asStringMap } from './values';

const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/** Why a claim is held to static PVs. `unsetClass` marks the case a cluster's default StorageClass would change. */
export interface StaticClaim {
  readonly claim: PlannedClaim;
  readonly unsetClass: boolean;
}

export interface StorageAnalysis {
  readonly simulation: BindingSimulation<PlannedClaim, Manifest>;
  /** Static claims by claim key (`namespace/name`). */
  readonly staticClaims: ReadonlyMap<string, StaticClaim>;
}

export function storageAnalysis(ctx: LintContext): StorageAnalysis {
  return ctx.memo('rules/storage-analysis', () => analyse(ctx));
}

interface StorageClassInfo {
  readonly name: string;
  readonly provisioner: string | undefined;
  readonly isDefault: boolean;
}

function analyse(ctx: LintContext): StorageAnalysis {
  const classes = ctx.byKind('StorageClass').map(readStorageClass);
  const pvs = ctx.byKind('PersistentVolume').map((manifest) => pvSpecOf(manifest.object, manifest));
  const defaultClass = classes.find((c) => c.isDefault);
  const options: ClaimInputOptions = defaultClass === undefined ? {} : { defaultClass: defaultClass.name };
  const staticClaims = new Map<string, StaticClaim>();
  const specs: ClaimSpec<PlannedClaim>[] = [];
  for (const claim of claimPlan(ctx).claims) {
    const input = claimInputOf(claim, options);
    if (!isStatic(input, classes, pvs)) continue;
    specs.push(input.claim);
    staticClaims.set(`${claim.namespace}/${claim.name}`, { claim, unsetClass: input.classUnset && !defaultClass });
  }
  return { simulation: simulateBinding(specs, pvs), staticClaims };
}

/** A claim template is a PVC without its final name: give it the claim's name and read it as a PVC. */
function claimInputOf(claim: PlannedClaim, options: ClaimInputOptions): ClaimInput<PlannedClaim> {
  const object = { ...claim.object, metadata: { ...asRecord(claim.object.metadata), name: claim.name } };
  return pvcClaimInput(object as KubeObject, claim.namespace, claim, options);
}

function isStatic(
  { claim, classUnset }: ClaimInput<PlannedClaim>,
  classes: readonly StorageClassInfo[],
  pvs: readonly PvSpec[],
): boolean {
  if ((!classUnset && claim.storageClassName === '') || claim.volumeName !== undefined) return true;
  const className = claim.storageClassName;
  const storageClass = classes.find((c) => c.name === className && className !== '');
  if (storageClass !== undefined) return storageClass.provisioner === NO_PROVISIONER;
  return pvs.some((pv) => (pv.storageClassName ?? '') === className);
}

function readStorageClass(manifest: Manifest): StorageClassInfo {
  const annotations = asStringMap(manifest.object.metadata?.annotations);
  return {
    name: asString(manifest.object.metadata?.name) ?? '',
    provisioner: asString(manifest.object.provisioner),
    isDefault: DEFAULT_CLASS_ANNOTATIONS.some((key) => annotations[key] === 'true'),
  };
}
