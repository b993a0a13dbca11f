/**
 * What every cluster blueprint shares: the members it tells its user about and the annotation that lets `lint` and
 * `diff` judge its StatefulSets as that system (lib/k8s/systems/identify.ts). Quorum arithmetic is asked of
 * lib/k8s/systems/quorum.ts, never recomputed here.
 */
import { CLUSTER_ANNOTATION, type SystemId } from '../../k8s/systems/identify';
import { faultTolerance, majority } from '../../k8s/systems/quorum';

/** The members of a cluster a blueprint made, as its clients and peers address them. */
export interface ClusterMembers {
  /** FQDN of every member pod, in ordinal order (`<pod>.<service>.<namespace>.svc.<domain>`). */
  readonly podFqdns: readonly string[];
  /** Peer addresses (`<fqdn>:<peer port>`), in ordinal order, as the system's member list spells them. */
  peers(): string[];
  /** Voting members that must be up for the cluster to accept writes. */
  readonly quorum: number;
  /** Voting members the cluster may lose and keep accepting writes. */
  readonly faultTolerance: number;
}

/** Quorum and fault tolerance of a cluster of `voters` voting members. */
export function votingArithmetic(voters: number): Pick<ClusterMembers, 'quorum' | 'faultTolerance'> {
  return { quorum: majority(voters), faultTolerance: faultTolerance(voters) };
}

/** The annotation a blueprint writes on its StatefulSets so that lint and diff know the system. */
export function clusterAnnotation(system: SystemId): Record<string, string> {
  return { [CLUSTER_ANNOTATION]: system };
}
