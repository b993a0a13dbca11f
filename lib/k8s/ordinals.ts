/**
 * The ordinals a StatefulSet runs, as a range (start .. start + replicas - 1) rather than a list: replicas is an
 * int32, and a typo such as `replicas: 30000000` must neither plan thirty million claims nor allocate an array of
 * them. Lint and diff read ordinals here only, and enumerate at most MAX_PLANNED_ORDINALS of them; whoever stops
 * there says so (see `truncated`).
 */
import { claimName, podName } from './names';
import type { StatefulSetView } from './views';

/** At most this many ordinals per StatefulSet are enumerated: far more than any linted set has PVs for. */
export const MAX_PLANNED_ORDINALS = 1000;

export interface OrdinalRange {
  readonly start: number;
  /** How many ordinals (replicas); 0 for none. */
  readonly count: number;
}

/** The ordinals of a StatefulSet view (none when replicas is invalid: the schema pass reports it). */
export function ordinalRange(view: Pick<StatefulSetView, 'replicas' | 'ordinalsStart'>): OrdinalRange {
  return { start: view.ordinalsStart, count: view.replicas };
}

export function includesOrdinal(range: OrdinalRange, ordinal: number): boolean {
  return ordinal >= range.start && ordinal < range.start + range.count;
}

/** The ordinals of `range` that `other` lacks, as at most two ranges (below and above `other`). */
export function ordinalsMissingFrom(range: OrdinalRange, other: OrdinalRange): OrdinalRange[] {
  const end = range.start + range.count;
  const otherEnd = other.start + other.count;
  if (other.count === 0) return range.count === 0 ? [] : [range];
  const parts: OrdinalRange[] = [];
  const belowEnd = Math.min(end, other.start);
  if (belowEnd > range.start) parts.push({ start: range.start, count: belowEnd - range.start });
  const aboveStart = Math.max(range.start, otherEnd);
  if (end > aboveStart) parts.push({ start: aboveStart, count: end - aboveStart });
  return parts;
}

export function totalOrdinals(ranges: readonly OrdinalRange[]): number {
  return ranges.reduce((sum, range) => sum + range.count, 0);
}

export interface PlannedOrdinals {
  /** The first ordinals, at most `limit` of them, in order. */
  readonly ordinals: readonly number[];
  /** How many ordinals the ranges hold in all. */
  readonly total: number;
  /** Whether `ordinals` stops short of `total`. */
  readonly truncated: boolean;
}

/** The first ordinals of these ranges (in order), at most `limit`: never an array the size of replicas. */
export function plannedOrdinals(ranges: OrdinalRange | readonly OrdinalRange[], limit = MAX_PLANNED_ORDINALS): PlannedOrdinals {
  const list = Array.isArray(ranges) ? ranges : [ranges as OrdinalRange];
  const ordinals: number[] = [];
  for (const range of list) {
    for (let i = 0; i < range.count && ordinals.length < limit; i += 1) ordinals.push(range.start + i);
  }
  const total = totalOrdinals(list);
  return { ordinals, total, truncated: ordinals.length < total };
}

/** `web-3`, `web-3, web-4`, or `web-3, web-4, ... and 29999995 more` for pods of these ordinals. */
export function describePods(statefulSet: string, planned: PlannedOrdinals, shown = 6): string {
  return counted(planned.ordinals.slice(0, shown).map((i) => podName(statefulSet, i)), planned.total);
}

/** Claim names `T-S-i` of these ordinals, ordinal by ordinal, then the count of the rest. */
export function describeClaims(
  templates: readonly string[],
  statefulSet: string,
  planned: PlannedOrdinals,
  shown = 6,
): { readonly text: string; readonly total: number } {
  const names: string[] = [];
  for (const ordinal of planned.ordinals) {
    for (const template of templates) if (names.length < shown) names.push(claimName(template, statefulSet, ordinal));
  }
  const total = planned.total * templates.length;
  return { text: counted(names, total), total };
}

function counted(names: readonly string[], total: number): string {
  return total > names.length ? `${names.join(', ')} and ${total - names.length} more` : names.join(', ');
}

/**
 * Whether `claim` is a claim name `T-S-i` of this StatefulSet (one of `templates`) for an ordinal in `range`:
 * answered from the name, without listing the claims.
 */
export function isClaimOf(claim: string, templates: readonly string[], statefulSet: string, range: OrdinalRange): boolean {
  return templates.some((template) => {
    const prefix = `${template}-${statefulSet}-`;
    if (!claim.startsWith(prefix)) return false;
    const digits = claim.slice(prefix.length);
    return /^(0|[1-9][0-9]*)$/.test(digits) && includesOrdinal(range, Number(digits));
  });
}
