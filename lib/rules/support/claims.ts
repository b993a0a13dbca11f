/**
 * The claims a linted set will create: one per StatefulSet claim template and ordinal (`T-S-i`, ordinals.start
 * honoured) and every standalone PersistentVolumeClaim. Built once per run.
 */
import { claimName, ordinals } from '../../k8s/names';

import type { LintContext, Manifest, Path } from '../../core/types';
import { statefulSetView, type ClaimTemplate, type StatefulSetView } from './statefulset';
import { asRecord, asString, type Json } from './values';

/** Ordinals planned whatever the PVs (the binder is linear: 10,000 claims take well under a second). */
const ALWAYS_PLANNED = 10_000;

/**
 * How many ordinals of a StatefulSet are planned: all of them when there are at most ALWAYS_PLANNED or one more
 * than the PVs of the set (replicas is an int32: a typo such as `replicas: 30000000` must not plan thirty million claims), else that
 * many plus the ordinals a PV's claimRef names. Nothing is lost: the claims left out can only take free PVs, which
 * the planned claims already outnumber, so they stay Pending (or, under OrderedReady, are never created); the
 * plan counts them in `unplanned` and pvc-unbound says so.
 */
export function plannedOrdinalCount(replicas: number, pvCount: number): number {
  return Math.min(replicas, Math.max(ALWAYS_PLANNED, pvCount + 1));
}

export interface StatefulSetClaimOwner {
  readonly manifest: Manifest;
  readonly statefulSet: StatefulSetView;
  readonly template: ClaimTemplate;
  readonly ordinal: number;
}

export interface PlannedClaim {
  readonly name: string;
  readonly namespace: string;
  /** The claim as a PersistentVolumeClaim object (metadata + spec); a template for StatefulSet claims. */
  readonly object: Json;
  /** Where the claim is written: the PVC manifest, or the StatefulSet holding its template. */
  readonly manifest: Manifest;
  /** Path of the claim object in `manifest`: [] for a PVC, the template's path for a StatefulSet claim. */
  readonly path: Path;
  /**
   * Set for claims the StatefulSet controller creates, and for a PVC of the set that it uses in their place (named
   * as the controller would name the claim).
   */
  readonly owner?: StatefulSetClaimOwner;
}

export interface PlannedStatefulSet {
  readonly manifest: Manifest;
  readonly view: StatefulSetView;
  readonly namespace: string;
  /** Ordinals not planned (see plannedOrdinalCount): 0 unless replicas exceed the PVs of the set. */
  readonly unplanned: number;
}

export interface ClaimPlan {
  readonly claims: readonly PlannedClaim[];
  readonly statefulSets: readonly PlannedStatefulSet[];
  byKey(namespace: string, name: string): PlannedClaim | undefined;
  /** The plan of a StatefulSet of the set (undefined when nothing is planned for it). */
  statefulSetOf(manifest: Manifest): PlannedStatefulSet | undefined;
}

export function claimPlan(ctx: LintContext): ClaimPlan {
  return ctx.memo('rules/claim-plan', () => buildClaimPlan(ctx));
}

function buildClaimPlan(ctx: LintContext): ClaimPlan {
  const claims: PlannedClaim[] = [];
  // A PVC of the set named as a StatefulSet names its claim (T-S-i) is the claim: the controller uses an existing
  // claim as it is and never checks it against the template. Namespace → name → PVC (nested: no key string per claim).
  const pvcs = new NamespacedNames<Manifest>();
  // Each namespace and name once, where its first PVC is (the last PVC of a name is the claim).
  const pvcOrder: { readonly namespace: string; readonly name: string }[] = [];
  for (const manifest of ctx.byKind('PersistentVolumeClaim')) {
    const name = asString(manifest.object.metadata?.name);
    if (name === undefined) continue;
    const namespace = ctx.namespaceOf(manifest);
    if (pvcs.set(namespace, name, manifest)) pvcOrder.push({ namespace, name });
  }
  const owners = new Map<Manifest, StatefulSetClaimOwner>();
  const pvs = ctx.byKind('PersistentVolume');
  const statefulSets: PlannedStatefulSet[] = [];
  for (const manifest of ctx.byKind('StatefulSet')) {
    const view = statefulSetView(manifest, ctx);
    // Replicas or ordinals.start the API server refuses: nothing is planned (the schema pass reports the value).
    if (!view.countsValid) continue;
    const namespace = ctx.namespaceOf(manifest);
    const planned = plannedOrdinals(view, namespace, pvs);
    statefulSets.push({ manifest, view, namespace, unplanned: view.replicas - planned.length });
    if (view.name === '') continue;
    const pvcsHere = pvcs.in(namespace);
    for (const ordinal of planned) {
      for (const template of view.claimTemplates) {
        const name = claimName(template.name, view.name, ordinal);
        const owner = { manifest, statefulSet: view, template, ordinal };
        const existing = pvcsHere?.get(name);
        if (existing !== undefined) {
          owners.set(existing, owner);
          continue;
        }
        claims.push({ name, namespace, object: template.object, manifest, path: template.path, owner });
      }
    }
  }
  for (const { namespace, name } of pvcOrder) {
    const manifest = pvcs.in(namespace)!.get(name)!;
    const owner = owners.get(manifest);
    claims.push({ name, namespace, object: manifest.object, manifest, path: [], ...(owner === undefined ? {} : { owner }) });
  }
  // Built when first asked (few runs ask).
  let index: NamespacedNames<PlannedClaim> | undefined;
  const setIndex = new Map<Manifest, PlannedStatefulSet>();
  for (const planned of statefulSets) if (!setIndex.has(planned.manifest)) setIndex.set(planned.manifest, planned);
  return {
    claims,
    statefulSets,
    byKey: (namespace, name) => {
      if (index === undefined) {
        index = new NamespacedNames();
        for (const claim of claims) index.set(claim.namespace, claim.name, claim);
      }
      return index.get(namespace, name);
    },
    statefulSetOf: (manifest) => setIndex.get(manifest),
  };
}

/** Values by namespace and name (the last set wins), without building a `namespace/name` string per value. */
export class NamespacedNames<T> {
  private readonly namespaces = new Map<string, Map<string, T>>();

  /** Whether the namespace and name are new. */
  set(namespace: string, name: string, value: T): boolean {
    let byName = this.namespaces.get(namespace);
    if (byName === undefined) this.namespaces.set(namespace, (byName = new Map()));
    const size = byName.size;
    byName.set(name, value);
    return byName.size > size;
  }

  in(namespace: string): ReadonlyMap<string, T> | undefined {
    return this.namespaces.get(namespace);
  }

  get(namespace: string, name: string): T | undefined {
    return this.namespaces.get(namespace)?.get(name);
  }
}

/** The ordinals planned for a StatefulSet, ascending (see plannedOrdinalCount). */
function plannedOrdinals(view: StatefulSetView, namespace: string, pvs: readonly Manifest[]): number[] {
  const count = plannedOrdinalCount(view.replicas, pvs.length);
  const planned = [...ordinals(view.ordinalsStart, count)];
  if (count === view.replicas) return planned;
  const last = view.ordinalsStart + view.replicas - 1;
  const named = new Set<number>();
  for (const pv of pvs) {
    const ref = asRecord(asRecord(pv.object.spec)?.claimRef);
    if (asString(ref?.namespace) !== namespace) continue;
    const name = asString(ref?.name) ?? '';
    for (const template of view.claimTemplates) {
      const prefix = `${template.name}-${view.name}-`;
      if (!name.startsWith(prefix)) continue;
      const ordinal = Number(name.slice(prefix.length));
      if (String(ordinal) === name.slice(prefix.length) && ordinal >= view.ordinalsStart + count && ordinal <= last) {
        named.add(ordinal);
      }
    }
  }
  return [...planned, ...[...named].sort((a, b) => a - b)];
}

/** A claim name read as `<template>-<set>-<ordinal>` for one set of the index. */
interface ClaimNameMatch<T> {
  readonly item: T;
  readonly template: string;
  readonly ordinalText: string;
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * StatefulSets (any `item` with a name) indexed by the shape of the claims they name, `<template>-<set>-<ordinal>`:
 * `match` gives the first item, in the order given, for which the claim name is `^(.+)-<set>-(\d+)$`, looking up
 * only the few sets the name can end in (one per dash) instead of trying every set's pattern.
 */
export class ClaimNameShapes<T> {
  private readonly byName = new Map<string, { readonly position: number; readonly item: T }>();

  constructor(items: readonly { readonly name: string; readonly item: T }[]) {
    items.forEach(({ name, item }, position) => {
      if (!this.byName.has(name)) this.byName.set(name, { position, item });
    });
  }

  match(claimName: string): ClaimNameMatch<T> | undefined {
    // `-(\d+)$`: the ordinal is everything after the last dash.
    const lastDash = claimName.lastIndexOf('-');
    const ordinalText = claimName.slice(lastDash + 1);
    if (lastDash < 0 || !/^[0-9]+$/.test(ordinalText)) return undefined;
    let best: { readonly position: number; readonly item: T; readonly template: string } | undefined;
    // `^(.+)-<set>`: the set is what follows any dash after the first character.
    for (let dash = claimName.indexOf('-', 1); dash !== -1 && dash < lastDash; dash = claimName.indexOf('-', dash + 1)) {
      const found = this.byName.get(claimName.slice(dash + 1, lastDash));
      if (found === undefined || (best !== undefined && best.position <= found.position)) continue;
      const template = claimName.slice(0, dash);
      // `.` matches no line terminator.
      if (!LINE_TERMINATOR.test(template)) best = { ...found, template };
    }
    return best && { item: best.item, template: best.template, ordinalText };
  }
}
