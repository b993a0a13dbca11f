import * as os from 'node:os';
import { Chart, ChartProps, Testing } from 'cdk8s';

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
