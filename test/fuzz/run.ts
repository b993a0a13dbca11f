/**
 * `npm run fuzz [-- --cases N --seed S]`: the long fuzz run (default 100,000 cases). Prints each failing case
 * with its text, a summary, and exits 1 on any failure.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusTexts, fuzzCase } from './cases';
import { fuzz } from './harness';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, seed: { type: 'string' } } });
  const cases = Number(values.cases ?? 100_000);
  const seed = Number(values.seed ?? 14);
  const corpus = corpusTexts(path.resolve(__dirname, '../../..'));
  const started = Date.now();
  const result = await fuzz({
    seed,
    cases,
    corpus,
    onProgress: (done) => {
      if (done % 5000 === 0) process.stderr.write(`fuzz: ${done} of ${cases} cases\n`);
    },
  });
  for (const failure of result.failures) {
    process.stdout.write(`case ${failure.index}:\n  ${failure.problems.join('\n  ')}\n  text: ${JSON.stringify(fuzzCase(seed, failure.index, corpus).slice(0, 2000))}\n`);
  }
  process.stdout.write(
    `fuzz: ${result.cases} cases (seed ${seed}, ${corpus.length} corpus files), ${result.failures.length} failing, ` +
      `slowest ${Math.round(result.slowestMs)} ms, peak RSS ${result.peakRssMb} MB, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  process.exitCode = result.failures.length > 0 ? 1 : 0;
}

void main();
