/**
 * The claims a linted set will create: one per StatefulSet claim template and ordinal (`T-S-i`, ordinals.start
 * honoured) and every standalone PersistentVolumeClaim. Built once per run.
 */
import { claimName } from '../../k8s/names';
import { MAX_PLANNED_ORDINALS, ordinalRange, plannedOrdinals } from '../../k8s/ordinals';
import type { LintContext, Manifest, Path } from '../../core/types';
import { readStatefulSet, type ClaimTemplate, type StatefulSetView } from './statefulset';
import { asString, type Json } from './values';

/** Claims of at most this many ordinals per StatefulSet are planned (see k8s/ordinals.ts). */
export { MAX_PLANNED_ORDINALS };

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
  /** Set for claims the StatefulSet controller creates. */
  readonly owner?: StatefulSetClaimOwner;
}

export interface PlannedStatefulSet {
  readonly manifest: Manifest;
  readonly view: StatefulSetView;
  readonly namespace: string;
  /** Whether only the first MAX_PLANNED_ORDINALS ordinals' claims are planned (replicas is larger). */
  readonly truncated: boolean;
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
  // A StatefulSet whose replicas or ordinals.start the API server refuses plans nothing (the schema reports it).
  const statefulSets = ctx
    .byKind('StatefulSet')
    .map((manifest) => ({ manifest, view: readStatefulSet(manifest.object), namespace: ctx.namespaceOf(manifest) }))
    .filter(({ view }) => view.countsValid)
    .map((planned) => ({ ...planned, truncated: plannedOrdinals(ordinalRange(planned.view)).truncated }));
  for (const { manifest, view, namespace } of statefulSets) {
    if (view.name === '') continue;
    for (const ordinal of plannedOrdinals(ordinalRange(view)).ordinals) {
      for (const template of view.claimTemplates) {
        claims.push({
          name: claimName(template.name, view.name, ordinal),
          namespace,
          object: template.object,
          manifest,
          path: template.path,
          owner: { manifest, statefulSet: view, template, ordinal },
        });
      }
    }
  }
  for (const manifest of ctx.byKind('PersistentVolumeClaim')) {
    const name = asString(manifest.object.metadata?.name);
    if (name === undefined) continue;
    claims.push({ name, namespace: ctx.namespaceOf(manifest), object: manifest.object, manifest, path: [] });
  }
  const index = new Map(claims.map((claim) => [`${claim.namespace}/${claim.name}`, claim]));
  return { claims, statefulSets, byKey: (namespace, name) => index.get(`${namespace}/${name}`) };
}
