/**
 * Where a StatefulSet's members are configured: container env (with `$(VAR)` expanded as the kubelet does), command
 * and args, and the ConfigMaps of the same namespace the pod template mounts or reads. Every piece keeps where it
 * came from, so a finding can point at the line.
 */
import type { Manifest, Path } from '../../core/types';
import { escapeRegExp } from '../../core/text';
import { at, list as listOf, record, scalarText, text } from './read';

export type ConfigOrigin = 'env' | 'command' | 'args' | 'configmap';

export interface ConfigText {
  readonly text: string;
  readonly origin: ConfigOrigin;
  /** For messages: `env ETCD_INITIAL_CLUSTER of container "etcd"`, `ConfigMap "zk" key zoo.cfg`. */
  readonly where: string;
  /** The manifest holding the text (the StatefulSet or a ConfigMap) and the path of the node. */
  readonly manifest: Manifest;
  readonly path: Path;
  /** Env variable name (origin 'env'). */
  readonly envName?: string;
  /** Container name (not for ConfigMaps). */
  readonly container?: string;
}

export interface PodConfig {
  readonly texts: readonly ConfigText[];
  /** Environment of each container by name, `$(VAR)` expanded; values from ConfigMap keys resolved. */
  readonly envByContainer: ReadonlyMap<string, ReadonlyMap<string, ConfigText>>;
  /** Name of every env variable each container defines, whatever its source (Secrets and pod fields included). */
  readonly envNamesByContainer: ReadonlyMap<string, ReadonlySet<string>>;
  /** The ConfigMaps of the set the pod template uses. */
  readonly configMaps: readonly Manifest[];
}

export type ConfigMapLookup = (name: string) => Manifest | undefined;

const CONTAINER_LISTS = ['initContainers', 'containers'] as const;

/** The configuration a StatefulSet's pods see. `findConfigMap` looks a ConfigMap up in the set's namespace. */
export function podConfig(statefulSet: Manifest, findConfigMap: ConfigMapLookup): PodConfig {
  const podSpec = at(statefulSet.object, 'spec', 'template', 'spec');
  const reading = new ConfigReading(statefulSet, findConfigMap);
  for (const listName of CONTAINER_LISTS) {
    const containers = listOf(at(podSpec, listName));
    for (let index = 0; index < containers.length; index++) reading.container(listName, containers[index], index);
  }
  for (const volume of listOf(at(podSpec, 'volumes'))) {
    reading.useConfigMap(text(at(volume, 'configMap', 'name')));
    for (const source of listOf(at(volume, 'projected', 'sources'))) reading.useConfigMap(text(at(source, 'configMap', 'name')));
  }
  return reading.result();
}

/** One StatefulSet's configuration as it is read: small steps, so that each stays cheap to optimise. */
class ConfigReading {
  readonly texts: ConfigText[] = [];
  readonly envByContainer = new Map<string, Map<string, ConfigText>>();
  readonly envNamesByContainer = new Map<string, Set<string>>();
  /** The ConfigMaps used, by name, in order of first use. */
  readonly used = new Map<string, Manifest>();

  constructor(
    readonly statefulSet: Manifest,
    readonly findConfigMap: ConfigMapLookup,
  ) {}

  useConfigMap(name: string | undefined): Manifest | undefined {
    if (name === undefined) return undefined;
    const found = this.findConfigMap(name);
    if (found !== undefined) this.used.set(name, found);
    return found;
  }

  container(list: ContainerList, raw: unknown, index: number): void {
    const container = record(raw);
    if (container === undefined) return;
    const name = text(container.name) ?? `#${index}`;
    const env = new Map<string, ConfigText>();
    const names = new Set<string>();
    this.envNamesByContainer.set(name, names);
    for (const source of listOf(container.envFrom)) this.envFrom(source, name, env);
    const variables = listOf(container.env);
    for (let envIndex = 0; envIndex < variables.length; envIndex++) {
      this.envVar(variables[envIndex], { list, index, field: 'env', item: envIndex }, name, env, names);
    }
    this.envByContainer.set(name, env);
    for (const value of env.values()) this.texts.push(value);
    this.arguments('command', container.command, list, index, name, env);
    this.arguments('args', container.args, list, index, name, env);
  }

  private envFrom(source: unknown, container: string, env: Map<string, ConfigText>): void {
    const cm = this.useConfigMap(text(at(source, 'configMapRef', 'name')));
    if (cm === undefined) return;
    const prefix = text(record(source)?.prefix) ?? '';
    for (const [key, value] of dataTexts(cm)) {
      const envName = prefix + key;
      env.set(envName, new ConfigMapText(value, 'env', cm, key, envName, container, 'all keys'));
    }
  }

  private envVar(raw: unknown, place: ContainerPlace, container: string, env: Map<string, ConfigText>, names: Set<string>): void {
    const variable = record(raw);
    const envName = text(variable?.name);
    if (variable === undefined || envName === undefined) return;
    names.add(envName);
    const literal = scalarText(variable.value);
    if (literal !== undefined) {
      env.set(envName, new ContainerText(expandKubeletVars(literal, env), this.statefulSet, container, place, envName));
      return;
    }
    const ref = record(at(variable, 'valueFrom', 'configMapKeyRef'));
    const cm = this.useConfigMap(text(ref?.name));
    const key = text(ref?.key);
    const data = record(at(cm?.object, 'data'));
    const value = key === undefined ? undefined : scalarText(data?.[key]);
    if (cm !== undefined && key !== undefined && value !== undefined) {
      env.set(envName, new ConfigMapText(value, 'env', cm, key, envName, container, 'one key'));
    }
  }

  private arguments(field: 'command' | 'args', raw: unknown, list: ContainerList, index: number, container: string, env: Map<string, ConfigText>): void {
    const items = listOf(raw);
    for (let i = 0; i < items.length; i++) {
      const value = scalarText(items[i]);
      if (value === undefined) continue;
      const place: ContainerPlace = { list, index, field, item: i };
      this.texts.push(new ContainerText(expandKubeletVars(value, env), this.statefulSet, container, place));
    }
  }

  result(): PodConfig {
    for (const cm of this.used.values()) {
      for (const [key, value] of dataTexts(cm)) this.texts.push(new ConfigMapText(value, 'configmap', cm, key, undefined, undefined, 'one key'));
    }
    const { texts, envByContainer, envNamesByContainer } = this;
    return { texts, envByContainer, envNamesByContainer, configMaps: [...this.used.values()] };
  }
}

type ContainerList = (typeof CONTAINER_LISTS)[number];

/** The keys of a ConfigMap's `data` that hold text, with their texts, in the order written. */
function dataTexts(configMap: Manifest): Array<[string, string]> {
  const data = record(at(configMap.object, 'data'));
  const texts: Array<[string, string]> = [];
  if (data === undefined) return texts;
  for (const key of Object.keys(data)) {
    const value = scalarText(data[key]);
    if (value !== undefined) texts.push([key, value]);
  }
  return texts;
}

/** Where a text is in the pod template: item `item` of `field` of container `index` of `list`. */
interface ContainerPlace {
  readonly list: ContainerList;
  readonly index: number;
  readonly field: 'env' | 'command' | 'args';
  readonly item: number;
}

/*
 * Every StatefulSet's configuration is read, but only the texts in a finding are ever described: `where` and `path`
 * are worked out when asked, not for each of the thousands of texts of a large run.
 */

/** An env value (`envName` its variable), command or args item written in the pod template. */
class ContainerText implements ConfigText {
  readonly origin: ContainerPlace['field'];

  constructor(
    readonly text: string,
    readonly manifest: Manifest,
    readonly container: string,
    private readonly place: ContainerPlace,
    readonly envName?: string,
  ) {
    this.origin = place.field;
  }

  get where(): string {
    const { field, item } = this.place;
    return field === 'env' ? `env ${this.envName} of container "${this.container}"` : `${field}[${item}] of container "${this.container}"`;
  }

  get path(): Path {
    const { list, index, field, item } = this.place;
    const node: Path = field === 'env' ? ['env', item, 'value'] : [field, item];
    return ['spec', 'template', 'spec', list, index, ...node];
  }
}

/** A ConfigMap key: as a file the pods read, or as an env variable (`envFrom` gives all keys, a `configMapKeyRef` one). */
class ConfigMapText implements ConfigText {
  constructor(
    readonly text: string,
    readonly origin: 'env' | 'configmap',
    readonly manifest: Manifest,
    private readonly key: string,
    readonly envName: string | undefined,
    readonly container: string | undefined,
    private readonly keys: 'all keys' | 'one key',
  ) {}

  get where(): string {
    const cm = cmName(this.manifest);
    if (this.origin === 'configmap') return `ConfigMap "${cm}" key ${this.key}`;
    const from = this.keys === 'all keys' ? `ConfigMap "${cm}"` : `ConfigMap "${cm}" key ${this.key}`;
    return `env ${this.envName} (${from}) of container "${this.container}"`;
  }

  get path(): Path {
    return ['data', this.key];
  }
}

function cmName(cm: Manifest): string {
  return text(cm.object.metadata?.name) ?? '';
}

/**
 * The kubelet's expansion of `$(VAR)` in env values, command and args: a variable defined earlier in the container
 * is replaced, `$$` escapes, an unknown reference stays as written (kubernetes third_party/forked/golang/expansion).
 */
export function expandKubeletVars(value: string, env: ReadonlyMap<string, { readonly text: string }>): string {
  if (!value.includes('$')) return value;
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (name === undefined) return '$';
    const found = env.get(name);
    return found === undefined ? whole : found.text;
  });
}

/** Does a value still depend on a shell or unresolved variable (so its exact content is unknown before run time)? */
export function isDynamic(value: string): boolean {
  return /\$[({A-Za-z_]|`/.test(value);
}

/**
 * The value of a setting wherever the system reads it: an env variable (any of `env`), a command-line flag
 * (`--flag=value` or `--flag value`, also inside a shell script), or a `key=value` / `key: value` line in a config
 * file or script (any of `keys`). First match wins, in the order env, flags, keys.
 */
export interface SettingSpec {
  readonly env?: readonly string[];
  readonly flags?: readonly string[];
  /** Regular-expression sources of config keys (`server\\.\\d+`, `controller\\.quorum\\.voters`). */
  readonly keys?: readonly string[];
  /** Config lines may also separate key and value by blanks alone (`cluster-enabled yes`, redis.conf). */
  readonly spaceSeparated?: boolean;
}

export interface SettingValue {
  readonly value: string;
  readonly source: ConfigText;
  /** How it was found, for messages: `--initial-cluster`, `ETCD_INITIAL_CLUSTER`, `server.N`. */
  readonly name: string;
}

export function findSetting(config: PodConfig, spec: SettingSpec): SettingValue | undefined {
  return collectSettings(config, spec, true)[0];
}

/** Every place a setting is given (one per env variable, flag occurrence or config line). */
export function findSettings(config: PodConfig, spec: SettingSpec): SettingValue[] {
  return collectSettings(config, spec, false);
}

/** The settings in findSettings order; with `firstOnly`, stops at the first. */
function collectSettings(config: PodConfig, spec: SettingSpec, firstOnly: boolean): SettingValue[] {
  const found: SettingValue[] = [];
  for (const name of spec.env ?? []) {
    for (const source of config.texts) {
      if (source.origin === 'env' && source.envName === name) {
        found.push({ value: source.text, source, name });
        if (firstOnly) return found;
      }
    }
  }
  for (const flag of spec.flags ?? []) {
    const pattern = flagPattern(flag);
    for (const source of config.texts) {
      // Every match, and the two-item form below, contains the flag itself.
      if (!source.text.includes(flag)) continue;
      if (source.origin === 'configmap' && !looksLikeScript(source.text)) continue;
      for (const match of source.text.matchAll(pattern)) {
        found.push({ value: unquote(match[1]), source, name: flag });
        if (firstOnly) return found;
      }
      // A flag and its value as two list items: args: ["--initial-cluster", "a=..."].
      if (source.text === flag && (source.origin === 'args' || source.origin === 'command')) {
        const next = config.texts.find((t) => t.manifest === source.manifest && sameList(t.path, source.path, 1));
        if (next !== undefined) {
          found.push({ value: next.text, source: next, name: flag });
          if (firstOnly) return found;
        }
      }
    }
  }
  for (const key of spec.keys ?? []) {
    const { line, inline, required } = keyPatterns(key, spec.spaceSeparated === true);
    for (const source of config.texts) {
      if (source.origin === 'env') continue;
      // Both patterns match only where the key's literal start is written: most texts are skipped without a scan.
      if (!source.text.includes(required)) continue;
      const keyOffsets = new Set<number>();
      if (source.origin === 'configmap' || looksLikeScript(source.text)) {
        for (const match of source.text.matchAll(line)) {
          keyOffsets.add((match.index ?? 0) + match[0].indexOf(match[1]));
          const rest = match[2].trim();
          const value = rest === '' ? yamlListAfter(source.text, (match.index ?? 0) + match[0].length) : rest;
          found.push({ value: unquote(value), source, name: match[1] });
          if (firstOnly) return found;
        }
      }
      for (const match of source.text.matchAll(inline)) {
        if (keyOffsets.has((match.index ?? 0) + match[0].indexOf(match[1]))) continue;
        found.push({ value: unquote(match[2]), source, name: match[1] });
        if (firstOnly) return found;
      }
    }
  }
  return found;
}

/**
 * The text every match of the regular-expression source `source` contains at its start: its leading literal
 * characters (`server\.\d+` → `server.`); '' when it cannot tell (an alternation, a leading class or group).
 */
export function literalPrefix(source: string): string {
  if (source.includes('|')) return '';
  let prefix = '';
  for (let i = 0; i < source.length; i++) {
    let literal = source[i];
    let width = 1;
    if (literal === '\\') {
      const next = source[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      literal = next;
      width = 2;
    } else if ('.*+?^${}()[]'.includes(literal)) break;
    const after = source[i + width];
    // An optional character is not required; a repeated one is required once, but what follows may not be next.
    if (after === '?' || after === '*' || after === '{') break;
    prefix += literal;
    if (after === '+') break;
    i += width - 1;
  }
  return prefix;
}

/*
 * The patterns of the settings the systems read, compiled once per flag or key (matchAll works on a copy, so
 * sharing is safe): every StatefulSet asks for the same few.
 */
const flagPatterns = new Map<string, RegExp>();

/** `--flag=value` or `--flag value`, also inside a shell script. */
function flagPattern(flag: string): RegExp {
  let pattern = flagPatterns.get(flag);
  if (pattern === undefined) {
    pattern = new RegExp(`(?:^|\\s|["'])${escapeRegExp(flag)}(?:=|\\s+)("[^"]*"|'[^']*'|[^\\s"';]+)`, 'g');
    flagPatterns.set(flag, pattern);
  }
  return pattern;
}

interface KeyPatterns {
  /** A config file line (`key=value`, `key: value`, `- key: value`, `export key=value`). */
  readonly line: RegExp;
  /** `key=value` inside a command line (`--override key=value`, `echo "key=value" >> file`). */
  readonly inline: RegExp;
  /** The literal text every match contains (see literalPrefix). */
  readonly required: string;
}

const keyPatternsBySource = new Map<string, KeyPatterns>();

function keyPatterns(key: string, spaceSeparated: boolean): KeyPatterns {
  const cacheKey = `${spaceSeparated}/${key}`;
  let patterns = keyPatternsBySource.get(cacheKey);
  if (patterns === undefined) {
    const separator = spaceSeparated ? '(?:[ \\t]*[=:][ \\t]*|[ \\t]+)' : '[ \\t]*[=:][ \\t]*';
    patterns = {
      line: new RegExp(`^[ \\t]*(?:-[ \\t]+|export[ \\t]+)?(${key})${separator}(.*)$`, 'gm'),
      inline: new RegExp(`(?:^|[\\s"'])(${key})=("[^"]*"|'[^']*'|[^\\s"';]+)`, 'g'),
      required: literalPrefix(key),
    };
    keyPatternsBySource.set(cacheKey, patterns);
  }
  return patterns;
}

function sameList(candidate: Path, flagPath: Path, offset: number): boolean {
  if (candidate.length !== flagPath.length) return false;
  const last = candidate.length - 1;
  return candidate.slice(0, last).every((step, i) => step === flagPath[i]) &&
    candidate[last] === (flagPath[last] as number) + offset;
}

function looksLikeScript(value: string): boolean {
  return /^#!|\bexec\b/.test(value);
}

/** `key:` followed by YAML list items `  - a` on the next lines, as `a,b`. */
function yamlListAfter(source: string, offset: number): string {
  const items: string[] = [];
  for (const line of source.slice(offset).split('\n').slice(1)) {
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item === null) break;
    items.push(unquote(item[1].trim()));
  }
  return items.join(',');
}

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'") && trimmed.endsWith(trimmed[0])) {
    return trimmed.slice(1, -1);
  }
  return trimmed;
}

