/**
 * The settings of `lint` and `diff`, one list for every place a user sets them: CLI flags, a `--config` file, the
 * cdk8s plugin's `properties` in cdk8s.yaml and the constructs' synth-time context (`cdk8s-stateful:lint`).
 *
 * To add a setting, add one entry here: its JSON schema (compiled with ajv at build time, scripts/gen-settings.ts),
 * the words a mistake is reported with, and what it does. It is then accepted by the config file, the plugin and
 * the context, typed in `Settings`, merged by the resolver and handed to the engine in `LintOptions` (which extends
 * `Settings`); a CLI flag for it is optional (lib/cli).
 */

import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, type KubernetesVersion } from './kubernetes-version';

export const RULE_SETTINGS = ['off', 'warning', 'error'] as const;
export type RuleSetting = (typeof RULE_SETTINGS)[number];

interface SettingKey<T> {
  readonly schema: Readonly<Record<string, unknown>>;
  /** Completes "KEY: expected ..." when a value does not fit the schema. */
  readonly expected: string;
  readonly doc: string;
  /** Type carrier only (never set): the TypeScript type of the value. */
  readonly type?: T;
}

const flag = (doc: string): SettingKey<boolean> => ({ schema: { type: 'boolean' }, expected: 'true or false', doc });
const name = (doc: string, expected: string): SettingKey<string> => ({ schema: { type: 'string', minLength: 1 }, expected, doc });

export const SETTING_KEYS = {
  rules: {
    schema: { type: 'object', additionalProperties: { enum: [...RULE_SETTINGS] } },
    expected: 'a mapping of rule id to off, warning or error',
    doc: 'Per rule id: off, warning or error (yaml-syntax is never off). A setting also wins over the severity a rule gives one finding.',
  } as SettingKey<Readonly<Record<string, RuleSetting>>>,
  defaultNamespace: name('Namespace of namespaced objects that set none (default: default).', 'a namespace name'),
  ignoreMissingSchemas: flag('Skip objects of kinds without a schema (CRDs) without a note.'),
  failOnUnknownKinds: flag('Report objects of kinds without a schema (CRDs) as schema errors.'),
  kubernetesVersion: {
    schema: { enum: [...KUBERNETES_VERSIONS] },
    expected: `one of ${KUBERNETES_VERSIONS.join(', ')} (a quoted string in YAML: "1.30")`,
    doc: `The Kubernetes version whose API the schemas and served apiVersions follow (default: ${DEFAULT_KUBERNETES_VERSION}).`,
  } as SettingKey<KubernetesVersion>,
  failOnWarnings: flag('Fail (exit 1, or fail synth) on warnings too.'),
  defaultStorageClass: name(
    "The cluster's default StorageClass, or none for a cluster without one (default: unknown: a claim that sets no class is judged under both).",
    "the name of the cluster's default StorageClass, or none",
  ),
  provisioningClasses: {
    schema: { type: 'array', items: { type: 'string', minLength: 1 } },
    expected: 'a list of StorageClass names',
    doc: 'StorageClasses known to provision volumes on the cluster although the linted files do not define them.',
  } as SettingKey<readonly string[]>,
  complete: flag('The linted files are the whole set: a Service or PV they name but do not define is an error, not a note.'),
  config: name(
    'A config file holding these settings (cdk8s.yaml properties and the synth-time context; the CLI has --config); the other settings override it.',
    'the path of a lint config file',
  ),
} as const;

export type SettingName = keyof typeof SETTING_KEYS;

/** Every setting, each optional; the resolver's output and part of the engine's options. */
export type Settings = {
  readonly [K in SettingName]?: NonNullable<(typeof SETTING_KEYS)[K]['type']>;
};

/** The JSON schema of a settings mapping, as the build compiles it. */
export const SETTINGS_SCHEMA = {
  $id: 'cdk8s-stateful-settings',
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(Object.entries(SETTING_KEYS).map(([key, entry]) => [key, entry.schema])),
} as const;
