/**
 * The StatefulSets of a linted set as the operator-knowledge rules see them: replicas, ordinals, governing Service,
 * the system they run (lib/k8s/systems), and the PodDisruptionBudgets that select their pods. Built once per run.
 */
import { compileLabelSelector, matchesServiceSelector } from '../../k8s/selector';
import { labelSelectorOf } from '../../k8s/storage';
import {
  identifySystem,
  readIntOrPercent,
  type DisruptionBudget,
  type Identification,
} from '../../k8s/systems';
import type { LintContext, Manifest } from '../../core/types';
import { readStatefulSet, type StatefulSetView } from './statefulset';
import { asRecord, asString, asStringMap, dig } from './values';

export interface StatefulCluster {
  readonly manifest: Manifest;
  readonly view: StatefulSetView;
  readonly namespace: string;
  readonly identification: Identification | undefined;
}

/** Every StatefulSet of the set, keyed by manifest. */
export function clusters(ctx: LintContext): ReadonlyMap<Manifest, StatefulCluster> {
  return ctx.memo('systems.clusters', () => {
    const result = new Map<Manifest, StatefulCluster>();
    for (const manifest of ctx.byKind('StatefulSet')) {
      const namespace = ctx.namespaceOf(manifest);
      const findConfigMap = (name: string) => ctx.find('ConfigMap', namespace, name);
      result.set(manifest, {
        manifest,
        view: viewOf(manifest),
        namespace,
        identification: identifySystem(manifest, findConfigMap),
      });
    }
    return result;
  });
}

export function clusterOf(manifest: Manifest, ctx: LintContext): StatefulCluster {
  const found = clusters(ctx).get(manifest);
  if (found !== undefined) return found;
  const namespace = ctx.namespaceOf(manifest);
  return {
    manifest,
    view: viewOf(manifest),
    namespace,
    identification: identifySystem(manifest, (name) => ctx.find('ConfigMap', namespace, name)),
  };
}

/** The one place this module reads the StatefulSet view (the model's reader). */
function viewOf(manifest: Manifest): StatefulSetView {
  return readStatefulSet(manifest.object);
}

/** The StatefulSets of the set whose pod template this PDB selects (same namespace). */
export function statefulSetsOfBudget(pdb: Manifest, ctx: LintContext): StatefulCluster[] {
  const selector = labelSelectorOf(dig(pdb.object, 'spec', 'selector'));
  const matches = compileLabelSelector(selector);
  const namespace = ctx.namespaceOf(pdb);
  return [...clusters(ctx).values()].filter((c) => c.namespace === namespace && matches(c.view.templateLabels));
}

/** The PDBs of the set that select this StatefulSet's pods. */
export function budgetsOf(cluster: StatefulCluster, ctx: LintContext): Manifest[] {
  return ctx
    .byKind('PodDisruptionBudget')
    .filter((pdb) => ctx.namespaceOf(pdb) === cluster.namespace)
    .filter((pdb) => compileLabelSelector(labelSelectorOf(dig(pdb.object, 'spec', 'selector')))(cluster.view.templateLabels));
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

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
