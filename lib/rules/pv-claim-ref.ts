import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest, Path } from '../core/types';
import { includesOrdinal, ordinalRange } from '../k8s/ordinals';
import { ClaimNameShapes, claimPlan, NamespacedNames, type ClaimPlan, type PlannedStatefulSet } from './support/claims';
import { pvSpecOfManifest } from './support/storage';

const CLAIM_REF: Path = ['spec', 'claimRef'];

/**
 * A PV's claimRef reserves it for one claim: without a namespace it never binds; naming a claim the set's
 * StatefulSet will never create reserves it for nothing; two PVs reserved for one claim leave one unused. A claim of
 * an ordinal beyond the current replicas is only a warning: it may be retained from a larger scale
 * (persistentVolumeClaimRetentionPolicy whenScaled: Retain, the default) or be created by a future scale-up.
 */
const messages = {
  withoutNamespace:
    'claimRef names claim "{{name}}" without a namespace: the PV can never bind (it stays Available and the claim ' +
    'stays Pending); {{fix}}',
  alreadyReserved:
    'claimRef reserves claim {{namespace}}/{{name}}, which PV {{other}} ' +
    'already reserves: a claim binds one PV, so one of the two stays Available and unused',
  noSuchTemplate:
    'claimRef names claim {{namespace}}/{{name}}, but StatefulSet {{statefulSet}} has no claim template ' +
    '"{{template}}" ({{known}}): no such claim is ever created and the PV stays reserved for nothing',
  beyondReplicas:
    'claimRef reserves the PV for claim {{namespace}}/{{name}} of ordinal {{ordinal}}, which StatefulSet ' +
    '{{statefulSet}} does not create at its current replicas ({{scale}}): a claim retained from a larger ' +
    'scale, or one a future scale-up creates; until that claim exists the PV binds nothing else',
  outsideRange:
    'claimRef names claim {{namespace}}/{{name}}, but StatefulSet {{statefulSet}} runs {{range}}: ordinal ' +
    '{{ordinal}} never gets a claim at this scale, so the PV stays reserved for nothing',
};

type Found = Report<typeof messages>;

export const pvClaimRef = defineRule({
  id: 'pv-claim-ref',
  phase: 'set',
  severity: 'error',
  kinds: ['PersistentVolume'],
  docs: {
    description:
      'A PV claimRef names the namespace and a claim the set creates, and no other PV is pre-bound to it.',
    remediation:
      "Give every claimRef the claim's namespace and name (T-S-i for StatefulSet claims, within the ordinal " +
      'range), one PV per claim.',
  },
  messages,
  check(manifest, ctx) {
    const { claimRef: ref } = pvSpecOfManifest(manifest, ctx);
    const name = ref?.name;
    if (ref === undefined || name === undefined || name === '') return [];
    const namespace = ref.namespace ?? '';
    const plan = claimPlan(ctx);
    if (namespace === '') return [{ ...withoutNamespace(name, plan, ctx), path: CLAIM_REF }];
    const problems: Found[] = [];
    const stranger = neverCreated(namespace, name, plan, ctx);
    if (stranger !== undefined) problems.push({ ...stranger, path: CLAIM_REF });
    const first = firstPvReserving(namespace, name, ctx);
    if (first !== manifest) {
      problems.push({
        messageId: 'alreadyReserved',
        data: { namespace, name, other: first === undefined ? '' : pvSpecOfManifest(first, ctx).name },
        path: CLAIM_REF,
      });
    }
    return problems;
  },
});

function withoutNamespace(name: string, plan: ClaimPlan, ctx: LintContext): Found {
  const namespaces = [...(namespacesByClaimName(plan, ctx).get(name) ?? [])];
  const fix =
    namespaces.length === 1
      ? `add namespace: ${namespaces[0]} (where the linted set creates ${name})`
      : `add the claim's namespace`;
  return { messageId: 'withoutNamespace', data: { name, fix } };
}

/** Claim name → the namespaces the set creates a claim of that name in, in plan order: built once per run. */
function namespacesByClaimName(plan: ClaimPlan, ctx: LintContext): ReadonlyMap<string, ReadonlySet<string>> {
  return ctx.memo('rules/pv-claim-ref/namespaces-by-name', () => {
    const index = new Map<string, Set<string>>();
    for (const { name, namespace } of plan.claims) {
      const namespaces = index.get(name);
      if (namespaces === undefined) index.set(name, new Set([namespace]));
      else namespaces.add(namespace);
    }
    return index;
  });
}

/**
 * When the name has the shape T-S-i of a StatefulSet S of the set (same namespace) but that StatefulSet will never
 * create it: an ordinal outside its range, or a template it does not have. Undefined when the set creates the claim
 * or cannot tell (no StatefulSet of the set matches the name).
 */
function neverCreated(namespace: string, name: string, plan: ClaimPlan, ctx: LintContext): Found | undefined {
  if (plan.byKey(namespace, name) !== undefined) return undefined;
  const match = claimShapes(plan, ctx).get(namespace)?.match(name);
  if (match === undefined) return undefined;
  const { item: view, template, ordinalText } = match;
  const templates = view.claimTemplates.map((t) => t.name);
  if (!templates.includes(template)) {
    const known = templates.length > 0 ? `its templates are ${templates.join(', ')}` : 'it has none';
    return { messageId: 'noSuchTemplate', data: { namespace, name, statefulSet: view.name, template, known } };
  }
  const ordinal = Number(ordinalText);
  const last = view.ordinalsStart + view.replicas - 1;
  // Beyond the planned claims (see plannedOrdinalCount) but within the range: created all the same.
  if (String(ordinal) === ordinalText && includesOrdinal(ordinalRange(view), ordinal)) return undefined;
  const range = view.replicas === 0 ? 'no ordinals (replicas 0)' : `ordinals ${view.ordinalsStart}..${last}`;
  if (String(ordinal) === ordinalText && ordinal > last) {
    const scale = view.replicas === 0 ? 'replicas 0, no ordinals' : `replicas ${view.replicas}, ${range}`;
    return {
      severity: 'warning',
      messageId: 'beyondReplicas',
      data: { namespace, name, ordinal, statefulSet: view.name, scale },
    };
  }
  return {
    messageId: 'outsideRange',
    data: { namespace, name, statefulSet: view.name, range, ordinal: ordinalText },
  };
}

/** Per namespace, the named StatefulSets by the shape of their claim names: `<template>-<set>-<ordinal>`. */
function claimShapes(plan: ClaimPlan, ctx: LintContext): ReadonlyMap<string, ClaimNameShapes<PlannedStatefulSet['view']>> {
  return ctx.memo('rules/pv-claim-ref/claim-shapes', () => {
    const byNamespace = new Map<string, PlannedStatefulSet['view'][]>();
    for (const { view, namespace } of plan.statefulSets) {
      if (view.name === '') continue;
      const list = byNamespace.get(namespace) ?? [];
      list.push(view);
      byNamespace.set(namespace, list);
    }
    const shapes = new Map<string, ClaimNameShapes<PlannedStatefulSet['view']>>();
    for (const [namespace, views] of byNamespace) shapes.set(namespace, new ClaimNameShapes(views.map((view) => ({ name: view.name, item: view }))));
    return shapes;
  });
}

/** The first PV (in input order) whose claimRef names this claim. */
function firstPvReserving(namespace: string, name: string, ctx: LintContext): Manifest | undefined {
  const index = ctx.memo('rules/pv-claim-ref/first-reserving', () => {
    const first = new NamespacedNames<Manifest>();
    const pvs = ctx.byKind('PersistentVolume');
    // Last to first: the first PV of a claim is set last.
    for (let i = pvs.length - 1; i >= 0; i--) {
      const ref = pvSpecOfManifest(pvs[i], ctx).claimRef;
      first.set(ref?.namespace ?? '', ref?.name ?? '', pvs[i]);
    }
    return first;
  });
  return index.get(namespace, name);
}
