/**
 * The linter as a cdk8s-cli validation plugin: `cdk8s synth` loads this module, builds the class named in
 * `cdk8s.yaml` with that entry's `properties`, and calls `validate` with the synthesized manifest files.
 *
 *   validations:
 *     - package: ./node_modules/cdk8s-stateful/build/lib/cdk8s-plugin.js
 *       version: 0.1.0
 *       class: StatefulLintValidation
 *       properties:                       # all optional
 *         rules: { pvc-nondeterministic: off }
 *         defaultNamespace: apps
 *
 * Every manifest of the app is linted together (cross-resource rules see all charts). An error finding fails the
 * report, which makes `cdk8s synth` exit 2; warnings are listed but pass unless `failOnWarnings` is set.
 *
 * cdk8s-cli is not a runtime dependency: the few shapes of its plugin contract used here are declared below
 * (structurally identical to cdk8s-cli's `ValidationContext`, `ValidationViolation` and `Validation`).
 */
import { catalogueOf } from './core/rule';
import type { Settings } from './core/settings';
import { LintOptions, lintPaths } from './lint/run';
import { PLUGIN_PROPERTIES, checkSettings, resolveSettings } from './lint/settings';
import { registry } from './rules';
import type { Finding, LintReport } from './core/types';

/** A resource in a violation, as cdk8s-cli prints it (it adds the construct path from `resourceName`). */
export interface ViolatingResource {
  readonly resourceName: string;
  readonly locations: readonly string[];
  readonly manifestPath: string;
}

/** One entry of the validation report. */
export interface Violation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly ViolatingResource[];
}

/** What the plugin uses of cdk8s-cli's `ValidationContext`. */
export interface PluginContext {
  /** Paths of the synthesized manifest files. */
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: Violation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
}

/**
 * The `properties` of the plugin's entry in cdk8s.yaml: the settings of `lint` (lib/core/settings.ts), e.g.
 * `rules`, `defaultNamespace`, `failOnWarnings`, and `config` (a lint config file, relative to where `cdk8s synth`
 * runs; the other properties override it). The constructs' synth-time lint reads the same properties.
 */
export type StatefulLintProperties = Settings;

/** Checks the properties cdk8s-cli passes (parsed YAML, so anything); throws a ConfigError naming the mistake. */
export function readProperties(value: unknown): StatefulLintProperties {
  return checkSettings({ name: PLUGIN_PROPERTIES, value }, registry);
}

/** The validation plugin: `class: StatefulLintValidation` in cdk8s.yaml. */
export class StatefulLintValidation {
  private readonly properties: StatefulLintProperties;

  /** cdk8s-cli passes the entry's `properties` (or `{}`); a mistake in them stops synth with a clear message. */
  constructor(properties: unknown = {}) {
    this.properties = readProperties(properties);
  }

  async validate(context: PluginContext): Promise<void> {
    let report: LintReport;
    let options: LintOptions & Settings = { registry };
    try {
      options = this.lintOptions();
      report = await lintPaths(context.manifests, options);
    } catch (error) {
      // Unreadable manifests or a bad config file: one violation that says so, never a stack trace.
      context.report.addViolation({
        ruleName: 'cdk8s-stateful',
        recommendation: error instanceof Error ? error.message : String(error),
        fix: 'Fix the file named above; run `npx cdk8s-stateful lint <output dir>` to reproduce outside synth.',
        violatingResources: [],
      });
      context.report.submit('failure');
      return;
    }
    const remediation = new Map(catalogueOf(registry).map((rule) => [rule.id, rule.remediation]));
    for (const finding of report.findings) context.report.addViolation(toViolation(finding, remediation.get(finding.rule)));
    const { errors, warnings, documents } = report.summary;
    const failed = errors > 0 || (options.failOnWarnings === true && warnings > 0);
    context.report.submit(failed ? 'failure' : 'success', {
      documents: String(documents),
      errors: String(errors),
      warnings: String(warnings),
    });
  }

  /** The settings of the properties, over those of their `config` file (read now, so a change to it counts). */
  private lintOptions(): LintOptions & Settings {
    // The synthesized manifests are the whole app: what they name but do not define is an error, as at synth time.
    return { complete: true, ...resolveSettings([{ name: PLUGIN_PROPERTIES, value: this.properties }], registry), registry };
  }
}

/**
 * One finding as one violation. `resourceName` is the object's metadata.name, which is how cdk8s-cli finds the
 * construct path in construct-metadata.json; the location is `file:line:column`, the same as `lint` prints.
 */
export function toViolation(finding: Finding, remediation: string | undefined): Violation {
  const label = finding.object?.kind && finding.object.name ? `${finding.object.kind} "${finding.object.name}"` : 'the document';
  return {
    ruleName: finding.severity === 'error' ? finding.rule : `${finding.rule} (warning)`,
    recommendation: `${label}: ${finding.message}`,
    fix: remediation ?? 'See `npx cdk8s-stateful rules` for what the rule checks.',
    violatingResources: [
      {
        resourceName: finding.object?.name ?? `${finding.file} (document at line ${finding.line})`,
        locations: [`${finding.file}:${finding.line}:${finding.column}`],
        manifestPath: finding.file,
      },
    ],
  };
}
