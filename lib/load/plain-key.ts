/**
 * The JSON key a YAML key becomes, as sigs.k8s.io/yaml spells it. Kept apart from decode.ts so that the fast first
 * pass (fast-parse.ts) reads keys without loading the `yaml` package.
 */
import { resolveScalar } from './resolve';

/** Go's strconv.FormatFloat(f, 'g', -1, 32): how sigs.k8s.io/yaml spells a float key. */
export function float32Key(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  const f = Math.fround(value);
  if (f === Number.POSITIVE_INFINITY) return '.inf';
  if (f === Number.NEGATIVE_INFINITY) return '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let mantissa = '';
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const text = f.toExponential(precision - 1);
    if (Math.fround(Number(text)) === f) {
      const [m, e] = text.split('e');
      mantissa = m;
      exponent = Number(e);
      break;
    }
  }
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '');
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}


/** An integer key as Go prints it (beyond 2^53 through BigInt, as go-yaml keeps int64). */
export function intKey(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

/** The JSON key an unquoted, untagged key becomes (`on` → `true`, `0x10` → `16`); the text itself for most keys. */
export function plainKeyText(text: string): string {
  const first = text[0];
  if (first !== undefined && !/[-+0-9.yYnNtTfFoO~]/.test(first)) return text;
  const resolution = resolveScalar(text, true, '');
  if ('error' in resolution) return text;
  const { kind, value } = resolution.resolved;
  if (kind === 'int') return intKey(value as number);
  if (kind === 'float') return float32Key(value as number);
  return String(value);
}
