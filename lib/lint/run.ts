/**
 * The lint engine: schema pass, then the rules, over a set of manifests. `lint`, the constructs' synth-time
 * check and the cdk8s plugin all run this one function, so they can never disagree.
 */
import { validateSchema, type SchemaResult } from '../schema/validate';
import type { SchemaCheckOptions } from '../schema/document-check';
import type { DocumentCheck } from '../load/parallel';
import { DEFAULT_NAMESPACE, buildContext } from './context';
import { isSuppressed } from '../core/ignore';
import { LoadError, LoadOptions, LoadResult, loadNotes, loadPaths, loadText } from '../load/load';
import { objectRef } from '../core/object-ref';
import { shortenLongValues } from '../core/text';
import { effectiveSeverity, formatMessage, type ManifestRule, type RuleRegistry } from '../core/rule';
import type { Settings } from '../core/settings';
import { EVERY_OBJECT } from '../core/types';
import type { ClusterProfile, Finding, LintContext, LintReport, Manifest, Path, Severity } from '../core/types';

export type { RuleSetting } from '../core/settings';

/**
 * What a lint run needs: the rules, and the settings (resolved by lib/lint/settings.ts from flags, config file,
 * plugin properties or synth-time context). Every setting reaches the engine through here.
 */
export interface LintOptions extends Settings {
  /** The rules: every rule of the registry runs unless a setting turns it off (lib/rules `registry`). */
  readonly registry: RuleRegistry;
  /** What is known about the cluster; overrides the defaultStorageClass and provisioningClasses settings. */
  readonly cluster?: ClusterProfile;
}

/** The inputs could not be read (missing or unreadable paths, a file over the size limit). */
export class LintInputError extends Error {
  constructor(readonly errors: readonly LoadError[]) {
    super(errors.map((error) => error.message).join('\n'));
    this.name = 'LintInputError';
  }
}

/** A rule threw: a bug in the rule, reported with where it happened. */
export class RuleCrashError extends Error {
  constructor(rule: string, manifest: Manifest, cause: unknown) {
    const { line, column } = manifest.locate([]);
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`internal error: rule ${rule} failed on ${manifest.file}:${line}:${column}: ${why}`);
    this.name = 'RuleCrashError';
  }
}

/** What the engine records of one finding: its text, where it points, and a severity other than the rule's. */
interface Emitted {
  readonly message: string;
  readonly path?: Path;
  readonly severity?: Severity;
  readonly manifest?: Manifest;
}

interface Emit {
  (rule: string, defaultSeverity: Severity, checked: Manifest, finding: Emitted): void;
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);
}

/** The cluster profile the settings describe (`defaultStorageClass: none` declares a cluster without one). */
function clusterOf(settings: { defaultStorageClass?: string; provisioningClasses?: readonly string[] }): ClusterProfile {
  const { defaultStorageClass, provisioningClasses } = settings;
  return {
    ...(defaultStorageClass === undefined ? {} : { defaultStorageClass: defaultStorageClass === 'none' ? null : defaultStorageClass }),
    ...(provisioningClasses === undefined ? {} : { provisioningClasses }),
  };
}

/** Lints what a loader produced: its findings, then schema and rules over its manifests. */
export function lintLoaded(loaded: Omit<LoadResult, 'errors'>, options: LintOptions): LintReport {
  const settings = options.rules ?? {};
  const severityOf = (rule: string, preferred: Severity) => effectiveSeverity(settings, rule, preferred);
  const findings: Finding[] = [];
  for (const finding of loaded.findings) {
    const severity = severityOf(finding.rule, finding.severity);
    if (severity) findings.push({ ...finding, severity });
  }
  const ruleNotes: string[] = [];
  const context = buildContext(loaded.manifests, options.defaultNamespace ?? DEFAULT_NAMESPACE, {
    cluster: options.cluster ?? clusterOf(options),
    complete: options.complete,
    notes: ruleNotes,
  });
  // Only an object with a kind has an effective namespace: without one, whether it is cluster-scoped is unknown.
  const effectiveNamespace = (m: Manifest) => (typeof m.object.kind === 'string' ? context.namespaceOf(m) : undefined);
  const emit: Emit = (rule, defaultSeverity, checked, ruleFinding) => {
    const target = ruleFinding.manifest ?? checked;
    const severity = severityOf(rule, ruleFinding.severity ?? defaultSeverity);
    if (severity === undefined || isSuppressed(rule, checked, target)) return;
    const { line, column } = target.locate(ruleFinding.path ?? []);
    findings.push({
      rule,
      severity,
      message: shortenLongValues(ruleFinding.message),
      file: target.file,
      line,
      column,
      object: objectRef(target.object, effectiveNamespace(target)),
      ...(target.template ? { template: target.template } : {}),
    });
  };

  const schema = schemaPass(loaded, options, emit);
  for (const rule of options.registry.manifestRules) {
    if (settings[rule.id] === 'off') continue;
    runRule(rule, context, schema, emit);
  }

  findings.sort(compareFindings);
  const notes = [...loadNotes(loaded), ...schema.notes, ...ruleNotes];
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return {
    findings,
    summary: {
      files: loaded.files,
      documents: loaded.documents,
      errors,
      warnings: findings.length - errors,
      skipped: schema.skipped,
      ...(notes.length > 0 ? { notes } : {}),
    },
    inputs: loaded.inputs,
  };
}

/** The objects a rule's `kinds` select: built-in objects of those kinds (see LintContext.byKind), or every object. */
function checkedBy(rule: ManifestRule, context: LintContext, unserved: ReadonlySet<Manifest>): readonly Manifest[] {
  if (rule.kinds.includes(EVERY_OBJECT)) {
    const withKind = context.manifests.filter((m) => typeof m.object.kind === 'string');
    return unserved.size === 0 ? withKind : withKind.filter((m) => !unserved.has(m));
  }
  return rule.kinds.flatMap((kind) => context.byKind(kind));
}

function runRule(rule: ManifestRule, context: LintContext, schema: SchemaPass, emit: Emit): void {
  // Rules are objects of many shapes: what the loop needs is read from the rule once, not once per manifest.
  const { id, severity } = rule;
  const check = rule.check.bind(rule);
  for (const manifest of checkedBy(rule, context, schema.unserved)) {
    let results: Emitted[];
    try {
      const reports = check(manifest, context);
      if (reports.length === 0) continue;
      results = reports.map(({ messageId, data, ...placement }) => ({
        ...placement,
        message: formatMessage(rule, messageId, data),
      }));
    } catch (error) {
      // An object the schema pass already rejected may be shaped in ways a rule does not expect.
      if (schema.invalid.has(manifest)) continue;
      throw new RuleCrashError(id, manifest, error);
    }
    for (const result of results) emit(id, severity, manifest, result);
  }
}

interface SchemaPass {
  readonly invalid: ReadonlySet<Manifest>;
  /** Objects at an apiVersion Kubernetes 1.28 does not serve: the schema finding is all they get. */
  readonly unserved: ReadonlySet<Manifest>;
  readonly skipped: number;
  readonly notes: string[];
}

/** The id of the findings of the schema pass (the registry gives its severity). */
const SCHEMA = 'schema';

/**
 * The schema pass as a check the loader's threads run on each document they parse (lib/load/parallel.ts), so the
 * main thread is left the rules; undefined when the run checks no schema.
 */
export function schemaCheck(options: LintOptions): DocumentCheck | undefined {
  if (options.rules?.schema === 'off') return undefined;
  const checkOptions: SchemaCheckOptions = options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion };
  return { module: require.resolve('../schema/document-check'), options: checkOptions };
}

/** The threads' schema results, when they checked with what this run would check with. */
function precomputed(loaded: Omit<LoadResult, 'errors'>, options: LintOptions): ReadonlyMap<Manifest, unknown> | undefined {
  const wanted = schemaCheck(options);
  const by = loaded.checks?.by;
  const same = wanted !== undefined && by !== undefined && by.module === wanted.module &&
    JSON.stringify(by.options) === JSON.stringify(wanted.options);
  return same ? loaded.checks!.results : undefined;
}

function schemaPass(loaded: Omit<LoadResult, 'errors'>, options: LintOptions, emit: Emit): SchemaPass {
  const { manifests } = loaded;
  const checked = precomputed(loaded, options);
  const invalid = new Set<Manifest>();
  const unserved = new Set<Manifest>();
  const unknownKinds = new Map<string, number>();
  const offByDefault = new Map<string, number>();
  let skipped = 0;
  const severity = options.registry.get(SCHEMA)?.severity ?? 'error';
  const report = (manifest: Manifest, path: Path, message: string, warning?: 'warning') => {
    if (warning === undefined) invalid.add(manifest);
    emit(SCHEMA, warning ?? severity, manifest, { path, message });
  };
  const enabled = options.rules?.schema !== 'off';
  for (const manifest of manifests) {
    if (!enabled) break;
    const result = (checked?.get(manifest) as SchemaResult | undefined) ?? validateSchema(manifest.object, options.kubernetesVersion);
    switch (result.status) {
      case 'valid':
        if (result.note !== undefined) offByDefault.set(result.note, (offByDefault.get(result.note) ?? 0) + 1);
        break;
      case 'invalid':
        for (const error of result.errors) report(manifest, error.path, error.message, error.severity);
        break;
      case 'unserved':
        unserved.add(manifest);
        report(manifest, result.path, result.message);
        break;
      case 'unknown':
        if (options.failOnUnknownKinds) {
          report(manifest, ['kind'], `${result.message} (unknown kinds fail this run: --fail-on-unknown-kinds)`);
        } else {
          skipped++;
          unknownKinds.set(result.message, (unknownKinds.get(result.message) ?? 0) + 1);
        }
        break;
    }
  }
  const counted = ([message, count]: [string, number]) => (count > 1 ? `${message} (${count} objects)` : message);
  const notes = [...(options.ignoreMissingSchemas ? [] : [...unknownKinds].map(counted)), ...[...offByDefault].map(counted)];
  return { invalid, unserved, skipped, notes };
}

/** Lints Kubernetes objects already in memory (as the constructs do after synth). */
export function lintManifests(manifests: readonly Manifest[], options: LintOptions): LintReport {
  const files = new Set(manifests.map((manifest) => manifest.file));
  const documents = new Set(manifests.map((manifest) => `${manifest.file}\u0000${manifest.docIndex}`));
  return lintLoaded(
    { manifests: [...manifests], findings: [], files: files.size, documents: documents.size, inputs: [...files] },
    options,
  );
}

export interface LintPathsOptions extends LintOptions, LoadOptions {}

/** Loads files for {@link lintLoaded}: the loader's threads, when there are any, run the schema pass too. */
export function loadForLint(paths: readonly string[], options: LintPathsOptions): Promise<LoadResult> {
  return loadPaths(paths, { ...options, check: schemaCheck(options) });
}

/**
 * Lints files, directories and `-` (stdin).
 * @throws LintInputError when a path cannot be read
 */
export async function lintPaths(paths: readonly string[], options: LintPathsOptions): Promise<LintReport> {
  const loaded = await loadForLint(paths, options);
  if (loaded.errors.length > 0) throw new LintInputError(loaded.errors);
  return lintLoaded(loaded, options);
}

/**
 * The YAML `cdk8s synth` writes for these objects: cdk8s's `Yaml.stringify` with the same options, so line
 * numbers agree with dist/ (written here rather than imported, so `lint` does not load cdk8s).
 */
export function renderObjects(objects: readonly unknown[]): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { stringify } = require('yaml') as typeof import('yaml'); // loaded here: `lint` on files never renders
  const options = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;
  return objects.map((object) => (object === undefined ? '\n' : stringify(object, options))).join('---\n');
}

/**
 * Lints objects in memory (a chart's `toJson()` output, the cdk8s plugin's manifests). They are rendered as
 * `cdk8s synth` renders them and that text is linted, so findings carry the line and column the object has in
 * the file synth writes; pass that file's name (e.g. `dist/myapp.k8s.yaml`) as `file`.
 */
export function lintObjects(objects: readonly unknown[], file: string, options: LintOptions): LintReport {
  return lintLoaded(loadText(renderObjects(objects), file), options);
}
