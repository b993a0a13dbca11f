/**
 * Loading the two revisions a diff compares: two paths (files or directories), or PATHs as committed at a git
 * REF against the same PATHs in the working tree. Loading goes through lib/lint/load, like `lint`.
 */
import { execFile } from 'node:child_process';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadPaths, loadText, type LoadOptions, type LoadResult } from '../load/load';
import { membershipPlans, type MembershipPlan } from './membership';
import { diffManifests } from './run';
import type { DiffOptions, DiffReport } from './types';

/** The diff cannot run (unreadable path, not a git repository, unknown revision): exit code 2, no stack trace. */
export class DiffInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffInputError';
  }
}

function failOnErrors(result: LoadResult): LoadResult {
  if (result.errors.length > 0) throw new DiffInputError(result.errors.map((error) => error.message).join('\n'));
  return result;
}

function report(old: LoadResult, current: LoadResult, options: DiffOptions, oldRevision?: string): DiffReport {
  return diffManifests(old.manifests, current.manifests, {
    ...options,
    loadFindings: current.findings,
    oldLoadFindings: old.findings,
    inputs: [...old.inputs, ...current.inputs],
    documents: old.documents + current.documents,
    oldRevision,
  });
}

/** Options of a diff that reads files: the rules and settings, and how to read (`-` is stdin). */
export interface DiffPathsOptions extends DiffOptions, LoadOptions {}

/** Compare two files or directories of YAML (directories: every *.yaml / *.yml below, as `lint` reads them). */
export async function diffPaths(oldPath: string, newPath: string, options: DiffPathsOptions): Promise<DiffReport> {
  const old = failOnErrors(await loadPaths([oldPath], options));
  const current = failOnErrors(await loadPaths([newPath], options));
  return report(old, current, options);
}

export interface TextDiffOptions extends DiffOptions {
  /** Names the revisions' findings carry (default `old.yaml` and `new.yaml`). */
  readonly oldName?: string;
  readonly newName?: string;
}

/**
 * Compare two YAML texts, e.g. the previous `dist/app.k8s.yaml` with what a cdk8s app synthesizes now
 * (`app.synthYaml()`). Unreadable YAML is reported as findings, as for files.
 */
export function diffTexts(oldText: string, newText: string, options: TextDiffOptions): DiffReport {
  const old = loadText(oldText, options.oldName ?? 'old.yaml');
  const current = loadText(newText, options.newName ?? 'new.yaml');
  return report(old, current, options);
}

export interface GitBaseOptions extends DiffOptions, LoadOptions {
  /** Directory the PATHs are relative to (default: process.cwd()). */
  readonly cwd?: string;
}

const MAX_GIT_OUTPUT = 256 * 1024 * 1024;
const GIT_MISSING = '--git-base needs git, which is not installed or not on PATH';

function git(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, maxBuffer: MAX_GIT_OUTPUT, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new DiffInputError(GIT_MISSING));
      }
      reject(new DiffInputError(String(stderr).trim() || error.message));
    });
  });
}

const YAML_FILE = /\.ya?ml$/i;
/** As the loader's directory walk: hidden directories and node_modules are not entered. */
const SKIPPED_SEGMENT = (segment: string): boolean => segment.startsWith('.') || segment === 'node_modules';

/** The YAML files under `rel` (a file or directory relative to the repository top) as committed at `ref`. */
async function committedFiles(ref: string, rel: string, top: string): Promise<string[]> {
  const listing = await git(['ls-tree', '-r', '--name-only', '--full-tree', '-z', ref, '--', rel || '.'], top);
  return listing.split('\0').filter((file) => {
    if (file === rel) return true; // named explicitly: read whatever its extension, as the loader does
    if (file === '' || !YAML_FILE.test(file)) return false;
    const below = rel ? file.slice(rel.length) : file;
    return !below.split('/').slice(0, -1).some(SKIPPED_SEGMENT);
  });
}

/** `absolute` with symlinks resolved in the part that exists (git prints the top of a repository resolved). */
function realPath(absolute: string): string {
  try {
    return realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPath(parent), path.basename(absolute));
  }
}

/** The directory git starts from for PATH: PATH itself, or the nearest existing directory above it. */
function nearestDirectory(target: string): string {
  let dir = target;
  while (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}

/** The top of the git repository holding `dir`, with `ref` checked to name a commit there. */
async function repositoryTop(ref: string, dir: string, shown: string): Promise<string> {
  let top: string;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], dir)).trim();
  } catch (error) {
    if (error instanceof DiffInputError && error.message === GIT_MISSING) throw error;
    throw new DiffInputError(`${shown}: not inside a git repository; --git-base compares PATH with its committed version`);
  }
  try {
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top);
  } catch {
    throw new DiffInputError(`--git-base ${ref}: unknown revision in the git repository at ${top}`);
  }
  return top;
}

/**
 * Load PATHs as committed at `ref`. A file is named as its working-tree copy would be (`dist/app.k8s.yaml`, below
 * the PATH as given), so findings on removed objects point at a real path; each finding carries `revision: ref`.
 * Each PATH is looked up in the repository that holds it, not the one holding the working directory.
 */
export async function loadAtRevision(ref: string, paths: readonly string[], cwd = process.cwd()): Promise<LoadResult> {
  const result: LoadResult = { manifests: [], findings: [], errors: [], files: 0, documents: 0, inputs: [] };
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const top = await repositoryTop(ref, nearestDirectory(absolute), absolute);
    const rel = path.relative(top, realPath(absolute)).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new DiffInputError(`${given}: outside the git repository at ${top}`);
    }
    for (const file of await committedFiles(ref, rel, top)) {
      const name = file === rel ? given : path.join(given, path.posix.relative(rel, file));
      const loaded = loadText(await git(['show', `${ref}:${file}`], top), name);
      result.manifests.push(...loaded.manifests);
      result.findings.push(...loaded.findings.map((finding) => ({ ...finding, revision: ref })));
      result.inputs.push(`${ref}:${name}`);
      result.files += loaded.files;
      result.documents += loaded.documents;
    }
  }
  return result;
}

/**
 * PATHs in the working tree. A PATH that is gone, or a directory without YAML files, is an empty revision: every
 * object it held at REF was removed (a build that wrote nothing, a deleted dist/).
 */
async function loadWorkingTree(paths: readonly string[], options: LoadOptions): Promise<LoadResult> {
  const present = paths.filter(exists);
  const readableDirectories = new Set(present.filter(isReadableDirectory));
  const loaded = await loadPaths(present, options);
  const errors = loaded.errors.filter((error) => !readableDirectories.has(error.file));
  return failOnErrors({ ...loaded, errors });
}

function exists(target: string): boolean {
  return statSync(target, { throwIfNoEntry: false }) !== undefined;
}

function isReadableDirectory(target: string): boolean {
  try {
    readdirSync(target);
    return true;
  } catch {
    return false;
  }
}

/** Compare PATHs as committed at `ref` with the same PATHs in the working tree (`--git-base origin/main dist/`). */
export async function diffGitBase(ref: string, paths: readonly string[], options: GitBaseOptions): Promise<DiffReport> {
  const cwd = options.cwd ?? process.cwd();
  const targets = options.cwd ? paths.map((p) => path.resolve(cwd, p)) : paths;
  const old = await loadAtRevision(ref, targets, cwd);
  const current = await loadWorkingTree(targets, options);
  const committed = old.inputs.map((input) => input.slice(ref.length + 1));
  const absent = targets.find((target) => !exists(target) && !committed.some((file) => isUnder(file, target)));
  // A typo in PATH would otherwise compare nothing with nothing and pass.
  if (absent !== undefined) throw new DiffInputError(`${absent}: neither in the working tree nor at ${ref}`);
  return report(old, current, options, ref);
}

/** Whether `file` (as loadAtRevision names it) is `target` or lies below it. */
function isUnder(file: string, target: string): boolean {
  const root = path.normalize(target);
  return root === '.' || file === root || file.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`);
}

/**
 * The membership changes between two files or directories: what `cdk8s-stateful plan` prints. A revision that
 * does not parse cannot be planned from: its syntax errors stop the plan (exit 2) rather than hide a change.
 */
export async function planPaths(oldPath: string, newPath: string, options: LoadOptions & { readonly defaultNamespace?: string }): Promise<MembershipPlan[]> {
  const [old, current] = [failOnErrors(await loadPaths([oldPath], options)), failOnErrors(await loadPaths([newPath], options))];
  const broken = [...old.findings, ...current.findings].filter((finding) => finding.severity === 'error');
  if (broken.length > 0) {
    throw new DiffInputError(broken.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}`).join('\n'));
  }
  return membershipPlans(old.manifests, current.manifests, options.defaultNamespace ?? 'default');
}
