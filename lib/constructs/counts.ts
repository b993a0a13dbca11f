/**
 * Counts the constructs take (replicas, ordinalsStart, headroom ...): int32 fields of the Kubernetes API that must
 * not be negative (k8s/validation.ts), and at most MAX_GENERATED_REPLICAS where the constructs generate one object
 * or name per replica, so that a typo such as `replicas: 1e9` fails with a message instead of exhausting memory.
 */
import { int32Problems } from '../k8s/validation';

/**
 * Most replicas (plus headroom) the constructs generate pod names, DNS names and NFS PersistentVolumes for. A
 * StatefulSet that large is far beyond what one chart of hand-provisioned volumes serves.
 */
export const MAX_GENERATED_REPLICAS = 10_000;

type Fail = (problem: string) => Error;

/** A whole number >= 0 that fits the API's int32. */
export function requireCount(value: number, field: string, fail: Fail): void {
  const [problem] = int32Problems(value);
  if (problem !== undefined && Number.isInteger(value)) throw fail(`${field} is ${value}: ${problem}`);
  if (!Number.isInteger(value) || value < 0) throw fail(`${field} is ${value}; set a whole number >= 0`);
}

/** A count of generated replicas: requireCount, and at most MAX_GENERATED_REPLICAS. */
export function requireGeneratedCount(value: number, field: string, fail: Fail, what: string): void {
  requireCount(value, field, fail);
  if (value > MAX_GENERATED_REPLICAS) {
    throw fail(
      `${field} is ${value}, more than the ${MAX_GENERATED_REPLICAS} the constructs generate ${what} for; ` +
        'check the number (a typo?), or split the workload',
    );
  }
}
