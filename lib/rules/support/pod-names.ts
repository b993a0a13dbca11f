/**
 * Whether the strings of a linted set address a StatefulSet's pods by their per-pod DNS names (`web-0.nginx`): in a
 * peer list, a command, a config file, anywhere. Read once per run, in one walk over every object.
 */
import type { LintContext } from '../../core/types';
import { escapeRegExp } from '../../core/text';

/**
 * Whether a manifest of the set names a pod of this StatefulSet by its per-pod DNS name (`web-0.nginx`,
 * `web-0.nginx.default.svc.cluster.local`): in a peer list, a command, a config file. The name is
 * `<sts>-<digits>.<service>` between characters that cannot continue a host name ([a-z0-9-]).
 */
export function addressedByPodName(ctx: LintContext, statefulSet: string, service: string): boolean {
  if (HOST_NAME.test(statefulSet) && HOST_NAME.test(service)) {
    // Such a name cannot span two strings: pairs of every string, read once per run (no joined text is kept).
    const pairs = ctx.memo('rules/sts-service/pod-names', () => {
      // Only StatefulSets of the set are asked about: the names of other hosts (`db-0.shop.svc`) are not kept.
      const names = new Set(ctx.byKind('StatefulSet').map((m) => m.object.metadata?.name));
      const found = new Set<string>();
      for (const m of ctx.manifests) forEachString(m.object, (value) => addPodNamePairs(value, found, names));
      return found;
    });
    return pairs.has(`${statefulSet}\u0000${service}`);
  }
  // Names with other characters (which the API server refuses anyway): found by their literal `<sts>-`.
  const text = ctx.memo('rules/sts-service/strings', () => ctx.manifests.flatMap((m) => stringsOf(m.object)).join('\n'));
  const rest = new RegExp(`\\d+\\.${escapeRegExp(service)}(?![a-z0-9-])`, 'y');
  const prefix = `${statefulSet}-`;
  for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 1)) {
    if (at > 0 && isHostCharacter(text.charCodeAt(at - 1))) continue;
    rest.lastIndex = at + prefix.length;
    if (rest.test(text)) return true;
  }
  return false;
}

const HOST_NAME = /^[a-z0-9-]*$/;

function isHostCharacter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d;
}

/**
 * Adds every `<a>-<digits>.<b>` in `text` where `<a>-<digits>` and `<b>` are whole runs of host-name characters, as
 * `<a>\0<b>` (only those whose `<a>` is one of `statefulSets`, when given): one pass, each character looked at a
 * bounded number of times.
 */
export function addPodNamePairs(text: string, pairs: Set<string>, statefulSets?: ReadonlySet<unknown>): void {
  for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    let dash = dot - 1;
    while (dash >= 0 && text.charCodeAt(dash) >= 0x30 && text.charCodeAt(dash) <= 0x39) dash--;
    if (dash === dot - 1 || dash < 0 || text.charCodeAt(dash) !== 0x2d) continue;
    let start = dash;
    while (start > 0 && isHostCharacter(text.charCodeAt(start - 1))) start--;
    const statefulSet = text.slice(start, dash);
    if (statefulSets !== undefined && !statefulSets.has(statefulSet)) continue;
    let end = dot + 1;
    while (end < text.length && isHostCharacter(text.charCodeAt(end))) end++;
    pairs.add(`${statefulSet}\u0000${text.slice(dot + 1, end)}`);
  }
}

/** Every string value in an object, without recursion (input may nest deeply). */
function stringsOf(root: unknown): string[] {
  const result: string[] = [];
  forEachString(root, (value) => result.push(value));
  return result;
}

/** Calls `visit` with every string value in an object, in stringsOf order, without recursion or copies. */
export function forEachString(root: unknown, visit: (value: string) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') visit(value);
    else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) stack.push(value[i]);
    else if (typeof value === 'object' && value !== null) {
      // for-in allocates nothing (Object.values would, for every mapping of every object); parsed mappings are
      // plain objects, which inherit no enumerable keys.
      for (const key in value) stack.push((value as Record<string, unknown>)[key]);
    }
  }
}
