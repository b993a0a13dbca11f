/**
 * The binder cases of binder.ts (issues 7 and 13) as benchmark cases: the whole CLI on each case's YAML, with
 * the case's targets (wall time and peak memory). `node build/test/bench/binder.js` times bindClaims alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BINDER_CASES } from './binder';
import type { BenchCase, CaseOptions } from './cases';

const repoRoot = path.resolve(__dirname, '../../..');

export function binderCases(options: CaseOptions): BenchCase[] {
  if (options.quick || options.documents !== undefined) return [];
  return BINDER_CASES.map((c) => ({
    name: `binder-${c.name}`,
    description: c.title,
    runs: 1,
    build: (dir) => {
      const file = path.join(dir, `${c.name}.yaml`);
      const text = c.yaml();
      fs.writeFileSync(file, text);
      return {
        paths: [path.relative(repoRoot, file)],
        documents: text.split('\n---\n').length,
        files: 1,
        bytes: Buffer.byteLength(text),
        summary: 'claims and PVs of one storage class',
      };
    },
    targets: [
      {
        label: `wall < ${c.targetMs.toLocaleString('en-US')} ms (whole CLI)`,
        judge: ({ lint }) => ({ met: lint.wallMs < c.targetMs, figure: `${lint.wallMs.toFixed(0)} ms` }),
      },
      {
        label: `peak RSS < ${c.targetMiB} MB`,
        judge: ({ lint }) =>
          lint.peakMiB === undefined ? undefined : { met: lint.peakMiB * 1.048576 < c.targetMiB, figure: `${(lint.peakMiB * 1.048576).toFixed(0)} MB` },
      },
    ],
  }));
}
