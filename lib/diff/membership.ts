/**
 * The membership change a change of replicas of an identified cluster needs, between two revisions: which
 * system, which members come or go, and each member's runbook. The `unsafe-membership-change` rule judges it and
 * `cdk8s-stateful plan` prints it; both ask this module.
 */
import type { DiffContext, Manifest, ObjectPair } from '../core/types';
import {
  findSetting, identifySystem, membersComeTogether, runbook, SYSTEM_SETTINGS, type Identification, type MemberChange,
  type RunbookStep, type SystemId,
} from '../k8s/systems';
import { pairObjects } from './pair';
import { isObject, specOf } from './checks/support';

export interface MemberStep {
  /** The (first) member that comes or goes, and the revision that does it. */
  readonly change: MemberChange;
  /** Every member the revision adds or removes: one, unless the system's members come and go together. */
  readonly ordinals: readonly number[];
  /** Replicas once the revision is applied. */
  readonly replicas: number;
  readonly steps: readonly RunbookStep[];
}

export interface MembershipPlan {
  readonly system: SystemId;
  readonly identification: Identification;
  readonly statefulSet: string;
  readonly namespace: string;
  readonly from: number;
  readonly to: number;
  /**
   * One entry per revision, in the order to run them: one member each, or every member in one revision where the
   * system's members come and go together (lib/k8s/systems/runbook.ts `together`).
   */
  readonly members: readonly MemberStep[];
  readonly pair: ObjectPair;
}

/** The membership change of a StatefulSet pair, or undefined when its size is the same or its system unknown. */
export function membershipPlanOf(pair: ObjectPair, ctx: Pick<DiffContext, 'oldManifests' | 'newManifests'>): MembershipPlan | undefined {
  if (pair.kind !== 'StatefulSet' || !pair.old || !pair.new) return undefined;
  const from = replicasOf(pair.old.normalized);
  const to = replicasOf(pair.new.normalized);
  if (from === to) return undefined;
  const newIdentification = identifySystem(pair.new.manifest, configMaps(ctx.newManifests, pair));
  const oldIdentification = identifySystem(pair.old.manifest, configMaps(ctx.oldManifests, pair));
  const identification = newIdentification ?? oldIdentification;
  if (identification === undefined) return undefined;
  const spec = specOf(pair.new.normalized);
  const start = isObject(spec.ordinals) && typeof spec.ordinals.start === 'number' ? spec.ordinals.start : 0;
  const serviceName = typeof spec.serviceName === 'string' ? spec.serviceName : pair.name;
  const direction = to > from ? 'up' : 'down';
  // A runbook writes concrete ids from the revision that lists the members that come (new) or go (old).
  const config = (direction === 'up' ? newIdentification : oldIdentification)?.config;
  const tls = identification.system === 'etcd' && usesHttps(identification);
  // Members one at a time: up adds ordinals from+start upwards, down removes from the highest ordinal down.
  const count = Math.min(Math.abs(to - from), MAX_LISTED_MEMBERS);
  const changes = Array.from({ length: count }, (_, i): MemberChange => ({
    system: identification.system, statefulSet: pair.name, serviceName, namespace: pair.namespace,
    ordinal: direction === 'up' ? start + from + i : start + from - 1 - i, direction, anchorOrdinal: start, config, tls,
  }));
  const step = direction === 'up' ? 1 : -1;
  const members = membersComeTogether(identification.system) && count === Math.abs(to - from)
    ? [together(changes, to)]
    : changes.map((change, i): MemberStep => ({ change, ordinals: [change.ordinal], replicas: from + step * (i + 1), steps: runbook(change) }));
  return {
    system: identification.system, identification, statefulSet: pair.name, namespace: pair.namespace, from, to, members, pair,
  };
}

/**
 * Members that come or go in one revision: what each needs before the apply (in member order), one apply, then
 * what each needs after it.
 */
function together(changes: readonly MemberChange[], replicas: number): MemberStep {
  const before: RunbookStep[] = [];
  const after: RunbookStep[] = [];
  for (const change of changes) {
    const steps = runbook(change);
    const apply = steps.findIndex((s) => s.kind === 'apply');
    before.push(...(apply < 0 ? steps : steps.slice(0, apply)));
    after.push(...(apply < 0 ? [] : steps.slice(apply + 1)));
  }
  // A member's own apply step speaks of that member alone: the shared one says how many change.
  const apply: RunbookStep = changes.length === 1 ? runbook(changes[0]).find((s) => s.kind === 'apply') ?? { kind: 'apply' } : { kind: 'apply', members: changes.length };
  return { change: changes[0], ordinals: changes.map((c) => c.ordinal), replicas, steps: [...before, apply, ...after] };
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

/** etcd members whose initial-cluster peer URLs are https talk TLS. */
function usesHttps(identification: Identification): boolean {
  return /(^|[=,])https:\/\//.test(findSetting(identification.config, SYSTEM_SETTINGS.etcd)?.value ?? '');
}

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
