/**
 * Loading the two revisions a diff compares: two paths (files or directories), or PATHs as committed at a git
 * REF against the same PATHs in the working tree. Loading goes through lib/lint/load, like `lint`.
 */
import { execFile } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadPaths, loadText, type LoadResult } from '../load/load';
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

function report(old: LoadResult, current: LoadResult, options: DiffOptions): DiffReport {
  return diffManifests(old.manifests, current.manifests, {
    ...options,
    loadFindings: [...old.findings, ...current.findings],
    inputs: [...old.inputs, ...current.inputs],
    documents: old.documents + current.documents,
  });
}

/** Compare two files or directories of YAML (directories: every *.yaml / *.yml below, as `lint` reads them). */
export async function diffPaths(oldPath: string, newPath: string, options: DiffOptions): Promise<DiffReport> {
  const old = failOnErrors(await loadPaths([oldPath]));
  const current = failOnErrors(await loadPaths([newPath]));
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

export interface GitBaseOptions extends DiffOptions {
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
 * Load PATHs as committed at `ref`; files are named `REF:path/from/repo/top.yaml`. Each PATH is looked up in the
 * repository that holds it, not the one holding the working directory.
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
      const loaded = loadText(await git(['show', `${ref}:${file}`], top), `${ref}:${file}`);
      result.manifests.push(...loaded.manifests);
      result.findings.push(...loaded.findings);
      result.inputs.push(...loaded.inputs);
      result.files += loaded.files;
      result.documents += loaded.documents;
    }
  }
  return result;
}

/** Compare PATHs as committed at `ref` with the same PATHs in the working tree (`--git-base origin/main dist/`). */
export async function diffGitBase(ref: string, paths: readonly string[], options: GitBaseOptions): Promise<DiffReport> {
  const cwd = options.cwd ?? process.cwd();
  const old = await loadAtRevision(ref, paths, cwd);
  const current = failOnErrors(await loadPaths(options.cwd ? paths.map((p) => path.resolve(cwd, p)) : paths));
  return report(old, current, options);
}
