/**
 * The one settings resolver. CLI flags, a config file, the cdk8s plugin's properties in cdk8s.yaml and the
 * constructs' synth-time context are each a `SettingsSource`; `resolveSettings` checks every source against the
 * settings schema (lib/core/settings.ts, compiled at build time) and the rule registry, and merges them, later sources
 * winning (rule by rule for `rules`). A source's `config` file sits just beneath the source that names it.
 *
 * Mistakes are never ignored: a ConfigError names the source (file:line:column where there is a file), the key and
 * what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Document } from 'yaml';
import { requireWithCodeCache } from '../core/code-cache';
import type { RuleRegistry } from '../core/rule';
import { positionAt } from '../load/positions';
import { SETTINGS_SCHEMA, SETTING_KEYS, RULE_SETTINGS, type Settings } from '../core/settings';
import { notARegularFile } from '../load/read';

export { RULE_SETTINGS, SETTING_KEYS, type RuleSetting, type Settings } from '../core/settings';

/** Settings the tool cannot use; the message names where they came from. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type KeyPath = readonly (string | number)[];

/** One place settings come from. */
export interface SettingsSource {
  /** How messages name it: `lint.yaml`, `--rule x=off`, `context "cdk8s-stateful:lint"`. */
  readonly name: string;
  /** The settings mapping as parsed (anything: it is checked here). */
  readonly value: unknown;
  /** `file:line:column` of a key or its value, when the source is a file. */
  readonly locate?: (path: KeyPath, part: 'key' | 'value') => string;
}

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

type Validator = ((value: unknown) => boolean) & { errors?: AjvError[] | null };

let validator: Validator | undefined;

/** The validator the build compiled (scripts/gen-settings.ts); compiled here only when the build step has not run. */
function validate(value: unknown): AjvError | undefined {
  if (validator === undefined) {
    const generated = path.join(__dirname, 'generated', 'settings-validator.js');
    if (existsSync(generated)) {
      const loaded = requireWithCodeCache(generated) as Validator & { default?: Validator };
      validator = loaded.default ?? loaded;
    } else {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const Ajv = (require('ajv') as { default: new () => { compile(schema: unknown): Validator } }).default;
      validator = new Ajv().compile(SETTINGS_SCHEMA);
    }
  }
  return validator(value) ? undefined : (validator.errors ?? [])[0];
}

const KEYS = Object.keys(SETTING_KEYS);

function list(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function unquote(pointer: string): string[] {
  return pointer.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The checked settings of one source (its `config` file not read yet). */
export function checkSettings(source: SettingsSource, registry: RuleRegistry): Settings {
  const fail = (where: KeyPath, part: 'key' | 'value', message: string): never => {
    throw new ConfigError(`${source.locate?.(where, part) ?? source.name}: ${message}`);
  };
  const value = source.value ?? {};
  const error = validate(value);
  if (error !== undefined) {
    const [key, rule] = unquote(error.instancePath);
    if (key === undefined) {
      if (error.keyword === 'additionalProperties') {
        const unknown = String(error.params.additionalProperty);
        fail([unknown], 'key', `unknown key "${unknown}" (expected ${list(KEYS)})`);
      }
      fail([], 'value', `expected a mapping with ${list(KEYS)}`);
    }
    if (key === 'rules' && rule !== undefined) {
      const setting = (value as { rules: Record<string, unknown> }).rules[rule];
      fail(['rules', rule], 'key', `rules.${rule}: "${String(setting)}" is not one of ${RULE_SETTINGS.join(', ')}`);
    }
    fail([key], 'value', `${key}: expected ${SETTING_KEYS[key as keyof typeof SETTING_KEYS].expected}`);
  }
  const settings = value as Settings;
  const known = registry.rules.map((r) => r.id);
  for (const [id, setting] of Object.entries(settings.rules ?? {})) {
    if (registry.get(id) === undefined) fail(['rules', id], 'key', `unknown rule "${id}" (known rules: ${known.join(', ')})`);
    const why = registry.alwaysOn.get(id);
    if (setting === 'off' && why !== undefined) fail(['rules', id], 'key', `rules.${id}: cannot be turned off: ${why}`);
  }
  return settings;
}

/** Later settings win; `rules` are merged rule by rule. */
export function mergeSettings(layers: readonly Settings[]): Settings {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      merged[key] = key === 'rules' ? { ...(merged.rules as object | undefined), ...(value as object) } : value;
    }
  }
  return merged as Settings;
}

/**
 * The settings of these sources, later ones winning. A source naming a `config` file gets that file's settings
 * just beneath its own (relative paths from `cwd`, where `cdk8s synth` and the CLI run).
 * @throws ConfigError naming the source and the mistake
 */
export function resolveSettings(sources: readonly SettingsSource[], registry: RuleRegistry, cwd = process.cwd()): Settings {
  const layers: Settings[] = [];
  for (const source of sources) {
    const { config, ...settings } = checkSettings(source, registry);
    if (config !== undefined) {
      const file = configFileSource(path.resolve(cwd, config), config);
      const fromFile = checkSettings(file, registry);
      if (fromFile.config !== undefined) {
        throw new ConfigError(`${file.locate?.(['config'], 'key') ?? file.name}: config: a config file cannot name another config file`);
      }
      layers.push(fromFile);
    }
    layers.push(settings);
  }
  return mergeSettings(layers);
}

/** A config file (YAML) as a source, located by line and column; `shown` is how messages name it. */
export function configFileSource(file: string, shown = file): SettingsSource {
  // A FIFO without a writer would block this read forever, a device never end: refused before reading.
  const notAFile = notARegularFile(file);
  if (notAFile !== undefined) throw new ConfigError(`${shown}: cannot read the config file: ${notAFile}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String(error);
    throw new ConfigError(`${shown}: cannot read the config file: ${why}`);
  }
  return yamlSource(text, shown);
}

/** The `yaml` package and the loader's key reader, loaded when a YAML config is read (most runs read none). */
function yamlReader(): typeof import('yaml') & Pick<typeof import('../load/source-map'), 'keyText'> {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const yaml = require('yaml') as typeof import('yaml');
  const { keyText } = require('../load/source-map') as typeof import('../load/source-map');
  /* eslint-enable @typescript-eslint/no-var-requires */
  return { ...yaml, keyText };
}

/** Settings written as YAML text (a config file's contents). */
export function yamlSource(text: string, file: string): SettingsSource {
  const { LineCounter, parseDocument } = yamlReader();
  const lines = new LineCounter();
  // YAML 1.2 here, not Kubernetes' 1.1: under 1.1 `pvc-unbound: off` would read as `false`.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number | undefined) => {
    const { line, column } = positionAt(lines, offset ?? 0);
    return `${file}:${line}:${column}`;
  };
  if (doc.errors.length > 0) throw new ConfigError(`${at(doc.errors[0].pos[0])}: invalid YAML: ${doc.errors[0].message}`);
  return { name: file, value: doc.toJS() ?? {}, locate: (keys, part) => at(offsetOf(doc, keys, part)) };
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: number[] } | null)?.range?.[0];
}

/** Offset of the key (or value) at `keys` in the document, or of the deepest node found on the way. */
function offsetOf(doc: Document, keys: KeyPath, part: 'key' | 'value'): number | undefined {
  const { isMap, isPair, keyText } = yamlReader();
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const [index, key] of keys.entries()) {
    const pair = isMap(node) ? node.items.find((item) => isPair(item) && keyText(item) === String(key)) : undefined;
    if (pair === undefined) return offset;
    const last = index === keys.length - 1;
    offset = last && part === 'key' ? rangeStart(pair.key) : rangeStart(pair.value) ?? rangeStart(pair.key);
    node = pair.value;
  }
  return offset;
}

/** The class cdk8s.yaml names for this package's validation plugin. */
export const PLUGIN_CLASS = 'StatefulLintValidation';
export const PLUGIN_PROPERTIES = 'cdk8s.yaml: properties of the cdk8s-stateful validation';

/**
 * The `properties` of this package's validation entry in `dir`/cdk8s.yaml, as a source; undefined when there is no
 * cdk8s.yaml or no such entry (a cdk8s.yaml cdk8s-cli cannot read is cdk8s-cli's to report).
 */
export function cdk8sYamlSource(dir: string): SettingsSource | undefined {
  const file = path.join(dir, 'cdk8s.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const { isMap, isSeq, parseDocument } = yamlReader();
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  const validations = doc.get('validations', true);
  if (!isSeq(validations)) return undefined;
  for (const entry of validations.items) {
    if (isMap(entry) && entry.get('class') === PLUGIN_CLASS) {
      const properties = entry.get('properties');
      const value = properties instanceof Object && 'toJSON' in properties ? (properties as { toJSON(): unknown }).toJSON() : properties;
      return { name: PLUGIN_PROPERTIES, value: value ?? {} };
    }
  }
  return undefined;
}
