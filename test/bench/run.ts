/**
 * `npm run bench`: the linter's speed next to its floor (parsing the same files with the same YAML library)
 * and a one-file cold start next to `node -e 0`. A benchmark, not a test: it prints figures and never fails
 * on them, except when the linter misses a planted defect (a fast linter that finds nothing proves nothing).
 *
 *   node build/test/bench/run.js [--docs N] [--files N] [--runs N] [--one-class] [--profile]
 *   (--one-class: every unit in one storage class, so the binder sees all claims and PVs as one set)
 *   node build/test/bench/run.js --floor DIR     (internal: parse every file under DIR and exit)
 *   node build/test/bench/binder.js [--no-cli]   the binder cases alone (run.ts runs them at the end)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CorpusSummary, DOCS_PER_UNIT, EXPECTED_RULE, generateCorpus, unitDocuments } from './corpus';
import { hasGnuTime, runOnce, runSeries, Series } from './measure';
import { summariseProfile } from './profile';
import { runBinderBench } from './binder';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'build/lib/cli/main.js');
const benchDir = path.join(repoRoot, '.bench');

/** Targets from issue 3: kubeconform -strict lints such a corpus at ~2,700 docs/s on this machine. */
const TARGET_DOCS_PER_SECOND = 2700;
const TARGET_ONE_FILE_MS = 250;
const TARGET_PEAK_MIB = 300;

interface Options {
  readonly documents: number;
  readonly files: number;
  readonly runs: number;
  readonly profile: boolean;
  readonly oneClass: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer, got "${argv[i + 1]}"`);
    return n;
  };
  return { documents: value('--docs', 10_000), files: value('--files', 500), runs: value('--runs', 5), profile: argv.includes('--profile'),
    oneClass: argv.includes('--one-class') };
}

/** The floor: read and parse every file in one process, doing nothing else. Prints the document count. */
function floor(dir: string): void {
  let documents = 0;
  for (const name of fs.readdirSync(dir).sort()) {
    documents += parseAllDocuments(fs.readFileSync(path.join(dir, name), 'utf8')).length;
  }
  process.stdout.write(`${documents}\n`);
}

function main(): void {
  const floorIndex = process.argv.indexOf('--floor');
  if (floorIndex >= 0) return floor(process.argv[floorIndex + 1]);

  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(cli)) {
    console.error(`bench: ${path.relative(repoRoot, cli)} does not exist; run \`npm run build\` first`);
    process.exit(2);
  }
  const corpusDir = path.join(benchDir, 'corpus');
  const corpus = generateCorpus({ dir: corpusDir, documents: options.documents, files: options.files, seed: 42, brokenShare: 0.2,
    ...(options.oneClass ? { sharedClass: 'static' } : {}) });
  const oneFileDir = path.join(benchDir, 'one-file');
  fs.rmSync(oneFileDir, { recursive: true, force: true });
  fs.mkdirSync(oneFileDir, { recursive: true });
  const oneFile = path.join(oneFileDir, 'app.yaml');
  fs.writeFileSync(oneFile, unitDocuments(0).join('---\n'));

  printMachine();
  console.log(`corpus: ${corpus.documents} documents in ${corpus.files} files under ${path.relative(repoRoot, corpusDir)}/, ` +
    `${corpus.units} units of ${DOCS_PER_UNIT} documents, ${sum(corpus.defects.values())} broken ` +
    `${options.oneClass ? '(all in storage class "static") ' : ''}` +
    `(${[...corpus.defects].map(([d, n]) => `${d} ${n}`).join(', ')})`);
  if (!hasGnuTime()) console.log('peak memory: not measured (install GNU time: apt-get install -y time)');
  console.log('');

  const lintArgs = [cli, 'lint', path.relative(repoRoot, corpusDir), '--format', 'json'];
  checkFindings(corpus, runOnce(process.execPath, lintArgs, { cwd: repoRoot }).stdout);

  const lint = runSeries(process.execPath, lintArgs, { cwd: repoRoot, times: options.runs, discardStdout: true });
  const parse = runSeries(process.execPath, [__filename, '--floor', corpusDir], { cwd: repoRoot, times: options.runs });
  const cold = runSeries(process.execPath, [cli, 'lint', path.relative(repoRoot, oneFile)], { cwd: repoRoot, times: 10 });
  const bare = runSeries(process.execPath, ['-e', '0'], { cwd: repoRoot, times: 10 });

  const docsPerSecond = (series: Series): number => corpus.documents / (series.medianMs / 1000);
  const rate = (series: Series): string =>
    `${fmt(docsPerSecond(series))} docs/s` +
    (series.medianCpuMs !== undefined ? ` (${fmt(corpus.documents / (series.medianCpuMs / 1000))} docs per CPU second)` : '');
  const rows: [string, string, Series, string][] = [
    ['lint (whole CLI, --format json)', `node build/lib/cli/main.js ${lintArgs.slice(1).join(' ')} > /dev/null`, lint, rate(lint)],
    ['floor (yaml parseAllDocuments only)', `node build/test/bench/run.js --floor ${path.relative(repoRoot, corpusDir)}`, parse,
      rate(parse)],
    ['one-file cold start', `node build/lib/cli/main.js lint ${path.relative(repoRoot, oneFile)}`, cold, ''],
    ['node -e 0', 'node -e 0', bare, ''],
  ];
  for (const [title, command, series, rate] of rows) {
    const cpu = series.medianCpuMs !== undefined ? ` (CPU ${fmtMs(series.medianCpuMs)})` : '';
    console.log(`${title}\n  $ ${command}\n  median ${fmtMs(series.medianMs)}${cpu}, min ${fmtMs(series.minMs)} over ${series.runs.length} runs` +
      `${series.maxPeakMiB !== undefined ? `, peak RSS ${series.maxPeakMiB.toFixed(0)} MiB` : ''}${rate ? `, ${rate}` : ''}`);
  }
  console.log('');
  console.log('targets (issue 3):');
  verdict(`throughput > ${fmt(TARGET_DOCS_PER_SECOND)} docs/s (kubeconform -strict)`, `${fmt(docsPerSecond(lint))} docs/s`,
    docsPerSecond(lint) > TARGET_DOCS_PER_SECOND);
  verdict(`one-file run < ${TARGET_ONE_FILE_MS} ms`, fmtMs(cold.medianMs), cold.medianMs < TARGET_ONE_FILE_MS);
  if (lint.maxPeakMiB !== undefined) {
    verdict(`peak memory < ${TARGET_PEAK_MIB} MB`, `${lint.maxPeakMiB.toFixed(0)} MiB`, lint.maxPeakMiB * 1.048576 < TARGET_PEAK_MIB);
  }
  console.log(`  lint time over the parse floor: ${(lint.medianMs / parse.medianMs).toFixed(1)}x; ` +
    `cold start over bare node: +${fmtMs(cold.medianMs - bare.medianMs)}`);

  if (options.profile) profile(lintArgs);
  console.log('');
  runBinderBench();
}

/** Every planted defect must show up as a finding of the expected rule in its file; warn otherwise. */
function checkFindings(corpus: CorpusSummary, json: string): void {
  let report: { findings: { rule: string; file: string }[] };
  try {
    report = JSON.parse(json);
  } catch {
    console.error(`bench: the linter's JSON output does not parse; first 300 characters:\n${json.slice(0, 300)}`);
    process.exit(1);
  }
  const rulesByFile = new Map<string, Set<string>>();
  for (const f of report.findings) {
    const file = path.resolve(repoRoot, f.file);
    rulesByFile.set(file, (rulesByFile.get(file) ?? new Set()).add(f.rule));
  }
  const missed: string[] = [];
  for (const [file, defects] of corpus.defectsByFile) {
    for (const defect of defects) {
      if (!rulesByFile.get(file)?.has(EXPECTED_RULE[defect])) {
        missed.push(`${path.relative(repoRoot, file)}: ${defect} (expected ${EXPECTED_RULE[defect]})`);
      }
    }
  }
  const noisy = [...rulesByFile.keys()].filter((file) => !corpus.defectsByFile.has(file));
  console.log(`findings: ${report.findings.length} in ${rulesByFile.size} files; ` +
    `planted defects missed: ${missed.length}; files without a defect that got findings: ${noisy.length}`);
  for (const line of missed.slice(0, 10)) console.log(`  missed ${line}`);
  if (missed.length > 0) process.exitCode = 1;
  for (const file of noisy.slice(0, 5)) console.log(`  unexpected findings in ${path.relative(repoRoot, file)}`);
  console.log('');
}

function profile(lintArgs: readonly string[]): void {
  const dir = path.join(benchDir, 'profile');
  fs.rmSync(dir, { recursive: true, force: true });
  runOnce(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...lintArgs], { cwd: repoRoot, discardStdout: true });
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) {
    console.log('profile: node wrote no .cpuprofile');
    return;
  }
  const summary = summariseProfile(path.join(dir, file), repoRoot);
  console.log(`\nprofile (${path.relative(repoRoot, path.join(dir, file))}, ${fmtMs(summary.totalMs)} in total), self time:`);
  console.log('  by file:');
  for (const s of summary.byFile) console.log(`    ${(s.share * 100).toFixed(1).padStart(5)}%  ${fmtMs(s.ms).padStart(8)}  ${s.label}`);
  console.log('  by function:');
  for (const s of summary.byFunction) console.log(`    ${(s.share * 100).toFixed(1).padStart(5)}%  ${fmtMs(s.ms).padStart(8)}  ${s.label}`);
}

function printMachine(): void {
  const cpus = os.cpus();
  console.log(`machine: ${os.availableParallelism()} cores (nproc), ${cpus[0]?.model ?? 'unknown CPU'}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${os.platform()} ${os.release()}`);
}

function verdict(target: string, measured: string, met: boolean): void {
  console.log(`  ${met ? 'met    ' : 'MISSED '} ${target}: ${measured}`);
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number): string => `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;

try {
  main();
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(2);
}
