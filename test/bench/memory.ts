/**
 * `npm run bench:memory`: peak memory of `lint` on the inputs of issue 14 that once took gigabytes. Each case
 * runs in its own process (the CLI as users run it) and prints exit code, wall time, peak RSS and the first line
 * of output: every case must stay under 500 MB, or be refused with a message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const LIMIT_MB = 500;
const cli = path.resolve(__dirname, '../../lib/cli/main.js');

interface Case {
  readonly name: string;
  write(file: string): void;
}

const CASES: Case[] = [
  {
    name: '50 MB double-quoted string',
    write: (file) => writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  a: "${'x'.repeat(50_000_000)}"\n`),
  },
  {
    name: 'mapping of 1,000,000 keys',
    write: (file) => {
      const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: wide}', 'data:'];
      for (let i = 0; i < 1_000_000; i++) lines.push(`  k${i}: v`);
      writeFileSync(file, `${lines.join('\n')}\n`);
    },
  },
  {
    name: 'kind: List of 100,000 PVs and one claim',
    write: (file) => {
      const items = ['apiVersion: v1', 'kind: List', 'items:'];
      for (let i = 0; i < 100_000; i++) {
        items.push(`- {apiVersion: v1, kind: PersistentVolume, metadata: {name: pv${i}}, spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], nfs: {server: s, path: /p}}}`);
      }
      items.push('- {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: c}, spec: {accessModes: [ReadWriteOnce], storageClassName: "", resources: {requests: {storage: 5Gi}}}}');
      writeFileSync(file, `${items.join('\n')}\n`);
    },
  },
  {
    name: 'kind: List of 9,500 PVs, a finding each',
    write: (file) => {
      const items = ['apiVersion: v1', 'kind: List', 'items:'];
      for (let i = 0; i < 9_500; i++) {
        items.push(`- {apiVersion: v1, kind: PersistentVolume, metadata: {name: pv${i}}, spec: {capacityy: 1, accessModes: [ReadWriteOnce], nfs: {server: s, path: /p}}}`);
      }
      writeFileSync(file, `${items.join('\n')}\n`);
    },
  },
  {
    name: '125,000 documents in one file',
    write: (file) => writeFileSync(file, Array.from({ length: 125_000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`).join('---\n')),
  },
];

function peakOf(stderr: string): number | undefined {
  const match = /PEAK_RSS_KB=(\d+)/.exec(stderr);
  return match ? Number(match[1]) / 1024 : undefined;
}

function main(): void {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cdk8s-stateful-memory-'));
  const node = process.execPath;
  const cpus = execFileSync('nproc').toString().trim();
  process.stdout.write(`lint memory cases (node ${process.version}, ${cpus} cores; limit ${LIMIT_MB} MB)\n`);
  let over = 0;
  try {
    for (const [index, testCase] of CASES.entries()) {
      const file = path.join(scratch, `case${index}.yaml`);
      testCase.write(file);
      const size = statSync(file).size / 1024 / 1024;
      const started = Date.now();
      // The peak RSS the kernel records for the child (getrusage), printed by a wrapper on exit.
      const wrapper = `process.on('exit', () => process.stderr.write('PEAK_RSS_KB=' + process.resourceUsage().maxRSS + '\\n')); process.argv = [process.argv[0], ${JSON.stringify(cli)}, 'lint', '--format', 'json', ${JSON.stringify(file)}]; require(${JSON.stringify(cli)});`;
      const run = spawnSync(node, ['-e', wrapper], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
      const seconds = (Date.now() - started) / 1000;
      const peak = peakOf(run.stderr) ?? Number.NaN;
      let outcome: string;
      try {
        const report = JSON.parse(run.stdout) as { findings: { message: string }[] };
        outcome = report.findings[0]?.message.slice(0, 110) ?? 'linted, no findings';
      } catch {
        outcome = run.stderr.split('\n').find((line) => !line.startsWith('PEAK_RSS_KB')) ?? '';
      }
      if (!(peak < LIMIT_MB)) over++;
      process.stdout.write(
        `${testCase.name.padEnd(40)} ${size.toFixed(1).padStart(6)} MB  exit ${run.status}  ${seconds.toFixed(1).padStart(5)} s  ` +
          `peak RSS ${peak.toFixed(0).padStart(4)} MB  ${outcome}\n`,
      );
      rmSync(file);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exitCode = over > 0 ? 1 : 0;
}

main();
