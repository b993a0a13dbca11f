/**
 * cdk8s-stateful: typed cdk8s constructs for stateful workloads, and the lint/diff entry points they share with the
 * CLI and the cdk8s plugin. Everything else under lib/ is internal and may change without notice.
 */
// Constructs
export * from './constructs';

// Lint and diff
export {
  lintPaths,
  lintObjects,
  lintManifests,
  diffPaths,
  diffTexts,
  diffGitBase,
  ruleCatalogue,
  type LintOptions,
  type LintPathsOptions,
  type DiffOptions,
  type TextDiffOptions,
  type GitBaseOptions,
} from './api';
export { loadText, type LoadResult, type LoadError } from './load/load';
export { LintInputError, RuleCrashError, type RuleSetting } from './lint/run';
export { ConfigError } from './lint/settings';
export type { Settings } from './core/settings';
export { DiffInputError, type DiffReport, type DiffSummary, type ObjectChange, type ChangeStatus } from './diff';
export { IGNORE_ANNOTATION } from './core/ignore';
export type {
  Finding, LintReport, Manifest, ObjectRef, Path, Position, ReportSummary, RuleInfo, RulePhase, Severity,
} from './core/types';

// Reporting
export { formatReport, REPORT_FORMATS, isReportFormat, type ReportFormat, type FormatOptions } from './report';

// cdk8s-cli validation plugin
export { StatefulLintValidation, type StatefulLintProperties } from './cdk8s-plugin';
