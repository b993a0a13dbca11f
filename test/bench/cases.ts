/**
 * What a benchmark case is. `npm run bench` runs every case of every module `test/bench/*-cases.ts`: each export
 * whose name ends in `Cases` is called with the run's options and returns the cases it contributes (so a new set of
 * cases is a new file, and the runner needs no edit).
 */

export interface CaseOptions {
  /** `--quick`: the smallest sizes only, one run each. */
  readonly quick: boolean;
  /** `--docs N`: only the realistic case of (about) this many documents. */
  readonly documents?: number;
}

/** The JSON report of `lint --format json`, as far as checks read it. */
export interface JsonReport {
  readonly findings: readonly { readonly rule: string; readonly severity: string; readonly file: string; readonly message: string }[];
  readonly summary: { readonly documents: number; readonly files: number; readonly errors: number; readonly warnings: number };
}

export interface BuiltCase {
  /** Paths given to `lint`, relative to the repository root. */
  readonly paths: readonly string[];
  readonly documents: number;
  readonly files: number;
  readonly bytes: number;
  /** One line saying what was generated (e.g. which defects were planted). */
  readonly summary: string;
  /**
   * Reads the report of one lint run and returns what is wrong with it (a planted defect missed, a finding where
   * none belongs). A case that returns problems fails the benchmark: a fast linter that finds nothing proves nothing.
   */
  check?(report: JsonReport): string[];
}

export interface Target {
  readonly label: string;
  /** Given the case's measurements, whether the target is met and the figure to print. */
  judge(measured: CaseMeasurement): { met: boolean; figure: string } | undefined;
}

export interface BenchCase {
  /** Short and unique, e.g. `realistic-10k`; also the name of its directory under .bench/. */
  readonly name: string;
  readonly description: string;
  /** Writes the input files under `dir` (an empty directory). */
  build(dir: string): BuiltCase;
  /** Measured runs (after one warm-up run); default 3, 1 with --quick. */
  readonly runs?: number;
  /** Also time the two parse floors (`yaml` and js-yaml) on the same files. */
  readonly floors?: boolean;
  /**
   * Also time a run with the other choice of threads (`--jobs 1` when the default starts worker threads here, else
   * `--jobs 2`; lib/load/parallel.ts workerCount) and check that its output is identical.
   */
  readonly otherThreads?: boolean;
  /**
   * Also time the default run pinned to one core (`taskset`), when the machine has more than one and taskset can
   * pin: how much the other cores shorten the wall time, whoever runs on them (worker threads or V8's own threads).
   */
  readonly oneCore?: boolean;
  /** Extra `lint` arguments (the runner always adds `--format json`). */
  readonly lintArgs?: readonly string[];
  readonly targets?: readonly Target[];
}

/** What the runner measured for one case: medians over the runs, in ms and MiB. */
export interface CaseMeasurement {
  readonly built: BuiltCase;
  /** The lint's arguments after `node` (the CLI's path first). */
  readonly lintArgs: readonly string[];
  readonly lint: Figures;
  /** The run with the other choice of threads, and its `--jobs`. */
  readonly otherThreads?: Figures & { readonly jobs: number };
  /** The default run pinned to one core. */
  readonly oneCore?: Figures & { readonly core: string };
  readonly yamlFloor?: Figures;
  readonly jsYamlFloor?: Figures;
}

export interface Figures {
  readonly wallMs: number;
  readonly cpuMs?: number;
  readonly peakMiB?: number;
  readonly runs: number;
}
