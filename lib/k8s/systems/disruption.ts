/**
 * PodDisruptionBudget arithmetic as the disruption controller computes it (kubernetes/kubernetes
 * pkg/controller/disruption/disruption.go, getExpectedPodCount and updatePdbStatus):
 *   maxUnavailable (int or %):  expected = scale of the controllers, desiredHealthy = expected − ⌈maxUnavailable⌉
 *   minAvailable %:             expected = scale, desiredHealthy = ⌈minAvailable% × expected⌉
 *   minAvailable int:           expected = number of pods, desiredHealthy = minAvailable
 *   disruptionsAllowed = currentHealthy − desiredHealthy, 0 when negative or when no pod is expected.
 * Percentages are rounded up (intstr.GetScaledValueFromIntOrPercent(value, total, roundUp = true)).
 */
import { plural } from '../../core/text';

/** An IntOrString of a PDB: a count, a percentage, or something the API server rejects. */
export type IntOrPercent =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'percent'; readonly value: number; readonly text: string };

/** Reads a PDB's minAvailable/maxUnavailable; undefined when absent or malformed (the schema rule reports those). */
export function readIntOrPercent(value: unknown): IntOrPercent | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { kind: 'int', value };
  if (typeof value === 'string') {
    const match = /^(\d+)%$/.exec(value);
    if (match !== null) return { kind: 'percent', value: Number(match[1]), text: value };
  }
  return undefined;
}

/** intstr.GetScaledValueFromIntOrPercent: an int as is, a percentage of total rounded up (or down). */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (value.kind === 'int') return value.value;
  const exact = (value.value * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function describeIntOrPercent(value: IntOrPercent): string {
  return value.kind === 'int' ? String(value.value) : value.text;
}

export interface DisruptionBudget {
  readonly minAvailable?: IntOrPercent;
  readonly maxUnavailable?: IntOrPercent;
}

export interface DisruptionArithmetic {
  /** Pods the controller counts as expected. */
  readonly expected: number;
  /** Pods that must stay healthy (status.desiredHealthy). */
  readonly desiredHealthy: number;
  /** Evictions allowed when every expected pod is healthy (status.disruptionsAllowed). */
  readonly allowed: number;
  /** How the budget reads for a message: "minAvailable 51% of 1 pod = 1". */
  readonly explanation: string;
}

/**
 * What a budget allows over `pods` pods of one controller, all of them healthy. maxUnavailable wins when both are
 * set (the API server rejects that combination anyway). A budget with neither field allows every disruption:
 * undefined.
 */
export function disruptionArithmetic(budget: DisruptionBudget, pods: number): DisruptionArithmetic | undefined {
  const field = budget.maxUnavailable !== undefined ? 'maxUnavailable' : budget.minAvailable !== undefined ? 'minAvailable' : undefined;
  if (field === undefined) return undefined;
  const value = budget[field]!;
  const scaled = scaledValue(value, pods, true);
  const desiredHealthy = field === 'maxUnavailable' ? Math.max(0, pods - scaled) : scaled;
  const shown = describeIntOrPercent(value);
  return {
    expected: pods,
    desiredHealthy,
    allowed: allowed(pods, desiredHealthy),
    explanation: value.kind === 'percent' ? `${field} ${shown} of ${plural(pods, 'pod')} = ${scaled} (rounded up)` : `${field} ${shown}`,
  };
}

function allowed(healthy: number, desiredHealthy: number): number {
  return healthy <= 0 ? 0 : Math.max(0, healthy - desiredHealthy);
}
