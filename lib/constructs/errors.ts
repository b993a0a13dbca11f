/**
 * Errors thrown by the constructs for bad arguments: they name the construct and say what to do,
 * e.g. `StatefulApp "myapp": replicas is -1; set a whole number >= 0`.
 */

export function constructError(construct: string, name: string, problem: string): Error {
  return new Error(`${construct} "${name}": ${problem}`);
}

/** A DNS-1123 label close to `value`, to suggest in messages: lower-case, invalid characters replaced by '-'. */
export function suggestDns1123Label(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return cleaned === '' ? 'app' : cleaned;
}

export const DNS1123_LABEL_RULE =
  "a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
