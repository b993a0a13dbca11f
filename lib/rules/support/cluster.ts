/**
 * The StatefulSets of a linted set as the operator-knowledge rules see them: replicas, ordinals, governing Service,
 * the system they run (lib/k8s/systems), and the PodDisruptionBudgets that select their pods. Built once per run.
 */
import { compileLabelSelector, matchesServiceSelector } from '../../k8s/selector';
import { labelSelectorOf } from '../../k8s/storage';
import {
  identifySystem,
  MAJORITY_SYSTEMS,
  podConfig,
  readIntOrPercent,
  type DisruptionBudget,
  type Identification,
  type PodConfig,
  type SystemId,
} from '../../k8s/systems';
import type { LintContext, Manifest } from '../../core/types';
import { statefulSetView, type StatefulSetView } from './statefulset';
import { perManifest } from './per-manifest';
import { asRecord, asString, asStringMap, dig } from './values';

export interface StatefulCluster {
  readonly manifest: Manifest;
  readonly view: StatefulSetView;
  readonly namespace: string;
  readonly identification: Identification | undefined;
  /** The configuration its pods see (read once per run: identification and the rules share it). */
  readonly config: PodConfig;
}

/** Every StatefulSet of the set, keyed by manifest. */
export function clusters(ctx: LintContext): ReadonlyMap<Manifest, StatefulCluster> {
  return ctx.memo('systems.clusters', () => new Map(ctx.byKind('StatefulSet').map((m) => [m, describe(m, ctx)])));
}

export function clusterOf(manifest: Manifest, ctx: LintContext): StatefulCluster {
  return clusters(ctx).get(manifest) ?? describe(manifest, ctx);
}

/** The system a cluster runs, when it keeps a majority quorum and has at least `minReplicas` members. */
export function quorumSystemOf(cluster: StatefulCluster, minReplicas: number): SystemId | undefined {
  const system = cluster.identification?.system;
  return system !== undefined && MAJORITY_SYSTEMS.has(system) && cluster.view.replicas >= minReplicas ? system : undefined;
}

function describe(manifest: Manifest, ctx: LintContext): StatefulCluster {
  const namespace = ctx.namespaceOf(manifest);
  const findConfigMap = (name: string) => ctx.find('ConfigMap', namespace, name);
  const config = podConfig(manifest, findConfigMap);
  return {
    manifest,
    view: statefulSetView(manifest, ctx),
    namespace,
    identification: identifySystem(manifest, findConfigMap, config),
    config,
  };
}

/** The StatefulSets of the set whose pod template this PDB selects (same namespace). */
export function statefulSetsOfBudget(pdb: Manifest, ctx: LintContext): StatefulCluster[] {
  const matches = budgetSelector(pdb, ctx);
  const inNamespace = byNamespace(ctx, 'systems.clusters.by-namespace', () => clusters(ctx).values(), (c) => c.namespace);
  return (inNamespace.get(ctx.namespaceOf(pdb)) ?? []).filter((c) => matches(c.view.templateLabels));
}

/** The PDBs of the set that select this StatefulSet's pods. */
export function budgetsOf(cluster: StatefulCluster, ctx: LintContext): Manifest[] {
  const inNamespace = byNamespace(ctx, 'systems.budgets.by-namespace', () => ctx.byKind('PodDisruptionBudget'), (pdb) => ctx.namespaceOf(pdb));
  return (inNamespace.get(cluster.namespace) ?? []).filter((pdb) => budgetSelector(pdb, ctx)(cluster.view.templateLabels));
}

/** A PDB's selector, compiled once per run however many StatefulSets and rules ask. */
function budgetSelector(pdb: Manifest, ctx: LintContext): (labels: Record<string, string>) => boolean {
  return perManifest(ctx, 'systems.budgets.selectors', pdb, (object) => compileLabelSelector(labelSelectorOf(dig(object, 'spec', 'selector'))));
}

/** `items` grouped by namespace, in input order: built once per run under `key`. */
function byNamespace<T>(ctx: LintContext, key: string, items: () => Iterable<T>, namespaceOf: (item: T) => string): ReadonlyMap<string, T[]> {
  return ctx.memo(key, () => {
    const grouped = new Map<string, T[]>();
    for (const item of items()) {
      const namespace = namespaceOf(item);
      const list = grouped.get(namespace);
      if (list === undefined) grouped.set(namespace, [item]);
      else list.push(item);
    }
    return grouped;
  });
}

export function budgetOf(pdb: Manifest): DisruptionBudget {
  const spec = asRecord(pdb.object.spec) ?? {};
  return { minAvailable: readIntOrPercent(spec.minAvailable), maxUnavailable: readIntOrPercent(spec.maxUnavailable) };
}

/** The governing Service of a StatefulSet, if it is in the set. */
export function governingService(cluster: StatefulCluster, ctx: LintContext): Manifest | undefined {
  const name = cluster.view.serviceName;
  return name === undefined || name === '' ? undefined : ctx.find('Service', cluster.namespace, name);
}

export function nameOf(manifest: Manifest): string {
  return asString(manifest.object.metadata?.name) ?? '';
}

export function serviceSelects(service: Manifest, cluster: StatefulCluster): boolean {
  return matchesServiceSelector(asStringMap(dig(service.object, 'spec', 'selector')), cluster.view.templateLabels);
}

export { plural } from '../../core/text';
