/**
 * How the loader asks the `yaml` package to read Kubernetes YAML: syntax only. Every scalar stays the text the
 * user wrote (the failsafe schema), and decode.ts resolves it as Kubernetes' reader (go-yaml v2) does; the
 * `yaml` package's own YAML 1.1 schema differs on `.`, `1e309`, `0o17`, timestamps, `!!binary`, `!!set`...
 */
import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';

/**
 * Duplicate keys are found by the loader (duplicate-keys.ts) in linear time; `yaml`'s own check compares every
 * key with every earlier one, which takes minutes on a mapping of 100,000 keys. `logLevel`: nothing the
 * package notices may reach stderr as a Node warning; what matters is in each document's errors.
 */
export const KUBERNETES_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  schema: 'failsafe',
  uniqueKeys: false,
  logLevel: 'silent',
};
