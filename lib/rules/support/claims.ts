/**
 * The claims a linted set will create: one per StatefulSet claim template and ordinal (`T-S-i`, ordinals.start
 * honoured) and every standalone PersistentVolumeClaim. Built once per run.
 */
import { claimName, ordinals } from '../../k8s/names';
import type { LintContext, Manifest, Path } from '../../core/types';
import { readStatefulSet, type ClaimTemplate, type StatefulSetView } from './statefulset';
import { asString, type Json } from './values';

/**
 * Claims of at most this many ordinals per StatefulSet are planned (replicas is an int32: a typo such as
 * `replicas: 30000000` must not plan thirty million claims). Far more than any linted set has PVs for.
 */
export const MAX_PLANNED_ORDINALS = 1000;

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
}

export interface ClaimPlan {
  readonly claims: readonly PlannedClaim[];
  readonly statefulSets: readonly PlannedStatefulSet[];
  byKey(namespace: string, name: string): PlannedClaim | undefined;
}

export function claimPlan(ctx: LintContext): ClaimPlan {
  return ctx.memo('rules/claim-plan', () => buildClaimPlan(ctx));
}

function buildClaimPlan(ctx: LintContext): ClaimPlan {
  const claims: PlannedClaim[] = [];
  const statefulSets = ctx.byKind('StatefulSet').map((manifest) => ({
    manifest,
    view: readStatefulSet(manifest),
    namespace: ctx.namespaceOf(manifest),
  }));
  // A PVC of the set named as a StatefulSet names its claim (T-S-i) is the claim: the controller uses an existing
  // claim as it is and never checks it against the template.
  const pvcs = new Map<string, Manifest>();
  for (const manifest of ctx.byKind('PersistentVolumeClaim')) {
    const name = asString(manifest.object.metadata?.name);
    if (name !== undefined) pvcs.set(`${ctx.namespaceOf(manifest)}/${name}`, manifest);
  }
  const owners = new Map<Manifest, StatefulSetClaimOwner>();
  for (const { manifest, view, namespace } of statefulSets) {
    if (view.name === '') continue;
    for (const ordinal of ordinals(view.ordinalsStart, Math.min(view.replicas, MAX_PLANNED_ORDINALS))) {
      for (const template of view.claimTemplates) {
        const name = claimName(template.name, view.name, ordinal);
        const owner = { manifest, statefulSet: view, template, ordinal };
        const existing = pvcs.get(`${namespace}/${name}`);
        if (existing !== undefined) {
          owners.set(existing, owner);
          continue;
        }
        claims.push({ name, namespace, object: template.object, manifest, path: template.path, owner });
      }
    }
  }
  for (const [key, manifest] of pvcs) {
    const owner = owners.get(manifest);
    claims.push({
      name: key.slice(key.indexOf('/') + 1),
      namespace: ctx.namespaceOf(manifest),
      object: manifest.object,
      manifest,
      path: [],
      ...(owner === undefined ? {} : { owner }),
    });
  }
  const index = new Map(claims.map((claim) => [`${claim.namespace}/${claim.name}`, claim]));
  return { claims, statefulSets, byKey: (namespace, name) => index.get(`${namespace}/${name}`) };
}
