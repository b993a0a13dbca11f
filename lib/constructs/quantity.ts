import { Size, SizeRoundingBehavior } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { constructError } from './errors';

const BINARY_UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['Pi', 1n << 50n],
  ['Ti', 1n << 40n],
  ['Gi', 1n << 30n],
  ['Mi', 1n << 20n],
  ['Ki', 1n << 10n],
];

/** The exact number of bytes of a Size, or undefined when it is not a whole number of bytes. */
export function sizeInBytes(size: Size): bigint | undefined {
  const kibibytes = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isFinite(kibibytes)) {
    return undefined;
  }
  if (Number.isInteger(kibibytes)) {
    return BigInt(kibibytes) * 1024n;
  }
  const bytes = kibibytes * 1024;
  return Number.isInteger(bytes) ? BigInt(bytes) : undefined;
}

/** Bytes as a Kubernetes quantity in the largest binary unit that holds them exactly: 524288000 -> '500Mi'. */
export function formatBytes(bytes: bigint): string {
  for (const [suffix, factor] of BINARY_UNITS) {
    if (bytes >= factor && bytes % factor === 0n) {
      return `${bytes / factor}${suffix}`;
    }
  }
  return bytes.toString();
}

/**
 * A storage Size as an exact quantity string, checked: it must be a positive whole number of bytes.
 * `owner`/`name`/`field` name the construct and the prop in the error message.
 */
export function storageQuantity(size: Size, owner: string, name: string, field: string): string {
  const bytes = sizeInBytes(size);
  if (bytes === undefined) {
    throw constructError(owner, name, `${field} ${size.asString()} is not a whole number of bytes; use a size such as Size.mebibytes(500)`);
  }
  if (bytes === 0n) {
    throw constructError(owner, name, `${field} is zero; give a positive size such as Size.gibibytes(1)`);
  }
  return formatBytes(bytes);
}

/** An L1 Quantity from an exact string (a plain string through the L1 classes would become null). */
export function quantity(value: string): k8s.Quantity {
  return k8s.Quantity.fromString(value);
}
