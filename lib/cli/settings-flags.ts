/**
 * The settings flags `lint` and `diff` share (`--config`, `--rule`, `--namespace`, `--kubernetes-version`) as
 * sources of the one resolver.
 */
import type { RuleRegistry } from '../core/rule';
import { UsageError, type CliIo } from './io';
import { ConfigError, configFileSource, resolveSettings, type Settings, type SettingsSource } from '../lint/settings';

export const SETTINGS_FLAGS = {
  rule: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  namespace: { type: 'string', short: 'n' },
  'kubernetes-version': { type: 'string' },
} as const;

/** One `--rule ID=SETTING` as a source, so the resolver checks it as it checks a config file. */
export function ruleFlagSource(spec: string): SettingsSource {
  const match = /^([^=]+)=(.*)$/.exec(spec);
  if (!match) throw new ConfigError(`--rule ${spec}: expected ID=off|warning|error`);
  return { name: `--rule ${spec}`, value: { rules: { [match[1]]: match[2] } } };
}

export interface SettingsFlagValues {
  readonly rule?: readonly string[];
  readonly config?: string;
  readonly namespace?: string;
  readonly 'kubernetes-version'?: string;
}

/**
 * The settings of a command line: the config file, then the flags (later `--rule`s win).
 * `more` are other flags of the command, as settings (`ignoreMissingSchemas` ...), applied last.
 */
export function settingsFromFlags(values: SettingsFlagValues, registry: RuleRegistry, more: Settings = {}): Settings {
  const sources: SettingsSource[] = [];
  if (values.config !== undefined) sources.push(configFileSource(values.config));
  sources.push(...(values.rule ?? []).map(ruleFlagSource));
  const flags = Object.fromEntries(
    Object.entries({
      ...more,
      defaultNamespace: values.namespace,
      kubernetesVersion: values['kubernetes-version'],
    }).filter(([, value]) => value !== undefined),
  );
  sources.push({ name: 'command line', value: flags });
  return resolveSettings(sources, registry);
}

/** `--stdin-filename NAME`: the name findings in stdin's documents carry (default `<stdin>`). */
export function stdinFilename(value: string | undefined, command: string): string | undefined {
  if (value === '') throw new UsageError(`${command}: --stdin-filename needs a name`);
  return value;
}

/** The command's stdin if one of `paths` is `-`: Node creates process.stdin on first use, a cold start's ~10 ms. */
export function stdinIfRead(paths: readonly string[], io: CliIo): NodeJS.ReadableStream | undefined {
  return paths.includes('-') ? io.stdin : undefined;
}
