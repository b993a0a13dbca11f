import * as os from 'node:os';
import { Chart, ChartProps, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { lintObjects } from '../../../lib/api';

/** A fresh chart in a fresh app. */
export function newChart(props: ChartProps = {}): Chart {
  // toJson() writes nothing; the outdir only keeps Testing.app() from creating a temp directory per test.
  return new Chart(Testing.app({ outdir: os.tmpdir() }), 'test', props);
}

/** The one synthesized object of this kind and name; fails when there is none or more than one. */
export function findObject(manifests: readonly any[], kind: string, name: string): any {
  const found = manifests.filter((m) => m.kind === kind && m.metadata?.name === name);
  if (found.length !== 1) {
    const present = manifests.map((m) => `${m.kind}/${m.metadata?.name}`).join(', ');
    throw new Error(`expected exactly one ${kind}/${name}, found ${found.length} (present: ${present})`);
  }
  return found[0];
}

/** All synthesized objects of a kind. */
export function ofKind(manifests: readonly any[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}

/** The objects as one multi-document YAML text, as `cdk8s synth` writes them (snapshots compare this). */
export function yamlText(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

/** Every lint finding on the objects (as if read from `file`), one line each: `rule severity: message`. */
export function findingLines(objects: readonly unknown[], file: string): string[] {
  return lintObjects(objects, file).findings.map((f) => `${f.rule} ${f.severity}: ${f.message}`);
}
