/**
 * The schema pass of one document, as the loader's threads run it (lib/load/parallel.ts `DocumentCheck`): lint
 * names this module, so a file read on a thread is validated there and the main thread only reads the result.
 */
import type { KubernetesVersion } from '../k8s/versions';
import { validateSchema, type SchemaResult } from './validate';

export interface SchemaCheckOptions {
  readonly kubernetesVersion?: KubernetesVersion;
}

export function checkDocument(object: unknown, options: SchemaCheckOptions): SchemaResult {
  return validateSchema(object, options.kubernetesVersion);
}
