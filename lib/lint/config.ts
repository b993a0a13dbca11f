/**
 * The `--config FILE` of `lint`:
 *
 *   rules:                  # per rule id: off | warning | error
 *     pvc-nondeterministic: off
 *   defaultNamespace: apps
 *   ignoreMissingSchemas: true
 *   failOnUnknownKinds: false
 *   defaultStorageClass: standard   # the cluster's default StorageClass, or none; unknown when absent
 *   provisioningClasses: [gp2]      # classes known to provision on the cluster
 *   complete: true                  # the files are the whole set: a Service or PV they name must be among them
 *
 * Mistakes (an unknown rule id or key, a bad value) are errors naming the file and line, never ignored.
 */
import { readTextFile } from '../load/read';
import { LineCounter, Pair, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { keyText, positionAt } from '../load/source-map';
import type { ClusterProfile } from '../core/types';
import type { RuleSetting } from './run';

export interface LintConfig {
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly defaultNamespace?: string;
  readonly ignoreMissingSchemas?: boolean;
  readonly failOnUnknownKinds?: boolean;
  readonly cluster?: ClusterProfile;
  readonly complete?: boolean;
}

/** `--default-storage-class NAME|none` and the config key: `none` declares a cluster without a default class. */
export function parseDefaultStorageClass(value: string): string | null {
  return value === 'none' ? null : value;
}

/** A config file or `--rule` value the tool cannot use; the message names the file and line. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const SETTINGS: readonly RuleSetting[] = ['off', 'warning', 'error'];
const KEYS = 'rules, defaultNamespace, ignoreMissingSchemas, failOnUnknownKinds, defaultStorageClass, provisioningClasses or complete';

function isSetting(value: unknown): value is RuleSetting {
  return SETTINGS.includes(value as RuleSetting);
}

function scalarValue(pair: Pair): unknown {
  return isScalar(pair.value) ? pair.value.value : undefined;
}

function offsetOf(node: unknown): number | undefined {
  return (node as { range?: number[] } | null)?.range?.[0];
}

function unknownRule(id: string, known: readonly string[]): string {
  return `unknown rule "${id}" (known rules: ${known.join(', ')})`;
}

/** A file that does not parse is not checked at all: turning its finding off would report it as clean. */
const ALWAYS_ON_RULE = 'yaml-syntax';
const ALWAYS_ON_WHY = 'a file that does not parse is not checked at all, so it would pass; fix the YAML or leave the file out';

/** Parses one `--rule ID=off|warning|error`. */
export function parseRuleOption(spec: string, knownRules: readonly string[]): [string, RuleSetting] {
  const match = /^([^=]+)=(.*)$/.exec(spec);
  if (!match) throw new ConfigError(`--rule ${spec}: expected ID=off|warning|error`);
  const [, id, setting] = match;
  if (!knownRules.includes(id)) throw new ConfigError(`--rule ${spec}: ${unknownRule(id, knownRules)}`);
  if (!isSetting(setting)) throw new ConfigError(`--rule ${spec}: "${setting}" is not one of off, warning, error`);
  if (id === ALWAYS_ON_RULE && setting === 'off') throw new ConfigError(`--rule ${spec}: ${id} cannot be turned off: ${ALWAYS_ON_WHY}`);
  return [id, setting];
}

/** Parses a config file's text; `file` names it in errors. */
export function parseConfig(text: string, file: string, knownRules: readonly string[]): LintConfig {
  const lines = new LineCounter();
  // YAML 1.2 here, not Kubernetes' 1.1: under 1.1 `pvc-unbound: off` would read as `false`.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const fail = (offset: number | undefined, message: string): never => {
    const { line, column } = positionAt(lines, offset ?? 0);
    throw new ConfigError(`${file}:${line}:${column}: ${message}`);
  };
  if (doc.errors.length > 0) fail(doc.errors[0].pos[0], `invalid YAML: ${doc.errors[0].message}`);
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) return fail(doc.contents.range?.[0], `expected a mapping with ${KEYS}`);

  const config: { -readonly [K in keyof LintConfig]: LintConfig[K] } = {};
  for (const pair of doc.contents.items) {
    const key = keyText(pair);
    const keyOffset = offsetOf(pair.key);
    const value = scalarValue(pair);
    const valueOffset = offsetOf(pair.value) ?? keyOffset;
    switch (key) {
      case 'rules': {
        if (!isMap(pair.value)) return fail(valueOffset, 'rules: expected a mapping of rule id to off, warning or error');
        const rules: Record<string, RuleSetting> = {};
        for (const rule of pair.value.items) {
          const id = keyText(rule) ?? '';
          const ruleOffset = offsetOf(rule.key);
          const setting = scalarValue(rule);
          if (!knownRules.includes(id)) fail(ruleOffset, unknownRule(id, knownRules));
          if (!isSetting(setting)) fail(ruleOffset, `rules.${id}: "${String(setting)}" is not one of off, warning, error`);
          if (id === ALWAYS_ON_RULE && setting === 'off') fail(ruleOffset, `rules.${id}: cannot be turned off: ${ALWAYS_ON_WHY}`);
          rules[id] = setting as RuleSetting;
        }
        config.rules = rules;
        break;
      }
      case 'defaultNamespace':
        if (typeof value !== 'string' || value === '') fail(valueOffset, 'defaultNamespace: expected a namespace name');
        config.defaultNamespace = value as string;
        break;
      case 'ignoreMissingSchemas':
      case 'failOnUnknownKinds':
      case 'complete':
        if (typeof value !== 'boolean') fail(valueOffset, `${key}: expected true or false`);
        config[key] = value as boolean;
        break;
      case 'defaultStorageClass':
        if (typeof value !== 'string' || value === '') {
          fail(valueOffset, 'defaultStorageClass: expected the name of the cluster\'s default StorageClass, or none');
        }
        config.cluster = { ...config.cluster, defaultStorageClass: parseDefaultStorageClass(value as string) };
        break;
      case 'provisioningClasses': {
        const items = isSeq(pair.value) ? pair.value.items.map((item) => (isScalar(item) ? item.value : undefined)) : undefined;
        if (items === undefined || items.some((item) => typeof item !== 'string' || item === '')) {
          fail(valueOffset, 'provisioningClasses: expected a list of StorageClass names');
        }
        config.cluster = { ...config.cluster, provisioningClasses: items as string[] };
        break;
      }
      default:
        fail(keyOffset, `unknown key "${key}" (expected ${KEYS})`);
    }
  }
  return config;
}

/** Reads and parses a config file. */
export async function loadConfig(file: string, knownRules: readonly string[]): Promise<LintConfig> {
  // The loader's reader: a FIFO without a writer, a device or a huge file is refused, never waited on.
  const read = await readTextFile(file);
  if ('error' in read) throw new ConfigError(`${file}: cannot read the config file: ${read.error}`);
  return parseConfig(read.text, file, knownRules);
}
