/** Wording helpers every layer may use. */

/** `1 claim`, `3 claims` (`many` for an irregular plural, e.g. `2 indices`). */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}

const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\r': '\\r', '\u001b': '\\e' };

/**
 * Text from the user's files made safe for a terminal: control characters (an escape sequence in a YAML key
 * could retitle the window or hide output, a carriage return overwrite the line) and bidirectional overrides are
 * spelled out (`\e`, `\x07`, `\r`, `\u202e`). Line breaks and tabs are layout, and stay.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** A word or quoted value this long is input echoed back, not wording. */
const LONG_TOKEN = /"[^"\s\\]{100,}"|[^\s"]{150,}/g;

/**
 * A message with every very long value from the input shortened (`"xxxx..." (100000 characters)`): a 50 MB
 * value must not be printed back whole, once per rule that quotes it.
 */
export function shortenLongValues(message: string): string {
  return message.replace(LONG_TOKEN, (token) => {
    const quoted = token.startsWith('"');
    const inner = quoted ? token.slice(1, -1) : token;
    return `${quoted ? '"' : ''}${inner.slice(0, 40)}...${quoted ? '"' : ''} (${inner.length} characters)`;
  });
}

/** `value` as a literal inside a regular expression. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** V8 makes a substring of this many characters or more a view into its parent string rather than a copy. */
const SHORTEST_VIEW = 13;

/**
 * `value` as a string of its own. A substring of a file's text is a view that keeps the whole text alive for as long
 * as the value lives: values read from 50,000 documents held 90 MB of file texts that nothing else needed.
 */
export function unshared(value: string): string {
  // Concatenating makes a new string; slicing it copies the characters out of the text into that new string.
  return value.length < SHORTEST_VIEW ? value : (` ${value}`).slice(1);
}
