/**
 * The claims a StatefulSet's controller made for a range of ordinals, and the PVs pre-bound or bound to them.
 * Ordinals are ranges (k8s/ordinals.ts): `replicas: 30000000` is answered from the range, never listed.
 */
import type { KubeObject, Manifest } from '../../core/types';
import { describeClaims, isClaimOf, plannedOrdinals, totalOrdinals, type OrdinalRange } from '../../k8s/ordinals';
import { readStatefulSet } from '../../k8s/views';
import { isObject, specOf } from './support';

/** Names of the StatefulSet's claim templates. */
export function claimTemplateNames(statefulSet: KubeObject): string[] {
  return readStatefulSet(statefulSet).claimTemplates.map((template) => template.name);
}

/** The claims of these ordinals: the first few names and how many there are in all. */
export interface ClaimsOfOrdinals {
  readonly templates: readonly string[];
  readonly ranges: readonly OrdinalRange[];
  /** `data-web-1, data-web-2` or `data-web-1, ... and 29999997 more`. */
  readonly text: string;
  readonly total: number;
}

export function claimsOf(statefulSet: KubeObject, name: string, ranges: readonly OrdinalRange[]): ClaimsOfOrdinals {
  const templates = claimTemplateNames(statefulSet);
  const { text, total } = describeClaims(templates, name, plannedOrdinals(ranges));
  return { templates, ranges, text, total: totalOrdinals(ranges) === 0 ? 0 : total };
}

const VOLUMES_SHOWN = 6;

/** Names of the PersistentVolumes whose claimRef names one of these claims in this namespace (first few, count). */
export function volumesOfClaims(
  manifests: readonly Manifest[],
  namespace: string,
  statefulSet: string,
  claims: ClaimsOfOrdinals,
): { readonly names: readonly string[]; readonly total: number } {
  const names = new Set<string>();
  for (const manifest of manifests) {
    const { kind, metadata } = manifest.object;
    const ref = specOf(manifest.object).claimRef;
    if (kind !== 'PersistentVolume' || !isObject(ref) || typeof metadata?.name !== 'string') continue;
    if (ref.namespace !== namespace || typeof ref.name !== 'string') continue;
    if (claims.ranges.some((range) => isClaimOf(ref.name as string, claims.templates, statefulSet, range))) {
      names.add(metadata.name);
    }
  }
  return { names: [...names].slice(0, VOLUMES_SHOWN), total: names.size };
}

/** ` (bound to PersistentVolumes a, b)` or '' when none is known. */
export function boundVolumesNote(volumes: { readonly names: readonly string[]; readonly total: number }): string {
  if (volumes.total === 0) return '';
  const more = volumes.total > volumes.names.length ? ` and ${volumes.total - volumes.names.length} more` : '';
  return ` (bound to PersistentVolume${volumes.total > 1 ? 's' : ''} ${volumes.names.join(', ')}${more})`;
}

/** `claim a stays behind` or `claims a, b stay behind`. */
export function claimsStayBehind(claims: ClaimsOfOrdinals): string {
  return claims.total === 1 ? `claim ${claims.text} stays behind` : `claims ${claims.text} stay behind`;
}
