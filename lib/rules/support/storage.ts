/**
 * Which claims are held to the PVs of the linted set, under which class, and what the PV controller does with them.
 * Built once per run.
 *
 * A claim's effective class: its storageClassName (or beta annotation); for a claim that sets none, the cluster's
 * default StorageClass when one is known (the DefaultStorageClass admission plugin sets it, also on a claim with a
 * volumeName), "" when the cluster has none. When it is unknown whether the cluster has one, a claim that sets no
 * class is read as "" only if it is meant for static PVs (it names a volumeName, has a selector, or a class-less PV of
 * the set fits it), and the outcome is stated with that assumption.
 *
 * A claim is simulated when no provisioner can serve it: its class is "", it names a volumeName (such a claim is
 * never provisioned), it has a selector (provisioners refuse those), or its class is a StorageClass of the set with
 * kubernetes.io/no-provisioner. A claim whose class names no StorageClass of the set nor a class known to provision
 * has unknown provisioning: it is simulated only when PVs of its class are in the set, and a Pending outcome is then
 * a warning that says it depends on no provisioner serving that class.
 *
 * What the set names but does not define (a volumeName PV, any PV of a static claim's class) is not simulated unless
 * the set is declared complete: the rules make it a note.
 */
import { bindClaims, reasonsAgainst, type Binding, type ClaimCreation, type ClaimSpec, type Contention, type PvSpec } from '../../k8s/binder';
import { claimInput, pvSpecOf } from '../../k8s/storage';
import type { LintContext, Manifest } from '../../core/types';
import { claimPlan, type PlannedClaim } from './claims';
import { NO_PROVISIONER, readStorageClass, type StorageClassView } from '../../k8s/views';

/** How a claim that sets no class is read. */
export type DefaultClass =
  | { readonly known: true; readonly name: string; readonly from: 'profile' | 'set' }
  | { readonly known: true; readonly name: null }
  | { readonly known: false };

/** A claim the binder simulation covers, with what a Pending outcome depends on. */
export interface SimulatedClaim {
  readonly claim: PlannedClaim;
  readonly spec: ClaimSpec<PlannedClaim>;
  /** The claim sets no class (no storageClassName, no beta annotation). */
  readonly classUnset: boolean;
  /** For a claim that sets no class and was given the cluster's default class: its name. */
  readonly defaultedTo?: string;
  /**
   * The assumption about the cluster a Pending outcome depends on (a warning then); undefined when it is certain
   * given the linted files (an error).
   */
  readonly assumption?: string;
}

/** A claim that sets no class although it is meant for static PVs: a default StorageClass would take it. */
export interface UnsetClassClaim {
  readonly claim: PlannedClaim;
  readonly why: 'volumeName' | 'selector' | 'claimRef' | 'fits';
  /** The volumeName PV, or the first class-less PV of the set that fits the claim. */
  readonly pv?: PvSpec<Manifest>;
  readonly volumeName?: string;
}

/** A static claim whose PVs are not among the linted files (reported as a note unless the set is complete). */
export interface MissingPvs {
  readonly claim: PlannedClaim;
  readonly volumeName?: string;
  /** The effective class of the claim ('' for none). */
  readonly className: string;
}

export interface StorageAnalysis {
  readonly binding: Binding<PlannedClaim, Manifest>;
  readonly simulated: ReadonlyMap<PlannedClaim, SimulatedClaim>;
  readonly unsetClass: readonly UnsetClassClaim[];
  readonly missing: readonly MissingPvs[];
  readonly defaultClass: DefaultClass;
  /** The StorageClasses of the set by name (the first of a name). */
  readonly classByName: ReadonlyMap<string, StorageClassView>;
}

/** Every PersistentVolume of the set as binder input, by manifest: read once per run. */
export function pvSpecs(ctx: LintContext): ReadonlyMap<Manifest, PvSpec<Manifest>> {
  return ctx.memo('rules/pv-specs', () => {
    const specs = new Map<Manifest, PvSpec<Manifest>>();
    for (const manifest of ctx.byKind('PersistentVolume')) specs.set(manifest, pvSpecOf(manifest.object, manifest));
    return specs;
  });
}

/** A PersistentVolume of the set as binder input (see pvSpecs). */
export function pvSpecOfManifest(manifest: Manifest, ctx: LintContext): PvSpec<Manifest> {
  return pvSpecs(ctx).get(manifest) ?? pvSpecOf(manifest.object, manifest);
}

export function storageAnalysis(ctx: LintContext): StorageAnalysis {
  return ctx.memo('rules/storage-analysis', () => analyse(ctx));
}

type StorageClassInfo = StorageClassView;

function analyse(ctx: LintContext): StorageAnalysis {
  const classes = ctx.byKind('StorageClass').map((manifest) => readStorageClass(manifest.object));
  const classByName = new Map<string, StorageClassInfo>();
  for (const info of classes) if (!classByName.has(info.name)) classByName.set(info.name, info);
  const pvs = [...pvSpecs(ctx).values()];
  // By class, the class-less ones, and by name (the last of a name; built when a claim asks: few name a PV).
  const pvClasses = new Set<string>();
  const classlessPvs: PvSpec<Manifest>[] = [];
  for (const pv of pvs) {
    const className = pv.storageClassName ?? '';
    pvClasses.add(className);
    if (className === '') classlessPvs.push(pv);
  }
  let byName: Map<string, PvSpec<Manifest>> | undefined;
  const pvsByName = (): ReadonlyMap<string, PvSpec<Manifest>> => (byName ??= new Map(pvs.map((pv) => [pv.name, pv])));
  const defaultClass = defaultClassOf(ctx, classes);
  const provisioning = new Set(ctx.cluster.provisioningClasses ?? []);

  const simulated = new Map<PlannedClaim, SimulatedClaim>();
  const unsetClass: UnsetClassClaim[] = [];
  const missing: MissingPvs[] = [];

  /** Whether a provisioner serves class `name`: true, false, or undefined when the linted files do not say. */
  const provisions = (name: string): boolean | undefined => {
    const storageClass = classByName.get(name);
    if (storageClass !== undefined) return storageClass.provisioner !== NO_PROVISIONER;
    if (provisioning.has(name)) return true;
    if (defaultClass.known && defaultClass.name === name) return true;
    return undefined;
  };

  const simulate = (claim: PlannedClaim, spec: ClaimSpec<PlannedClaim>, extra: Partial<SimulatedClaim>) => {
    const className = spec.storageClassName;
    const pvsAbsent = spec.volumeName ? !pvsByName().has(spec.volumeName) : !pvClasses.has(className);
    if (pvsAbsent && !ctx.complete) {
      missing.push({ claim, className, ...(spec.volumeName ? { volumeName: spec.volumeName } : {}) });
      return;
    }
    simulated.set(claim, { claim, spec, classUnset: false, ...extra });
  };

  // Per StatefulSet: what its claims' creation names it by (one string, shared by its claims).
  const setKeys = new Map<Manifest, string>();
  for (const claim of claimPlan(ctx).claims) {
    // A StatefulSet claim is its template under the claim's name (T-S-i) and the StatefulSet's namespace.
    const input = claimInput(claim.object, claim.namespace, claim.name, claim, { creation: creationOf(claim, setKeys) });
    const spec = input.claim;
    if (!input.classUnset) {
      decide(claim, spec, false);
      continue;
    }
    const meant = meantForStatic(spec, classlessPvs, pvsByName());
    if (meant !== undefined && !(defaultClass.known && defaultClass.name === null)) unsetClass.push({ claim, ...meant });
    if (defaultClass.known && defaultClass.name !== null) {
      decide(claim, { ...spec, storageClassName: defaultClass.name }, true);
    } else if (defaultClass.known) {
      // No default class: the claim is "" exactly.
      simulate(claim, spec, { classUnset: true });
    } else if (meant !== undefined) {
      simulate(claim, spec, { classUnset: true, ...unknownDefaultAssumption(meant, spec) });
    }
  }

  function decide(claim: PlannedClaim, spec: ClaimSpec<PlannedClaim>, defaulted: boolean): void {
    const className = spec.storageClassName;
    const extra: Partial<SimulatedClaim> = defaulted ? { classUnset: true, defaultedTo: className } : NOTHING_MORE;
    if (className === '' || spec.volumeName !== undefined) return simulate(claim, spec, extra);
    const provisioned = provisions(className);
    if (provisioned === false) return simulate(claim, spec, extra);
    // Provisioners refuse a claim with a selector: only a PV of its class can serve it.
    if (spec.selector !== undefined) return simulate(claim, spec, extra);
    if (provisioned === true || !pvClasses.has(className)) return;
    simulate(claim, spec, {
      ...extra,
      assumption: `if no provisioner serves class "${className}" (no StorageClass of that name is among the linted files)`,
    });
  }

  const specs = [...simulated.values()].map((s) => s.spec);
  // A claim is explained with the PVs of its own storage class: the others do not fit it anyway.
  const binding = bindClaims(specs, pvs, { explainWithinStorageClass: true });
  return { binding, simulated, unsetClass, missing, defaultClass, classByName };
}

const NOTHING_MORE: Partial<SimulatedClaim> = {};

/** A StatefulSet's claim (or the PVC it uses in its place) is created with its pod, in ordinal order under OrderedReady. */
function creationOf(claim: PlannedClaim, setKeys: Map<Manifest, string>): ClaimCreation | undefined {
  const owner = claim.owner;
  if (owner === undefined) return undefined;
  let statefulSet = setKeys.get(owner.manifest);
  if (statefulSet === undefined) setKeys.set(owner.manifest, (statefulSet = `${claim.namespace}/${owner.statefulSet.name}`));
  return {
    statefulSet,
    ordinal: owner.ordinal,
    firstOrdinal: owner.statefulSet.ordinalsStart,
    podManagement: owner.statefulSet.parallel ? 'Parallel' : 'OrderedReady',
  };
}

/**
 * A claim that sets no class is meant for static PVs when it names a volumeName, has a selector, a class-less PV of
 * the set is pre-bound to it by claimRef, or one fits it on its own (an unrelated class-less PV in the folder does not
 * make every claim static).
 */
function meantForStatic(
  spec: ClaimSpec<PlannedClaim>,
  classlessPvs: readonly PvSpec<Manifest>[],
  pvsByName: ReadonlyMap<string, PvSpec<Manifest>>,
): Omit<UnsetClassClaim, 'claim'> | undefined {
  if (spec.volumeName !== undefined) {
    const pv = pvsByName.get(spec.volumeName);
    return { why: 'volumeName', volumeName: spec.volumeName, ...(pv === undefined ? {} : { pv }) };
  }
  const asClassless = { ...spec, storageClassName: '' };
  const fitting = classlessPvs.find((pv) => reasonsAgainst(asClassless, pv).length === 0);
  if (spec.selector !== undefined) return { why: 'selector', ...(fitting === undefined ? {} : { pv: fitting }) };
  // The controller binds a PV pre-bound by claimRef whatever the claim's class: no default class takes it.
  const preBound = classlessPvs.find((pv) => pv.claimRef?.namespace === spec.namespace && pv.claimRef?.name === spec.name);
  if (preBound !== undefined) return { why: 'claimRef', pv: preBound };
  return fitting === undefined ? undefined : { why: 'fits', pv: fitting };
}

/**
 * With an unknown default class, a claim that sets none is simulated as "" (no default class). Its Pending outcome
 * holds with a default class too when it names a class-less PV or has a selector (admission gives it the default
 * class, which the PV does not have; provisioners refuse selectors); otherwise a default class would provision it.
 */
function unknownDefaultAssumption(
  meant: Omit<UnsetClassClaim, 'claim'>,
  spec: ClaimSpec<PlannedClaim>,
): Partial<SimulatedClaim> {
  const namedPvHasClass = meant.why === 'volumeName' && (meant.pv?.storageClassName ?? '') !== '';
  if ((meant.why === 'volumeName' && !namedPvHasClass) || (meant.why === 'selector' && spec.selector !== undefined)) {
    return {};
  }
  return { assumption: 'if the cluster has no default StorageClass' };
}

function defaultClassOf(ctx: LintContext, classes: readonly StorageClassInfo[]): DefaultClass {
  const declared = ctx.cluster.defaultStorageClass;
  if (declared === null) return { known: true, name: null };
  if (declared !== undefined) return { known: true, name: declared, from: 'profile' };
  const inSet = classes.find((c) => c.isDefault);
  return inSet === undefined ? { known: false } : { known: true, name: inSet.name, from: 'set' };
}

/**
 * The claims of a contention that are Pending in some runs and bound in others, and how many of them stay Pending
 * in every run (0 when some run binds them all).
 */
export function guaranteedLosers(contention: Contention<PlannedClaim, Manifest>): { readonly count: number; readonly atRisk: readonly ClaimSpec<PlannedClaim>[] } {
  const atRisk: ClaimSpec<PlannedClaim>[] = [];
  let always = 0;
  for (const { claim, class: cls } of contention.outcomes) {
    if (cls === 'sometimes-pending') atRisk.push(claim);
    else if (cls === 'pending') always++;
  }
  return { count: atRisk.length === 0 ? 0 : Math.max(0, contention.pending.min - always), atRisk };
}
