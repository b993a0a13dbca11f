/**
 * The constructs' synth-time check: the lint engine itself, run over every object the app is about to write, so
 * `app.synth()` (and `Testing.synth()`, `chart.toJson()`) fails with the same findings `cdk8s-stateful lint dist/`
 * would print, before any YAML is written.
 */
import * as path from 'node:path';
import { ApiObject, App, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { Settings } from '../core/settings';
import type { Finding, LintReport } from '../core/types';
import { LoadResult, loadText } from '../load/load';
import { lintLoaded, renderObjects } from '../lint/run';
import { cdk8sYamlSource, checkSettings, resolveSettings, type SettingsSource } from '../lint/settings';
import { registry } from '../rules';

/**
 * Node context key that configures the synth-time lint: `false` turns it off (for repositories that lint `dist/`
 * separately), a mapping sets the settings of `lint` (`rules`, `defaultNamespace`, `failOnWarnings`, `config` ...).
 * Set it on the app or a chart before adding children.
 *
 * The synth-time lint also reads the properties of the cdk8s-stateful validation in ./cdk8s.yaml (where `cdk8s
 * synth` runs), beneath the context: a rule turned off there is off here too. Under `cdk8s synth` with that
 * validation configured and no settings in the context, the lint is left to the plugin, which lints the same files
 * with the same settings right after synth and reports once, with exit code 2.
 */
export const SYNTH_LINT_CONTEXT_KEY = 'cdk8s-stateful:lint';

/** The object form of the `cdk8s-stateful:lint` context value: the settings of `lint`. */
export type SynthLintSettings = Settings;

const CONTEXT = `context "${SYNTH_LINT_CONTEXT_KEY}"`;
/** Marks a chart whose validation already runs the lint (several StatefulApps in a chart lint it once). */
const LINTED = Symbol.for('cdk8s-stateful.synth-lint');

/**
 * Claims a construct declared as served from outside the app (a claim template without `nfs`: a provisioner or
 * PVs defined elsewhere), with the class they ask for (undefined: unset), per app.
 */
const externalClaims = new WeakMap<App, Map<string, string | undefined>>();

/**
 * Declares that the claim `namespace/name` gets its volume from outside the app. At synth, a `pvc-unbound` error
 * for it is dropped when no PV of the app is meant for it (pre-bound to it, or unbound with its class): the PVs
 * may well be elsewhere. A PV in the app that is meant for it (pre-bound to it; or, for a claim that names a class,
 * unbound with that class) keeps the error: that PV is the one it would bind.
 */
export function declareExternalClaim(scope: IConstruct, namespace: string, name: string, storageClassName: string | undefined): void {
  const app = App.of(scope);
  const claims = externalClaims.get(app) ?? new Map<string, string | undefined>();
  claims.set(`${namespace}/${name}`, storageClassName);
  externalClaims.set(app, claims);
}

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
  let settings: Settings | undefined;
  try {
    settings = synthLintSettings(chart.node.tryGetContext(SYNTH_LINT_CONTEXT_KEY));
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  if (settings === undefined) return [];
  const app = App.of(chart);
  const files = outputFiles(app);
  const { report, objects } = lintFiles(app, files, settings);
  const reporters = new Map(files.map((file) => [file.name, reporterOf(file, app)]));
  const fails = (finding: Finding) => finding.severity === 'error' || settings?.failOnWarnings === true;
  const external = servedElsewhere(app, objects);
  return report.findings
    .filter((finding) => !external(finding))
    .filter((finding) => fails(finding) && reporters.get(finding.file) === chart)
    .map((finding) => `${finding.file}:${finding.line}:${finding.column}  ${finding.message}  ${finding.rule}`);
}

/**
 * Reads the context value alone: undefined or `true` -> no settings, `false` -> undefined (off), a mapping -> its
 * settings, checked.
 * @throws ConfigError naming the context key and the mistake
 */
export function readSynthLintSettings(value: unknown): SynthLintSettings | undefined {
  if (value === false) return undefined;
  if (value === undefined || value === true) return {};
  return checkSettings({ name: CONTEXT, value }, registry);
}

/** Whether this process is the app `cdk8s synth` runs with validation plugins (it then records construct metadata). */
function underCdk8sSynthWithValidations(env: NodeJS.ProcessEnv): boolean {
  return env.CDK8S_OUTDIR !== undefined && env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
}

/**
 * The settings of the synth-time lint: those of the cdk8s-stateful validation in ./cdk8s.yaml, then the context's;
 * undefined when the lint does not run (context `false`, or left to the plugin under `cdk8s synth`).
 */
export function synthLintSettings(value: unknown, cwd = process.cwd(), env = process.env): Settings | undefined {
  if (value === false) return undefined;
  const plugin = cdk8sYamlSource(cwd);
  const contextSet = value !== undefined && value !== true;
  if (plugin !== undefined && !contextSet && underCdk8sSynthWithValidations(env)) return undefined;
  const sources: SettingsSource[] = [];
  if (plugin !== undefined) sources.push(plugin);
  if (contextSet) sources.push({ name: CONTEXT, value });
  return resolveSettings(sources, registry, cwd);
}

/** One file `app.synth()` writes: its path, its objects in order, and the chart it holds (none for `app.k8s.yaml`). */
interface OutputFile {
  readonly name: string;
  readonly objects: readonly unknown[];
  readonly chart?: Chart;
}

/** Whether a finding is a `pvc-unbound` of a claim declared external for which no PV of the app is meant. */
function servedElsewhere(app: App, objects: readonly unknown[]): (finding: Finding) => boolean {
  const claims = externalClaims.get(app);
  if (!claims || claims.size === 0) return () => false;
  const volumes = objects.filter((o: any) => o?.kind === 'PersistentVolume' && o?.apiVersion === 'v1') as any[];
  const meantFor = (key: string, storageClassName: string | undefined): boolean => volumes.some((pv) => {
    const ref = pv.spec?.claimRef;
    if (ref) return `${ref.namespace}/${ref.name}` === key;
    // A claim without a class gets the cluster's default class where there is one: only a claimRef marks a PV for it.
    return storageClassName !== undefined && (pv.spec?.storageClassName ?? '') === storageClassName;
  });
  return (finding) => {
    if (finding.rule !== 'pvc-unbound' || finding.object?.kind !== 'StatefulSet') return false;
    const namespace = finding.object.namespace ?? 'default';
    for (const [key, storageClassName] of claims) {
      const [claimNamespace, claim] = key.split('/');
      if (claimNamespace === namespace && finding.message.startsWith(`${claim}:`)) return !meantFor(key, storageClassName);
    }
    return false;
  };
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
function lintFiles(app: App, files: readonly OutputFile[], settings: Settings): { report: LintReport; objects: unknown[] } {
  const objects = files.flatMap((file) => file.objects);
  const texts = files.map((file) => renderObjects(file.objects));
  const key = JSON.stringify([settings, files.map((file) => file.name), texts]);
  const last = lastReport.get(app);
  if (last?.key === key) return { report: last.report, objects };
  const loaded: Omit<LoadResult, 'errors'> = { manifests: [], findings: [], files: 0, documents: 0, inputs: [] };
  files.forEach((file, index) => {
    const one = loadText(texts[index], file.name);
    loaded.manifests.push(...one.manifests);
    loaded.findings.push(...one.findings);
    loaded.files += one.files;
    loaded.documents += one.documents;
    loaded.inputs.push(...one.inputs);
  });
  const report = lintLoaded(loaded, { ...settings, registry });
  lastReport.set(app, { key, report });
  return { report, objects };
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
