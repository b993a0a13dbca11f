/**
 * The constructs' synth-time check: the lint engine itself, run over every object the app is about to write, so
 * `app.synth()` (and `Testing.synth()`, `chart.toJson()`) fails with the same findings `cdk8s-stateful lint dist/`
 * would print, before any YAML is written.
 */
import * as path from 'node:path';
import { ApiObject, App, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { catalogueOf } from '../core/rule';
import { registry } from '../rules';
import { LoadResult, loadText } from '../load/load';
import { RuleSetting, lintLoaded, renderObjects } from '../lint/run';
import type { Finding, LintReport } from '../core/types';

/**
 * Node context key that configures the synth-time lint: `false` turns it off (for repositories that lint `dist/`
 * separately), an object sets rule severities and options. Set it on the app or a chart before adding children.
 */
export const SYNTH_LINT_CONTEXT_KEY = 'cdk8s-stateful:lint';

/** The object form of the `cdk8s-stateful:lint` context value. */
export interface SynthLintSettings {
  /** Per rule id: off, warning or error (as `lint --rule ID=...`). */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /** Namespace of namespaced objects that set none. @default 'default' */
  readonly defaultNamespace?: string;
  /** Fail synth on warnings too. @default false */
  readonly failOnWarnings?: boolean;
}

const SETTING_KEYS = ['rules', 'defaultNamespace', 'failOnWarnings'];
const SETTINGS: readonly RuleSetting[] = ['off', 'warning', 'error'];
/** Marks a chart whose validation already runs the lint (several StatefulApps in a chart lint it once). */
const LINTED = Symbol.for('cdk8s-stateful.synth-lint');

/**
 * Makes the synth of the chart holding `scope` fail on lint errors. The lint covers every chart of the app, as
 * `cdk8s-stateful lint dist/` and the cdk8s plugin do, so objects in other charts (a Service, hand-written PVs)
 * count; each chart that calls this reports the errors in its own output file, and the first one also those in
 * files of charts that do not call it.
 */
export function lintChartAtSynth(scope: IConstruct): void {
  const chart = Chart.of(scope);
  if (isLinted(chart)) return;
  Object.defineProperty(chart, LINTED, { value: true });
  chart.node.addValidation({ validate: () => synthLintErrors(chart) });
}

function isLinted(chart: Chart): boolean {
  return (chart as unknown as Record<symbol, unknown>)[LINTED] === true;
}

/** The messages the validation of `chart` fails with: `file:line:col  message  rule-id`, one per finding. */
export function synthLintErrors(chart: Chart): string[] {
  let settings: SynthLintSettings | undefined;
  try {
    settings = readSynthLintSettings(chart.node.tryGetContext(SYNTH_LINT_CONTEXT_KEY));
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  if (settings === undefined) return [];
  const app = App.of(chart);
  const files = outputFiles(app);
  const report = lintFiles(app, files, settings);
  const reporters = new Map(files.map((file) => [file.name, reporterOf(file, app)]));
  const fails = (finding: Finding) => finding.severity === 'error' || settings?.failOnWarnings === true;
  return report.findings
    .filter((finding) => fails(finding) && reporters.get(finding.file) === chart)
    .map((finding) => `${finding.file}:${finding.line}:${finding.column}  ${finding.message}  ${finding.rule}`);
}

/**
 * Reads the context value: undefined or `true` -> defaults, `false` -> undefined (off), an object -> settings.
 * @throws Error naming the context key and the mistake
 */
export function readSynthLintSettings(value: unknown): SynthLintSettings | undefined {
  const fail = (problem: string) => new Error(`context "${SYNTH_LINT_CONTEXT_KEY}": ${problem}`);
  if (value === undefined || value === true) return {};
  if (value === false) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('expected true, false or a mapping with rules, defaultNamespace, failOnWarnings');
  }
  const settings = value as Record<string, unknown>;
  const unknownKey = Object.keys(settings).find((key) => !SETTING_KEYS.includes(key));
  if (unknownKey !== undefined) throw fail(`unknown key "${unknownKey}" (expected ${SETTING_KEYS.join(', ')})`);
  const { rules, defaultNamespace, failOnWarnings } = settings;
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
      throw fail('rules: expected a mapping of rule id to off, warning or error');
    }
    const known = catalogueOf(registry).map((rule) => rule.id);
    for (const [id, setting] of Object.entries(rules)) {
      if (!known.includes(id)) throw fail(`unknown rule "${id}" (known rules: ${known.join(', ')})`);
      if (!SETTINGS.includes(setting as RuleSetting)) {
        throw fail(`rules.${id}: "${String(setting)}" is not one of off, warning, error`);
      }
    }
  }
  if (defaultNamespace !== undefined && (typeof defaultNamespace !== 'string' || defaultNamespace === '')) {
    throw fail('defaultNamespace: expected a namespace name');
  }
  if (failOnWarnings !== undefined && typeof failOnWarnings !== 'boolean') throw fail('failOnWarnings: expected true or false');
  return settings as SynthLintSettings;
}

/** One file `app.synth()` writes: its path, its objects in order, and the chart it holds (none for `app.k8s.yaml`). */
interface OutputFile {
  readonly name: string;
  readonly objects: readonly unknown[];
  readonly chart?: Chart;
}

/** The chart whose validation reports the findings in `file`. */
function reporterOf(file: OutputFile, app: App): Chart | undefined {
  if (file.chart !== undefined && isLinted(file.chart)) return file.chart;
  return app.charts.find(isLinted);
}

/**
 * The last report per app: `app.synth()` validates the whole app once, then once more per chart it writes, and
 * every linted chart asks; objects that render to the same text are not linted again.
 */
const lastReport = new WeakMap<App, { readonly key: string; readonly report: LintReport }>();

/** Lints the files as one set (cross-resource rules see every chart), each under the name synth gives it. */
function lintFiles(app: App, files: readonly OutputFile[], settings: SynthLintSettings): LintReport {
  const texts = files.map((file) => renderObjects(file.objects));
  const key = JSON.stringify([settings, files.map((file) => file.name), texts]);
  const last = lastReport.get(app);
  if (last?.key === key) return last.report;
  const loaded: Omit<LoadResult, 'errors'> = { manifests: [], findings: [], files: 0, documents: 0, inputs: [] };
  files.forEach((file, index) => {
    const one = loadText(texts[index], file.name);
    loaded.manifests.push(...one.manifests);
    loaded.findings.push(...one.findings);
    loaded.files += one.files;
    loaded.documents += one.documents;
    loaded.inputs.push(...one.inputs);
  });
  // The app's manifests are the whole set it applies: what they name but do not define is an error (lint --complete).
  const report = lintLoaded(loaded, {
    registry,
    rules: settings.rules,
    defaultNamespace: settings.defaultNamespace,
    complete: true,
  });
  lastReport.set(app, { key, report });
  return report;
}

/**
 * The files `app.synth()` will write and what each holds, named and ordered as cdk8s names and orders them.
 * Calls `toJson()` on the ApiObjects only: `chart.toJson()` would run the app's validations again.
 */
function outputFiles(app: App): OutputFile[] {
  const extension = app.outputFileExtension;
  const charts = app.charts;
  const indexed = hasDependentCharts(app);
  const chartName = (chart: Chart, index: number) =>
    `${indexed ? `${String(index).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`;
  const resourceFiles = (chart: Chart, folder: string): OutputFile[] =>
    chartObjects(chart).map((object: any) => ({
      name: path.join(folder, `${`${object.kind}.${object.metadata?.name}`.replace(/[^0-9a-zA-Z-_.]/g, '')}${extension}`),
      objects: [object],
      chart,
    }));
  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_APP:
      return charts.length > 0 ? [{ name: path.join(app.outdir, `app${extension}`), objects: charts.flatMap(chartObjects) }] : [];
    case YamlOutputType.FILE_PER_RESOURCE:
      return charts.flatMap((chart) => resourceFiles(chart, app.outdir));
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      return charts.flatMap((chart, index) => resourceFiles(chart, path.join(app.outdir, chartName(chart, index))));
    default:
      return charts.map((chart, index) => ({
        name: path.join(app.outdir, `${chartName(chart, index)}${extension}`),
        objects: chartObjects(chart),
        chart,
      }));
  }
}

/** A chart's objects as synth writes them: in dependency order, each in its closest chart only. */
function chartObjects(chart: Chart): unknown[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((construct): construct is ApiObject => ApiObject.isApiObject(construct) && Chart.of(construct) === chart)
    .map((object) => object.toJson());
}

/** cdk8s prefixes file names with an index (`0000-name`) when charts are nested or depend on each other. */
function hasDependentCharts(app: App): boolean {
  const chartOf = (construct: IConstruct): Chart | undefined => {
    for (let node: IConstruct | undefined = construct; node; node = node.node.scope) {
      if (Chart.isChart(node)) return node;
    }
    return undefined;
  };
  return app.node.findAll().some((construct) =>
    (Chart.isChart(construct) && construct.node.children.some(Chart.isChart)) ||
    construct.node.dependencies.some((target) => chartOf(target) !== chartOf(construct)));
}
