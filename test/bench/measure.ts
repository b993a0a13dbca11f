/**
 * Timing and peak-memory measurement of child processes. Peak memory (max RSS) and CPU time (user + system) come
 * from GNU time (`/usr/bin/time -f '%M %U %S'`), which reads them from the kernel when the child exits; without it,
 * only wall time is reported. CPU time is the steadier figure when other work shares the machine.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const GNU_TIME = '/usr/bin/time';

export interface RunResult {
  readonly wallMs: number;
  /** Max resident set size in MiB, when GNU time is available. */
  readonly peakMiB?: number;
  /** User + system CPU time, when GNU time is available (10 ms resolution). */
  readonly cpuMs?: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Series {
  readonly runs: readonly RunResult[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly medianCpuMs?: number;
  readonly maxPeakMiB?: number;
}

export function hasGnuTime(): boolean {
  return fs.existsSync(GNU_TIME);
}

/** Runs `command args` once, with stdout captured (pass `discardStdout` to send it to /dev/null instead). */
export function runOnce(command: string, args: readonly string[], options: { cwd: string; discardStdout?: boolean }): RunResult {
  const memFile = path.join(os.tmpdir(), `cdk8s-stateful-bench-${process.pid}.mem`);
  const [cmd, argv] = hasGnuTime() ? [GNU_TIME, ['-f', '%M %U %S', '-o', memFile, command, ...args]] : [command, [...args]];
  const stdoutFd = options.discardStdout ? fs.openSync('/dev/null', 'w') : 'pipe';
  const start = process.hrtime.bigint();
  const child = spawnSync(cmd, argv, {
    cwd: options.cwd,
    stdio: ['ignore', stdoutFd, 'pipe'],
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (typeof stdoutFd === 'number') fs.closeSync(stdoutFd);
  if (child.error) throw new Error(`could not run ${command}: ${child.error.message}`);
  let peakMiB: number | undefined;
  let cpuMs: number | undefined;
  if (fs.existsSync(memFile)) {
    // GNU time writes "Command exited with non-zero status N" before the figures when the child fails.
    const [kib, user, system] = fs.readFileSync(memFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    fs.rmSync(memFile);
    if (Number.isFinite(kib)) peakMiB = kib / 1024;
    if (Number.isFinite(user) && Number.isFinite(system)) cpuMs = (user + system) * 1000;
  }
  return { wallMs, peakMiB, cpuMs, exitCode: child.status ?? -1, stdout: child.stdout ?? '', stderr: child.stderr ?? '' };
}

/**
 * Each command once to warm up (it fills the OS file cache), then `times` rounds of every command in turn: a drift
 * of the machine's speed (up to 60% within an hour on the 2-core machines measured) then falls on all of them alike,
 * and ratios between their medians hold.
 */
export function runInterleaved<Name extends string>(
  command: string,
  argLists: Readonly<Record<Name, readonly string[]>>,
  options: { cwd: string; times: number; discardStdout?: boolean; wrappers?: Partial<Record<Name, readonly string[]>> },
): Record<Name, Series> {
  const names = Object.keys(argLists) as Name[];
  // A wrapper runs the named command through another (`taskset -c 0`), which execs it: GNU time still times it.
  const run = (name: Name) => {
    const wrapper = options.wrappers?.[name];
    return wrapper === undefined
      ? runOnce(command, argLists[name], options)
      : runOnce(wrapper[0], [...wrapper.slice(1), command, ...argLists[name]], options);
  };
  for (const name of names) run(name);
  const runs = names.map((): RunResult[] => []);
  for (let round = 0; round < options.times; round++) {
    // Each round starts one command later, so no command always follows the same one: with a fixed order, single
    // rounds measured the default lint at 10k up to 18% slower than --jobs 2, where 26 alternating pairs found
    // no difference.
    for (let k = 0; k < names.length; k++) {
      const i = (round + k) % names.length;
      runs[i].push(run(names[i]));
    }
  }
  return Object.fromEntries(names.map((name, i) => [name, seriesOf(runs[i])])) as Record<Name, Series>;
}

function seriesOf(runs: readonly RunResult[]): Series {
  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const peaks = runs.map((r) => r.peakMiB).filter((p): p is number => p !== undefined);
  const cpus = runs.map((r) => r.cpuMs).filter((c): c is number => c !== undefined).sort((a, b) => a - b);
  return {
    runs,
    medianMs: median(walls),
    minMs: walls[0],
    medianCpuMs: cpus.length > 0 ? median(cpus) : undefined,
    maxPeakMiB: peaks.length > 0 ? Math.max(...peaks) : undefined,
  };
}

export function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `taskset -c N`, N the first core this process may run on, when taskset is installed (util-linux) and can pin a
 * child here; undefined otherwise.
 */
export function pinToOneCore(): readonly string[] | undefined {
  const probe = spawnSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' });
  const first = /list:\s*(\d+)/.exec(probe.stdout ?? '')?.[1];
  if (probe.status !== 0 || first === undefined) return undefined;
  const pinned = ['taskset', '-c', first];
  return spawnSync(pinned[0], [...pinned.slice(1), 'true']).status === 0 ? pinned : undefined;
}
