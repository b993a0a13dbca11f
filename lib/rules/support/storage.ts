/**
 * Which claims are held to the PVs of the linted set, and what the PV controller does with them. Built once per run.
 *
 * "Do not cry wolf over dynamic provisioning": a claim is simulated only when it cannot be served by a provisioner
 * (issue 3): its class is "", it names a volumeName, its class is a StorageClass of the set with
 * kubernetes.io/no-provisioner, or PVs of its class (for an unset class: class-less PVs) are in the set and no
 * provisioning StorageClass of that class is.
 */
import { bindClaims, claimKey, type Binding, type ClaimSpec, type Contention } from '../../k8s/binder';
import { claimInput, pvSpecOf, type ClaimInput, type ClaimInputOptions } from '../../k8s/storage';
import type { LintContext, Manifest } from '../../core/types';
import { claimPlan, type PlannedClaim } from './claims';
import { NO_PROVISIONER, readStorageClass, type StorageClassView } from '../../k8s/views';
import { asString } from './values';

/** Why a claim is held to static PVs. `unsetClass` marks the case a cluster's default StorageClass would change. */
export interface StaticClaim {
  readonly claim: PlannedClaim;
  readonly unsetClass: boolean;
}

export interface StorageAnalysis {
  readonly binding: Binding<PlannedClaim, Manifest>;
  /** Static claims by claim key (`namespace/name`). */
  readonly staticClaims: ReadonlyMap<string, StaticClaim>;
}

export function storageAnalysis(ctx: LintContext): StorageAnalysis {
  return ctx.memo('rules/storage-analysis', () => analyse(ctx));
}

type StorageClassInfo = StorageClassView;

function analyse(ctx: LintContext): StorageAnalysis {
  const classes = ctx.byKind('StorageClass').map((manifest) => readStorageClass(manifest.object));
  const classByName = new Map<string, StorageClassInfo>();
  for (const info of classes) if (!classByName.has(info.name)) classByName.set(info.name, info);
  // One PV per name, the one the context resolves (a second object of the same name is the same PV).
  const pvs = ctx
    .byKind('PersistentVolume')
    .filter((manifest) => ctx.find('PersistentVolume', '', asString(manifest.object.metadata?.name) ?? '') === manifest)
    .map((manifest) => pvSpecOf(manifest.object, manifest));
  const pvClasses = new Set(pvs.map((pv) => pv.storageClassName ?? ''));
  const defaultClass = classes.find((c) => c.isDefault);
  const options: ClaimInputOptions = defaultClass === undefined ? {} : { defaultClass: defaultClass.name };
  const staticClaims = new Map<string, StaticClaim>();
  const specs: ClaimSpec<PlannedClaim>[] = [];
  for (const claim of claimPlan(ctx).claims) {
    // A StatefulSet claim is its template under the claim's name (T-S-i) and the StatefulSet's namespace.
    const input = claimInput(claim.object, claim.namespace, claim.name, claim, options);
    if (!isStatic(input, classByName, pvClasses)) continue;
    const owner = claim.owner;
    specs.push(
      owner === undefined
        ? input.claim
        : {
            ...input.claim,
            creation: {
              statefulSet: `${claim.namespace}/${owner.statefulSet.name}`,
              ordinal: owner.ordinal,
              firstOrdinal: owner.statefulSet.ordinalsStart,
              podManagement: owner.statefulSet.parallel ? 'Parallel' : 'OrderedReady',
            },
          },
    );
    staticClaims.set(`${claim.namespace}/${claim.name}`, { claim, unsetClass: input.classUnset && !defaultClass });
  }
  // A claim is explained with the PVs of its own storage class: the others do not fit it anyway.
  return { binding: bindClaims(specs, pvs, { explainWithinStorageClass: true }), staticClaims };
}

function isStatic(
  { claim, classUnset }: ClaimInput<PlannedClaim>,
  classes: ReadonlyMap<string, StorageClassInfo>,
  pvClasses: ReadonlySet<string>,
): boolean {
  if ((!classUnset && claim.storageClassName === '') || claim.volumeName !== undefined) return true;
  const className = claim.storageClassName;
  const storageClass = className === '' ? undefined : classes.get(className);
  if (storageClass !== undefined) return storageClass.provisioner === NO_PROVISIONER;
  return pvClasses.has(className);
}

/**
 * The claims of a contention that are Pending in some runs and bound in others, and how many of them stay Pending
 * in every run (0 when some run binds them all).
 */
export function guaranteedLosers(
  contention: Contention<PlannedClaim, Manifest>,
  binding: Binding<PlannedClaim, Manifest>,
): { readonly count: number; readonly atRisk: readonly ClaimSpec<PlannedClaim>[] } {
  const classOf = (claim: ClaimSpec<PlannedClaim>) => binding.outcomes.get(claimKey(claim))?.class;
  const atRisk = contention.claims.filter((claim) => classOf(claim) === 'sometimes-pending');
  const always = contention.claims.filter((claim) => classOf(claim) === 'pending').length;
  return { count: atRisk.length === 0 ? 0 : Math.max(0, contention.pending.min - always), atRisk };
}
