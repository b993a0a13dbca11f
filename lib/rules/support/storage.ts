/**
 * Which claims are held to the PVs of the linted set, and what the PV controller does with them. Built once per run.
 *
 * "Do not cry wolf over dynamic provisioning": a claim is simulated only when it cannot be served by a provisioner
 * (issue 3): its class is "", it names a volumeName, its class is a StorageClass of the set with
 * kubernetes.io/no-provisioner, or PVs of its class (for an unset class: class-less PVs) are in the set and no
 * provisioning StorageClass of that class is.
 */
import {
  claimKey,
  matchClaim,
  simulateBinding,
  type BindingSimulation,
  type ClaimOutcome,
  type ClaimSpec,
  type PendingClaim,
  type PvSpec,
} from '../../k8s/binder';
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
    const input = claimInputOf(claim, options);
    if (!isStatic(input, classByName, pvClasses)) continue;
    specs.push(input.claim);
    staticClaims.set(`${claim.namespace}/${claim.name}`, { claim, unsetClass: input.classUnset && !defaultClass });
  }
  return { simulation: simulateByClass(specs, pvs), staticClaims };
}

/** A claim template is a PVC without its final name: give it the claim's name and read it as a PVC. */
function claimInputOf(claim: PlannedClaim, options: ClaimInputOptions): ClaimInput<PlannedClaim> {
  const object = { ...claim.object, metadata: { ...asRecord(claim.object.metadata), name: claim.name } };
  return pvcClaimInput(object as KubeObject, claim.namespace, claim, options);
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

function readStorageClass(manifest: Manifest): StorageClassInfo {
  const annotations = asStringMap(manifest.object.metadata?.annotations);
  return {
    name: asString(manifest.object.metadata?.name) ?? '',
    provisioner: asString(manifest.object.provisioner),
    isDefault: DEFAULT_CLASS_ANNOTATIONS.some((key) => annotations[key] === 'true'),
  };
}

type Claim = ClaimSpec<PlannedClaim>;
type Pv = PvSpec<Manifest>;

/**
 * simulateBinding over each set of storage classes apart. A claim binds only PVs of its own class, except a PV
 * pre-bound to it (the controller then skips the class check) or named in its volumeName: those link the two
 * classes into one set. Outcomes are the same as one simulation over everything, at a cost that grows with the
 * size of each set instead of claims × PVs of the whole input. A pending claim is explained with the PVs of its own
 * classes; when they are too few to fill the explanation, with every PV (the PV meant may carry a misspelt class),
 * unless the input has so many PVs that doing so for every pending claim would cost claims × PVs again.
 */
function simulateByClass(claims: readonly Claim[], pvs: readonly Pv[]): BindingSimulation<PlannedClaim, Manifest> {
  const classes = new ClassSets();
  const classOfPv = (pv: Pv) => pv.storageClassName ?? '';
  const claimsByKey = new Map(claims.map((claim) => [claimKey(claim), claim]));
  const pvsByName = new Map(pvs.map((pv) => [pv.name, pv]));
  for (const pv of pvs) {
    const ref = pv.claimRef;
    const target = ref?.namespace && ref.name ? claimsByKey.get(`${ref.namespace}/${ref.name}`) : undefined;
    if (target !== undefined) classes.join(classOfPv(pv), target.storageClassName);
  }
  for (const claim of claims) {
    const named = claim.volumeName === undefined ? undefined : pvsByName.get(claim.volumeName);
    if (named !== undefined) classes.join(claim.storageClassName, classOfPv(named));
  }
  const parts = new Map<string, { claims: Claim[]; pvs: Pv[] }>();
  const part = (className: string) => {
    const root = classes.root(className);
    const found = parts.get(root) ?? { claims: [], pvs: [] };
    parts.set(root, found);
    return found;
  };
  for (const claim of claims) part(claim.storageClassName).claims.push(claim);
  for (const pv of pvs) if (parts.has(classes.root(classOfPv(pv)))) part(classOfPv(pv)).pvs.push(pv);
  const results = [...parts.values()].map((p) => ({ ...simulateBinding(p.claims, p.pvs), pvCount: p.pvs.length }));
  return merge(claims, pvs, results);
}

/** As many PVs as explainPending describes: a class set with fewer gets its pending claims explained over all PVs. */
const EXPLAINED_PVS = 3;
/** Above this many PVs in the input, pending claims are explained with the PVs of their own classes only. */
const ALL_PVS_EXPLAINED_UP_TO = 500;

/** The simulations of disjoint class sets as one, in input order, with pending claims explained over all PVs. */
function merge(
  claims: readonly Claim[],
  pvs: readonly Pv[],
  results: readonly (BindingSimulation<PlannedClaim, Manifest> & { readonly pvCount: number })[],
): BindingSimulation<PlannedClaim, Manifest> {
  const outcomeOf = new Map<string, ClaimOutcome<PlannedClaim, Manifest>>();
  const pendingOf = new Map<string, { pending: PendingClaim<PlannedClaim, Manifest>; explained: boolean }>();
  for (const result of results) {
    for (const [key, outcome] of result.outcomes) outcomeOf.set(key, outcome);
    const explained = result.pvCount >= EXPLAINED_PVS || pvs.length > ALL_PVS_EXPLAINED_UP_TO;
    for (const pending of result.pending) pendingOf.set(claimKey(pending.claim), { pending, explained });
  }
  // Bindings that hold whatever the order: claims whose PV is pre-bound to them, or held for their volumeName.
  const certain = new Map<string, string>();
  for (const [key, outcome] of outcomeOf) {
    const pv = outcome.pv;
    if (pv && (outcome.path === 'claimRef' || (outcome.path === 'volumeName' && pv.claimRef !== undefined))) {
      certain.set(pv.name, key);
    }
  }
  const keys = [...new Set(claims.map(claimKey))];
  const pending = keys.flatMap((key) => {
    const found = pendingOf.get(key);
    if (found === undefined) return [];
    if (found.explained) return [found.pending];
    const { claim, fitting, contention } = found.pending;
    const match = matchClaim(claim, pvs, certain);
    return [
      {
        claim,
        fitting,
        mismatches: match.verdicts.filter((verdict) => verdict.reasons.length > 0),
        ...(match.problem === undefined ? {} : { problem: match.problem }),
        ...(contention === undefined ? {} : { contention }),
      },
    ];
  });
  const bound = new Map<string, string>();
  for (const key of keys) {
    const pv = outcomeOf.get(key)?.pv;
    if (pv) bound.set(key, pv.name);
  }
  return {
    bound,
    outcomes: new Map(keys.map((key) => [key, outcomeOf.get(key)!])),
    pending,
    nondeterministic: results.flatMap((result) => result.nondeterministic),
  };
}

/** Union-find over storage class names. */
class ClassSets {
  private readonly parent = new Map<string, string>();

  root(name: string): string {
    const up = this.parent.get(name);
    if (up === undefined || up === name) return name;
    const top = this.root(up);
    this.parent.set(name, top);
    return top;
  }

  join(a: string, b: string): void {
    const [ra, rb] = [this.root(a), this.root(b)];
    if (ra !== rb) this.parent.set(rb, ra);
  }
}
