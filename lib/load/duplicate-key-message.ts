/**
 * The words of a duplicate-key finding, for both readers: the `yaml` path (duplicate-keys.ts) and the fast first
 * pass (fast-parse.ts), which must not load the `yaml` package.
 */
import { resolveScalar } from './resolve';

/** How a kept scalar reads in the message: `5` as YAML reads a plain `5`, `"nginx"` for text (quoted or not). */
export function describeKeptScalar(text: string, plain: boolean): string {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  const resolution = plain ? resolveScalar(text, true, '') : undefined;
  const isString = resolution === undefined || ('resolved' in resolution && resolution.resolved.kind === 'str');
  return isString ? JSON.stringify(shown) : shown;
}

export const KEPT_MAPPING = 'a mapping';
export const KEPT_LIST = 'a list';

/** The finding on a key that repeats an earlier key of its mapping; `kept` describes the last value (which wins). */
export function duplicateKeyMessage(key: string, kept: string): string {
  return `duplicate key ${JSON.stringify(key)}; kubectl would silently keep the last value (${kept})`;
}
