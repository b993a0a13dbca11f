/**
 * The CLI's modules in one file: `npm run build` writes build/lib/cli/main.bundle.js (scripts/code-cache.ts), the
 * compiled modules of build/lib the CLI can reach, each as the function Node would wrap it in, keyed by its path
 * under build/lib, with a V8 code cache beside it. Starting from it reads two files instead of ~130 and resolves
 * no paths; the modules still run only when required, as their own file, with their own `__dirname` (so they find
 * the schemas and workers beside them), and are registered in `require.cache` under their own path. Requires the
 * bundle does not hold (node: builtins, packages, the generated validators) go to Node's `require` as before.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { NodeModule, requireWithCodeCache, runModule, type CommonJsFunction } from '../core/code-cache';

/** What the bundle exports: module path under build/lib (`cli/run-cli.js`) → the module. */
export type BundledModules = Readonly<Record<string, BundledModule>>;
interface BundledModule {
  /** Each relative require the module makes by a literal path (`../core/rule`) → the key of that module. */
  readonly requires: Readonly<Record<string, string>>;
  /** The module's code, as Node would wrap it. */
  readonly run: CommonJsFunction;
}

/** build/lib, the root the bundle's keys are relative to. */
const LIB = path.resolve(__dirname, '..');
export const BUNDLE_FILE = path.join(__dirname, 'main.bundle.js');

/** `key`'s file: LIB/key (keys are `/`-separated and normalised; no path.join per module, it shows in a cold start). */
function fileOf(key: string): string {
  return LIB + path.sep + (path.sep === '/' ? key : key.replaceAll('/', path.sep));
}

/**
 * The `require` a bundled module gets: its literal relative requires from the bundle, the rest from Node. A
 * builtin is the same module whoever requires it, so only a package makes the module a `require` of its own (a
 * createRequire costs ~50 µs, and most modules require `node:path` or `node:fs`).
 */
function requireOf(modules: BundledModules, key: string, filename: string): NodeJS.Require {
  const { requires } = modules[key];
  let nodeRequire: NodeJS.Require | undefined;
  const fromNode = () => (nodeRequire ??= NodeModule.createRequire(filename));
  const bundledRequire = (request: string) =>
    Object.hasOwn(requires, request) ? runBundled(modules, requires[request]) : NodeModule.isBuiltin(request) ? require(request) : fromNode()(request);
  const resolve = (request: string, options?: { paths?: string[] }) =>
    Object.hasOwn(requires, request) ? fileOf(requires[request]) : fromNode().resolve(request, options);
  resolve.paths = (request: string) => fromNode().resolve.paths(request);
  return Object.assign(bundledRequire, { resolve, cache: require.cache, main: require.main, extensions: require.extensions });
}

/** Runs `key` of `modules` (and what it requires), once per process, as `require` would run its file. */
export function runBundled(modules: BundledModules, key: string): unknown {
  return runModule(fileOf(key), modules[key].run, (filename) => requireOf(modules, key, filename));
}

/**
 * Whether the bundle holds the code of the files beside it: the bundle step writes it after `tsc`, and `tsc`, which
 * rewrites every file it compiles, makes the loader newer again (the files then run until the next bundle step).
 * Nothing edits compiled output. npm writes an installed package's files in the tarball's order, which puts
 * `cli/bundle.js` before `cli/main.bundle.js`, so the bundle runs there too; a `tsc` that emits only the files it
 * changed (`--watch`, `--incremental`) leaves the bundle newer: after one, run `npm run build`.
 */
function bundleIsCurrent(): boolean {
  const bundle = statSync(BUNDLE_FILE, { throwIfNoEntry: false });
  return bundle !== undefined && bundle.mtimeMs >= statSync(__filename).mtimeMs;
}

/** The exports of `key` (`cli/run-cli.js`) run from the bundle, or undefined when there is no current bundle. */
export function requireBundled(key: string): unknown {
  if (!bundleIsCurrent()) return undefined;
  let modules: BundledModules;
  try {
    modules = requireWithCodeCache(BUNDLE_FILE) as BundledModules;
  } catch {
    return undefined;
  }
  return Object.hasOwn(modules, key) ? runBundled(modules, key) : undefined;
}
