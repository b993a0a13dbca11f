/** Runs fuzz cases [from, to) of a seed and reports each to the watchdog (harness.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { fuzzCase } from './cases';
import { checkCase } from './check';

interface Job {
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  readonly corpus: string[];
}

async function main(): Promise<void> {
  const { seed, from, to, corpus } = workerData as Job;
  const warnings: string[] = [];
  process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));
  for (let index = from; index < to; index++) {
    parentPort!.postMessage({ type: 'start', index });
    const started = process.hrtime.bigint();
    const problems = await checkCase(fuzzCase(seed, index, corpus), index % 4 === 0);
    // A Node warning is printed to stderr by the CLI's process: it counts against the case that raised it.
    await new Promise((resolve) => setImmediate(resolve));
    problems.push(...warnings.splice(0).map((w) => `Node warning on stderr: ${w}`));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    parentPort!.postMessage({ type: 'done', index, problems, ms, rss: process.memoryUsage().rss });
  }
}

void main();
