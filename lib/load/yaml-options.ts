/**
 * How Kubernetes reads YAML (sigs.k8s.io/yaml on top of go-yaml v2), expressed as `yaml` package options.
 */
import type { DocumentOptions, ParseOptions, SchemaOptions, ToJSOptions } from 'yaml';

type Tags = Exclude<SchemaOptions['customTags'], ((tags: never) => unknown) | null | undefined>;

/**
 * go-yaml v2 decodes timestamps and sexagesimal numbers (`1:20`) into interface{} as plain strings, so the
 * API server sees `2001-12-14` and `12:30` as strings. The `yaml-1.1` schema of the `yaml` package would turn
 * them into a Date and an integer, and the schema pass would then reject valid manifests.
 */
function withoutTimeTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag === 'string') return true;
    return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME';
  });
}

/**
 * YAML 1.1: an unquoted `yes`, `on` or `off` is a boolean, `0777` is octal, `<<` merges. Duplicate keys are
 * found by the loader (lib/lint/duplicate-keys.ts) in linear time; `yaml`'s own check compares every key with
 * every earlier one, which takes minutes on a mapping of 100,000 keys.
 */
export const KUBERNETES_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: withoutTimeTags,
  uniqueKeys: false,
};

/** Bounds alias expansion (a "billion laughs" document) well below anything that strains memory. */
export const TO_JS: ToJSOptions = { maxAliasCount: 1000 };
