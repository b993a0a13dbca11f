/** Synthesis, snapshots and lint for the blueprint tests: what `cdk8s synth` writes, compared byte for byte. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { lintObjects } from '../../../../lib/api';

/** The repository root, from build/test/unit/constructs/blueprints/. */
export const repoRoot = path.resolve(__dirname, '../../../../..');

export interface Synthesized {
  readonly yaml: string;
  readonly objects: any[];
}

/** Builds a chart with `build` and synthesizes it as `cdk8s synth` does (the YAML file it writes). */
export function synthChart(namespace: string, build: (chart: Chart) => void): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-'));
  try {
    const app = new App({ outdir });
    build(new Chart(app, 'chart', { namespace }));
    app.synth();
    const yaml = fs.readFileSync(path.join(outdir, 'chart.k8s.yaml'), 'utf8');
    return { yaml, objects: parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o !== null) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Compares with the committed snapshot; `UPDATE_SNAPSHOTS=1` rewrites it (review the diff). */
export function assertSnapshot(name: string, yaml: string): void {
  const file = path.join(repoRoot, 'test/unit/constructs/blueprints/__snapshots__', name);
  if (process.env.UPDATE_SNAPSHOTS === '1') fs.writeFileSync(file, yaml);
  assert.ok(fs.existsSync(file), `no snapshot ${file}: run with UPDATE_SNAPSHOTS=1 to write it`);
  assert.equal(yaml, fs.readFileSync(file, 'utf8'), `${name} differs from its snapshot; if intended, rerun with UPDATE_SNAPSHOTS=1`);
}

/** Every finding of every rule (all rules run unless turned off), as `rule severity: message`. */
export function findingsOf(objects: readonly unknown[]): string[] {
  return lintObjects(objects, 'blueprint.yaml').findings.map((f) => `${f.rule} ${f.severity}: ${f.message}`);
}

/** The one object of this kind and name. */
export function objectOf(objects: readonly any[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  assert.equal(found.length, 1, `expected one ${kind}/${name}`);
  return found[0];
}

/** A deep copy to mutate into a broken variant. */
export function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The value of an env variable of the first container of a StatefulSet. */
export function envOf(statefulSet: any, name: string): string | undefined {
  return statefulSet.spec.template.spec.containers[0].env.find((e: any) => e.name === name)?.value;
}

/** `key=value` lines of a Java properties text (comments and blank lines skipped; later keys win). */
export function parseProperties(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (/^\s*(#|!|$)/.test(line)) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    assert.ok(match, `not a key=value line: ${JSON.stringify(line)}`);
    map.set(match[1], match[2]);
  }
  return map;
}
