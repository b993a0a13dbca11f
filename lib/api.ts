/**
 * The entry points a program calls: the lint and diff engines with the rule registry of lib/rules. The engines
 * receive their rules; this is where the tools' own registry is handed to them.
 */
import { catalogueOf, type RuleRegistry } from './core/rule';
import type { LintReport, Manifest, RuleInfo } from './core/types';
import * as diff from './diff';
import * as lint from './lint/run';
import { registry as defaultRegistry } from './rules';

type WithRegistry<T> = Omit<T, 'registry'>;

function bound<T extends { registry: RuleRegistry }>(options: WithRegistry<T> | undefined): T {
  return { ...options, registry: defaultRegistry } as T;
}

export type LintOptions = WithRegistry<lint.LintOptions>;
export type LintPathsOptions = WithRegistry<lint.LintPathsOptions>;
export type DiffOptions = WithRegistry<diff.DiffOptions>;
export type TextDiffOptions = WithRegistry<diff.TextDiffOptions>;
export type GitBaseOptions = WithRegistry<diff.GitBaseOptions>;

/**
 * Lints files, directories and `-` (stdin).
 * @throws LintInputError when a path cannot be read
 */
export function lintPaths(paths: readonly string[], options?: LintPathsOptions): Promise<LintReport> {
  return lint.lintPaths(paths, bound(options));
}

/** Lints Kubernetes objects already in memory, with their source positions (as the loader gives them). */
export function lintManifests(manifests: readonly Manifest[], options?: LintOptions): LintReport {
  return lint.lintManifests(manifests, bound(options));
}

/** Lints objects in memory (a chart's `toJson()`), located as `cdk8s synth` writes them to `file`. */
export function lintObjects(objects: readonly unknown[], file: string, options?: LintOptions): LintReport {
  return lint.lintObjects(objects, file, bound(options));
}

/** Compare two files or directories of YAML. @throws DiffInputError when a path cannot be read */
export function diffPaths(oldPath: string, newPath: string, options?: DiffOptions): Promise<diff.DiffReport> {
  return diff.diffPaths(oldPath, newPath, bound(options));
}

/** Compare two YAML texts, e.g. the previous `dist/app.k8s.yaml` with `app.synthYaml()`. */
export function diffTexts(oldText: string, newText: string, options?: TextDiffOptions): diff.DiffReport {
  return diff.diffTexts(oldText, newText, bound(options));
}

/** Compare PATHs as committed at `ref` with the same PATHs in the working tree. */
export function diffGitBase(ref: string, paths: readonly string[], options?: GitBaseOptions): Promise<diff.DiffReport> {
  return diff.diffGitBase(ref, paths, bound(options));
}

/** Every rule `lint` and `diff` report, with severity, description and remediation. */
export function ruleCatalogue(): RuleInfo[] {
  return catalogueOf(defaultRegistry);
}
