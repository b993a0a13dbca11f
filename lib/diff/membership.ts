/**
 * The membership change a change of replicas of an identified cluster needs, between two revisions: which
 * system, which members come or go, and each member's runbook. The `unsafe-membership-change` rule judges it and
 * `cdk8s-stateful plan` prints it; both ask this module.
 */
import type { DiffContext, Manifest, ObjectPair } from '../core/types';
import {
  identifySystem, runbook, type Identification, type MemberChange, type RunbookStep, type SystemId,
} from '../k8s/systems';
import { pairObjects } from './pair';
import { isObject, specOf } from './checks/support';

export interface MemberStep {
  /** The member that comes or goes, and the revision that does it. */
  readonly change: MemberChange;
  readonly steps: readonly RunbookStep[];
}

export interface MembershipPlan {
  readonly system: SystemId;
  readonly identification: Identification;
  readonly statefulSet: string;
  readonly namespace: string;
  readonly from: number;
  readonly to: number;
  /** One entry per member that comes or goes, in the order to run them, one revision each. */
  readonly members: readonly MemberStep[];
  readonly pair: ObjectPair;
}

/** The membership change of a StatefulSet pair, or undefined when its size is the same or its system unknown. */
export function membershipPlanOf(pair: ObjectPair, ctx: Pick<DiffContext, 'oldManifests' | 'newManifests'>): MembershipPlan | undefined {
  if (pair.kind !== 'StatefulSet' || !pair.old || !pair.new) return undefined;
  const from = replicasOf(pair.old.normalized);
  const to = replicasOf(pair.new.normalized);
  if (from === to) return undefined;
  const identification =
    identifySystem(pair.new.manifest, configMaps(ctx.newManifests, pair)) ??
    identifySystem(pair.old.manifest, configMaps(ctx.oldManifests, pair));
  if (identification === undefined) return undefined;
  const spec = specOf(pair.new.normalized);
  const start = isObject(spec.ordinals) && typeof spec.ordinals.start === 'number' ? spec.ordinals.start : 0;
  const serviceName = typeof spec.serviceName === 'string' ? spec.serviceName : pair.name;
  const direction = to > from ? 'up' : 'down';
  // Members one at a time: up adds ordinals from+start upwards, down removes from the highest ordinal down.
  const count = Math.min(Math.abs(to - from), MAX_LISTED_MEMBERS);
  const members = Array.from({ length: count }, (_, i): MemberStep => {
    const ordinal = direction === 'up' ? start + from + i : start + from - 1 - i;
    const change: MemberChange = {
      system: identification.system, statefulSet: pair.name, serviceName, namespace: pair.namespace, ordinal, direction,
      anchorOrdinal: start,
    };
    return { change, steps: runbook(change) };
  });
  return {
    system: identification.system, identification, statefulSet: pair.name, namespace: pair.namespace, from, to, members, pair,
  };
}

/** Every membership change between two revisions, in the order the objects appear. */
export function membershipPlans(oldManifests: readonly Manifest[], newManifests: readonly Manifest[], defaultNamespace = 'default'): MembershipPlan[] {
  const ctx = { oldManifests, newManifests };
  return pairObjects(oldManifests, newManifests, defaultNamespace).flatMap((pair) => membershipPlanOf(pair, ctx) ?? []);
}

/**
 * Member runbooks listed per plan. A change of thousands of members is refused by the rule anyway; listing every
 * one would only make output unbounded.
 */
export const MAX_LISTED_MEMBERS = 16;

function replicasOf(object: unknown): number {
  const replicas = specOf(object as Manifest['object']).replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

function configMaps(manifests: readonly Manifest[], pair: ObjectPair) {
  return (name: string) =>
    manifests.find((m) => {
      const ns = m.object.metadata?.namespace;
      return m.object.kind === 'ConfigMap' && m.object.metadata?.name === name && (ns === undefined || ns === pair.namespace);
    });
}
