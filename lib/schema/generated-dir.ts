import { readFileSync } from 'fs';
import * as path from 'path';
import { DEFAULT_KUBERNETES_VERSION, type KubernetesVersion } from '../k8s/versions';

/** Where the build writes the precompiled schemas of `version`, relative to build/lib/schema. */
export function generatedDir(version: KubernetesVersion): string {
  return version === DEFAULT_KUBERNETES_VERSION ? 'generated' : `generated/${version}`;
}

/**
 * A JSON file the build wrote (`generated/kinds.json`), relative to build/lib/schema. Read, not required: `require`
 * would resolve the path and keep the text in its cache, which costs a cold start more than the parse.
 */
export function readGenerated<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(__dirname, file), 'utf8')) as T;
}
