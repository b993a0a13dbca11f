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
import { ConfigError, LintConfig, loadConfig, parseDefaultStorageClass } from './lint/config';
import { catalogueOf } from './core/rule';
import { LintOptions, RuleSetting, lintPaths } from './lint/run';
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

/** The `properties` of the plugin's entry in cdk8s.yaml. */
export interface StatefulLintProperties {
  /** Per rule id: off, warning or error (as `lint --rule ID=...`). */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /** Namespace of namespaced objects that set none. @default 'default' */
  readonly defaultNamespace?: string;
  /** Skip objects of unknown kinds (CRDs) without a note. @default false */
  readonly ignoreMissingSchemas?: boolean;
  /** Report objects of unknown kinds (CRDs) as errors. @default false */
  readonly failOnUnknownKinds?: boolean;
  /** A `lint --config` file (relative to where `cdk8s synth` runs); the other properties override it. */
  readonly config?: string;
  /** Fail synth on warnings too. @default false */
  readonly failOnWarnings?: boolean;
  /** The cluster's default StorageClass, or `none`. @default unknown */
  readonly defaultStorageClass?: string;
  /** StorageClasses known to provision on the cluster. */
  readonly provisioningClasses?: readonly string[];
}

const PROPERTIES = 'cdk8s.yaml: properties of the cdk8s-stateful validation';
const SETTINGS: readonly RuleSetting[] = ['off', 'warning', 'error'];
const KEYS = [
  'rules',
  'defaultNamespace',
  'ignoreMissingSchemas',
  'failOnUnknownKinds',
  'config',
  'failOnWarnings',
  'defaultStorageClass',
  'provisioningClasses',
];

/** Checks the properties cdk8s-cli passes (parsed YAML, so anything); throws a ConfigError naming the mistake. */
export function readProperties(value: unknown): StatefulLintProperties {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${PROPERTIES}: expected a mapping`);
  const properties = value as Record<string, unknown>;
  const unknown = Object.keys(properties).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) {
    throw new ConfigError(`${PROPERTIES}: unknown key "${unknown[0]}" (expected ${KEYS.join(', ')})`);
  }
  const { rules, defaultNamespace, config } = properties;
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
      throw new ConfigError(`${PROPERTIES}: rules: expected a mapping of rule id to off, warning or error`);
    }
    const known = catalogueOf(registry).map((rule) => rule.id);
    for (const [id, setting] of Object.entries(rules)) {
      if (!known.includes(id)) throw new ConfigError(`${PROPERTIES}: unknown rule "${id}" (known rules: ${known.join(', ')})`);
      if (!SETTINGS.includes(setting as RuleSetting)) {
        throw new ConfigError(`${PROPERTIES}: rules.${id}: "${String(setting)}" is not one of off, warning, error`);
      }
    }
  }
  if (defaultNamespace !== undefined && (typeof defaultNamespace !== 'string' || defaultNamespace === '')) {
    throw new ConfigError(`${PROPERTIES}: defaultNamespace: expected a namespace name`);
  }
  if (config !== undefined && (typeof config !== 'string' || config === '')) {
    throw new ConfigError(`${PROPERTIES}: config: expected the path of a lint config file`);
  }
  const { defaultStorageClass, provisioningClasses } = properties;
  if (defaultStorageClass !== undefined && (typeof defaultStorageClass !== 'string' || defaultStorageClass === '')) {
    throw new ConfigError(`${PROPERTIES}: defaultStorageClass: expected the name of the cluster's default StorageClass, or none`);
  }
  if (
    provisioningClasses !== undefined &&
    (!Array.isArray(provisioningClasses) || provisioningClasses.some((c) => typeof c !== 'string' || c === ''))
  ) {
    throw new ConfigError(`${PROPERTIES}: provisioningClasses: expected a list of StorageClass names`);
  }
  for (const flag of ['ignoreMissingSchemas', 'failOnUnknownKinds', 'failOnWarnings']) {
    if (properties[flag] !== undefined && typeof properties[flag] !== 'boolean') {
      throw new ConfigError(`${PROPERTIES}: ${flag}: expected true or false`);
    }
  }
  return properties as StatefulLintProperties;
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
    try {
      report = await lintPaths(context.manifests, await this.lintOptions());
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
    const failed = errors > 0 || (this.properties.failOnWarnings === true && warnings > 0);
    context.report.submit(failed ? 'failure' : 'success', {
      documents: String(documents),
      errors: String(errors),
      warnings: String(warnings),
    });
  }

  private async lintOptions(): Promise<LintOptions> {
    const { config, rules, defaultNamespace, ignoreMissingSchemas, failOnUnknownKinds } = this.properties;
    const { defaultStorageClass, provisioningClasses } = this.properties;
    const base: LintConfig = config ? await loadConfig(config, catalogueOf(registry).map((rule) => rule.id)) : {};
    return {
      ...base,
      registry,
      cluster: {
        ...base.cluster,
        ...(defaultStorageClass === undefined ? {} : { defaultStorageClass: parseDefaultStorageClass(defaultStorageClass) }),
        ...(provisioningClasses === undefined ? {} : { provisioningClasses }),
      },
      rules: { ...base.rules, ...rules },
      ...(defaultNamespace !== undefined ? { defaultNamespace } : {}),
      ...(ignoreMissingSchemas !== undefined ? { ignoreMissingSchemas } : {}),
      ...(failOnUnknownKinds !== undefined ? { failOnUnknownKinds } : {}),
    };
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
