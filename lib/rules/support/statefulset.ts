/**
 * A tolerant view of a StatefulSet manifest: the fields the cross-resource rules need, with API defaults applied
 * (replicas 1, ordinals.start 0, podManagementPolicy OrderedReady).
 */
import type { Manifest, Path } from '../../core/types';
import { asArray, asCount, asRecord, asString, asStringMap, dig, type Json } from './values';

export interface ClaimTemplate {
  readonly name: string;
  /** Index in spec.volumeClaimTemplates. */
  readonly index: number;
  /** Path of the template in the StatefulSet. */
  readonly path: Path;
  /** The template as a PVC object (metadata + spec). */
  readonly object: Json;
}

export interface StatefulSetView {
  readonly name: string;
  readonly serviceName: string | undefined;
  readonly selector: Json | undefined;
  readonly templateLabels: Record<string, string>;
  readonly replicas: number;
  readonly ordinalsStart: number;
  readonly parallel: boolean;
  readonly claimTemplates: readonly ClaimTemplate[];
}

export function readStatefulSet(manifest: Manifest): StatefulSetView {
  const object = manifest.object;
  const spec = asRecord(object.spec) ?? {};
  return {
    name: asString(object.metadata?.name) ?? '',
    serviceName: asString(spec.serviceName),
    selector: asRecord(spec.selector),
    templateLabels: asStringMap(dig(spec, 'template', 'metadata', 'labels')),
    replicas: asCount(spec.replicas) ?? 1,
    ordinalsStart: asCount(dig(spec, 'ordinals', 'start')) ?? 0,
    parallel: spec.podManagementPolicy === 'Parallel',
    claimTemplates: readClaimTemplates(spec),
  };
}

function readClaimTemplates(spec: Json): ClaimTemplate[] {
  const templates: ClaimTemplate[] = [];
  asArray(spec.volumeClaimTemplates).forEach((raw, index) => {
    const object = asRecord(raw);
    const name = asString(dig(object, 'metadata', 'name'));
    if (object !== undefined && name !== undefined) {
      templates.push({ name, index, path: ['spec', 'volumeClaimTemplates', index], object });
    }
  });
  return templates;
}

/** A container of the pod template, with its path in the StatefulSet. */
export interface TemplateContainer {
  readonly name: string;
  readonly path: Path;
  /** How the API server names it in a pod: `spec.containers[0]` / `spec.initContainers[1]`. */
  readonly podField: string;
  readonly object: Json;
}

const CONTAINER_LISTS = ['containers', 'initContainers'] as const;

export function templateContainers(manifest: Manifest): TemplateContainer[] {
  const podSpec = dig(manifest.object, 'spec', 'template', 'spec');
  const result: TemplateContainer[] = [];
  for (const list of CONTAINER_LISTS) {
    asArray(dig(podSpec, list)).forEach((raw, index) => {
      const object = asRecord(raw);
      if (object === undefined) return;
      result.push({
        name: asString(object.name) ?? `#${index}`,
        path: ['spec', 'template', 'spec', list, index],
        podField: `spec.${list}[${index}]`,
        object,
      });
    });
  }
  return result;
}
