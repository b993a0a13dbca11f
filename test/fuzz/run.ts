/**
 * `npm run fuzz [-- --cases N --seed S --from I]`: the long fuzz run (default 100,000 cases, indexes I to I + N - 1).
 * A run can be resumed or sharded by index range: progress lines name the next index. Prints each failing case
 * with its text, a summary, and exits 1 on any failure.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusTexts, fuzzCase } from './cases';
import { fuzz } from './harness';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, seed: { type: 'string' }, from: { type: 'string' } } });
  const cases = Number(values.cases ?? 100_000);
  const seed = Number(values.seed ?? 14);
  const from = Number(values.from ?? 0);
  const corpus = corpusTexts(path.resolve(__dirname, '../../..'));
  const started = Date.now();
  let failuresSoFar = 0;
  const result = await fuzz({
    seed,
    from,
    cases,
    corpus,
    onProgress: (next) => {
      if ((next - from) % 1000 === 0) {
        const cpu = process.cpuUsage();
        process.stderr.write(
          `fuzz: ${next - from} of ${cases} cases done (next index ${next}), ${failuresSoFar} failing, ` +
            `${((Date.now() - started) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU (process)\n`,
        );
      }
    },
    onFailure: (failure) => {
      failuresSoFar++;
      process.stdout.write(`case ${failure.index}:\n  ${failure.problems.join('\n  ')}\n  text: ${JSON.stringify(fuzzCase(seed, failure.index, corpus).slice(0, 2000))}\n`);
    },
  });
  process.stdout.write(
    `fuzz: ${result.cases} cases (seed ${seed}, indexes ${from} to ${from + cases - 1}, ${corpus.length} corpus files), ${result.failures.length} failing, ` +
      `slowest ${Math.round(result.slowestMs)} ms, peak RSS ${result.peakRssMb} MB, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  process.exitCode = result.failures.length > 0 ? 1 : 0;
}

void main();
