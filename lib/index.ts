/**
 * cdk8s-stateful: typed cdk8s constructs for stateful workloads, and the lint/diff engine they share with the CLI.
 */
// Constructs
export * from './constructs';

// Kubernetes semantics
export * from './k8s/names';
export { isClusterScoped, clusterScopedKinds } from './k8s/kinds';
export * from './k8s/quantity';
export * from './k8s/selector';
export * from './k8s/binder';

// Lint engine
export type * from './core/types';
export { loadText, loadPaths, DEFAULT_MAX_FILE_SIZE, type LoadResult, type LoadError, type LoadOptions } from './load/load';
export { buildContext, DEFAULT_NAMESPACE } from './lint/context';
export { IGNORE_ANNOTATION, ignoredRules, isSuppressed } from './core/ignore';
export { ENGINE_RULES, ruleCatalogue } from './lint/catalogue';
export {
  lintManifests,
  lintPaths,
  lintObjects,
  lintLoaded,
  renderObjects,
  LintInputError,
  RuleCrashError,
  type LintOptions,
  type LintPathsOptions,
  type RuleSetting,
} from './lint/run';
export { loadConfig, parseConfig, parseRuleOption, ConfigError, type LintConfig } from './lint/config';
export { allRules } from './rules';

// Reporting
export { formatReport, REPORT_FORMATS, isReportFormat, type ReportFormat, type FormatOptions } from './report';

// Change safety
export * from './diff';

// CLI (programmatic)
export { runCli, type CliIo } from './cli/run-cli';

// cdk8s-cli validation plugin
export * from './cdk8s-plugin';
