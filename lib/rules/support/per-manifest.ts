import type { LintContext, Manifest } from '../../core/types';

/** `read(manifest.object)`, computed once per run under `key` however many rules or StatefulSets ask for it. */
export function perManifest<T>(ctx: LintContext, key: string, manifest: Manifest, read: (object: Manifest['object']) => T): T {
  const values = ctx.memo(key, () => new Map<Manifest, T>());
  let value = values.get(manifest);
  if (value === undefined) {
    value = read(manifest.object);
    values.set(manifest, value);
  }
  return value;
}
