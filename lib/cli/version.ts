import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The package's version, read from package.json (two levels above build/lib/cli at run time). */
export function packageVersion(): string {
  for (const candidate of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(path.resolve(__dirname, candidate), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk8s-stateful' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}
