/**
 * CommonJS files run with the V8 code cache the build wrote beside them (`<file>.cache`, scripts/code-cache.ts):
 * V8 then skips parsing and compiling what the cache holds, which is most of a cold start's time. A cache never
 * outlives its file: gen-schemas clears the generated directory, and the bundle step removes the old caches before
 * it writes the bundle and new caches. V8 rejects a cache of another V8 version, other flags or a source of another length;
 * the file is then compiled as `require` would, silently. Nothing is ever written at run time.
 */
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { Script } from 'node:vm';

/**
 * Node's CommonJS `Module` class (what `node:module` exports), taken from this module's own record: loading
 * `node:module` would cost a cold start 0.4–0.5 ms.
 */
export const NodeModule = module.constructor as typeof import('node:module');

/** The cache file of `filename`. */
export function cacheFileOf(filename: string): string {
  return `${filename}.cache`;
}

const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

/** The text V8 compiles for a CommonJS file: the same at build and at run time, as a cache fits one text only. */
export function wrapCommonJs(source: string): string {
  return `${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`;
}

/**
 * `wrapCommonJs` of `filename`'s text. An ASCII file (the bundle is one; so are the generated validators) is read
 * into one buffer between the wrapper's ends and decoded as Latin-1, which for ASCII is the same text: the text is
 * copied once on the way. Reading it as UTF-8 and wrapping it copies it three times (Node's read buffer, grown by
 * doubling; the decoded string; the flat string V8 makes of the wrapped one), and each copy of the 800 KB bundle
 * is ~200 fresh pages: 590 page faults, and 1,070 with its compilation, of a one-file lint's ~2,400 (issue 13).
 */
export function wrappedCodeOf(filename: string): string {
  const fd = openSync(filename, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(WRAPPER_HEAD.length + size + WRAPPER_TAIL.length);
    const start = buffer.write(WRAPPER_HEAD, 'latin1');
    let end = start;
    for (let read = -1; read !== 0 && end < start + size; end += read) read = readSync(fd, buffer, end, start + size - end, null);
    const text = buffer.subarray(start, end);
    if (!isAscii(text)) return wrapCommonJs(text.toString('utf8'));
    end += buffer.write(WRAPPER_TAIL, end, 'latin1');
    return buffer.toString('latin1', 0, end);
  } finally {
    closeSync(fd);
  }
}

/** `filename`'s cache, if the build wrote one. */
function cacheOf(filename: string): Buffer | undefined {
  try {
    return readFileSync(cacheFileOf(filename));
  } catch {
    return undefined;
  }
}

let recorded: Map<string, Script> | undefined;

/**
 * Build time only (scripts/code-cache.ts): keeps every script `requireWithCodeCache` compiles from now on, so that
 * after a training run their caches hold what that run compiled.
 */
export function recordScripts(): ReadonlyMap<string, Script> {
  recorded = new Map();
  return recorded;
}

/** A CommonJS module's code as Node wraps it (`wrapCommonJs`). */
export type CommonJsFunction = (exports: unknown, require: NodeJS.Require, module: import('node:module'), filename: string, dirname: string) => void;

/**
 * Runs `code` as the module `filename`, as `require` runs a file: registered in `require.cache` before it runs (a
 * cycle back to it gets its exports so far, a later `require` of the same path gets the module) and removed again
 * if it throws. Returns its exports; a module already registered is not run again.
 */
export function runModule(filename: string, code: CommonJsFunction, requireOf: (filename: string) => NodeJS.Require): unknown {
  const loaded = require.cache[filename];
  if (loaded) return loaded.exports;
  const module = new NodeModule(filename, undefined);
  module.filename = filename;
  require.cache[filename] = module;
  try {
    code.call(module.exports, module.exports, requireOf(filename), module, filename, path.dirname(filename));
  } catch (error) {
    delete require.cache[filename];
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

/** `require(filename)` for an absolute path, with the file's code cache when it is usable (`runModule`). */
export function requireWithCodeCache(filename: string): unknown {
  const loaded = require.cache[filename];
  if (loaded) return loaded.exports;
  const script = new Script(wrappedCodeOf(filename), { filename, cachedData: cacheOf(filename) });
  recorded?.set(filename, script);
  return runModule(filename, script.runInThisContext() as CommonJsFunction, NodeModule.createRequire);
}
