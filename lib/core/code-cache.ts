/**
 * CommonJS files run with the V8 code cache the build wrote beside them (`<file>.cache`, scripts/code-cache.ts):
 * V8 then skips parsing and compiling what the cache holds, which is most of a cold start's time. A cache never
 * outlives its file: gen-schemas clears the generated directory, and the bundle step removes the old caches before
 * it writes the bundle and new caches. V8 rejects a cache of another V8 version, other flags or a source of another length;
 * the file is then compiled as `require` would, silently. Nothing is ever written at run time.
 */
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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

let scratch: Buffer | undefined;

/**
 * A buffer of at least `size` bytes for reading a module and its cache, the same one each time it is large enough:
 * the bundle's (the largest file a run reads) is then reused for every validator, whose own buffers would be ~100
 * fresh pages in a one-file lint. Its bytes are copied into a string or handed to V8 before the next read.
 */
function scratchOf(size: number): Buffer {
  if (scratch === undefined || scratch.length < size) scratch = Buffer.allocUnsafe(size);
  return scratch;
}

/** Reads `length` bytes of `fd` into `buffer` at `offset`, or as many as there are; returns how many. */
function readInto(fd: number, buffer: Buffer, offset: number, length: number): number {
  let done = 0;
  for (let read = -1; read !== 0 && done < length; done += read) read = readSync(fd, buffer, offset + done, length - done, null);
  return done;
}

/** `use` of the open file's descriptor and size. */
function withFile<T>(file: string, use: (fd: number, size: number) => T): T {
  const fd = openSync(file, 'r');
  try {
    return use(fd, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

/**
 * `wrapCommonJs` of `filename`'s text, and the buffer it was read through (free for other bytes once the text is a
 * string). An ASCII file (the bundle is one; so are the generated validators) is read into one buffer between the
 * wrapper's ends and decoded as Latin-1, which for ASCII is the same text: the text is copied once on the way.
 * Reading it as UTF-8 and wrapping it copies it three times (Node's read buffer, grown by doubling; the decoded
 * string; the flat string V8 makes of the wrapped one), and each copy of the 800 KB bundle is ~200 fresh pages:
 * 590 page faults, and 1,070 with its compilation, of a one-file lint's ~2,400 (issue 13).
 */
function readCode(filename: string): { readonly code: string; readonly buffer: Buffer } {
  return withFile(filename, (fd, size) => {
    const buffer = scratchOf(WRAPPER_HEAD.length + size + WRAPPER_TAIL.length);
    const start = buffer.write(WRAPPER_HEAD, 'latin1');
    let end = start + readInto(fd, buffer, start, size);
    const text = buffer.subarray(start, end);
    if (!isAscii(text)) return { code: wrapCommonJs(text.toString('utf8')), buffer };
    end += buffer.write(WRAPPER_TAIL, end, 'latin1');
    return { code: buffer.toString('latin1', 0, end), buffer };
  });
}

/** `wrapCommonJs` of `filename`'s text, read as `requireWithCodeCache` reads it. */
export function wrappedCodeOf(filename: string): string {
  return readCode(filename).code;
}

/**
 * `filename`'s cache, if the build wrote one, read into `free` when it fits (a cache is smaller than its code):
 * pages already touched, where a buffer of its own would be ~140 fresh ones for the bundle's.
 */
function cacheOf(filename: string, free: Buffer): Buffer | undefined {
  try {
    return withFile(cacheFileOf(filename), (fd, size) => {
      const buffer = size <= free.length ? free : Buffer.allocUnsafe(size);
      return buffer.subarray(0, readInto(fd, buffer, 0, size));
    });
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
  const { code, buffer } = readCode(filename);
  const script = new Script(code, { filename, cachedData: cacheOf(filename, buffer) });
  recorded?.set(filename, script);
  return runModule(filename, script.runInThisContext() as CommonJsFunction, NodeModule.createRequire);
}
