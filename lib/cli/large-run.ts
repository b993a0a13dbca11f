/**
 * V8 tunes its optimising compiler for long-lived processes: a function is compiled by TurboFan after a short run of
 * bytecode, and recompiled after each deoptimisation. A large lint is a short batch job in which ~1.5 s of 4.6 s CPU
 * went to compiling (realistic-10k in the bench, on the slower of the two 2-core machines measured). Letting
 * functions run six times longer in the interpreter before they tier up cut that run's CPU by ~1 s with the same
 * report (measured with `--interrupt-budget` values from 200,000 to 800,000 on that corpus: 400,000 was the knee).
 * It also inlines less (INLINED_BYTES).
 *
 * Only this process's CLI run changes it, and only past LARGE_RUN_BYTES: V8 refuses code caches made under other
 * flags, so a one-file run keeps its caches (lib/core/code-cache.ts), and a library user's process is never touched.
 */
/** Below this much YAML a run is over before compiling dominates (realistic-1k, 1.8 MB, gains nothing). */
export const LARGE_RUN_BYTES = 4 * 1024 * 1024;
const TIER_UP_BUDGET = 400_000;
/**
 * What TurboFan inlines into a function it compiles, in bytecode bytes: one callee, and all callees together (V8
 * 11.3's defaults are 460 and 920). The reader's functions call each other (a mapping holds blocks that hold
 * mappings), so the defaults inline them into graphs that take longer to compile than a short run gains from them:
 * with these, realistic-10k took 8% less CPU and 4% less wall time (12 interleaved rounds, 1.24 s of CPU against
 * 1.35 s; 20 alternating pairs: 18 went this way), and 50k 3% less, on the faster machine. Inlining less (100/200)
 * or not at all gained less.
 */
const INLINED_BYTES = 150;
const INLINED_BYTES_CUMULATIVE = 300;
/** Measured on Node 20's V8 (11.3, default budget 67,584); another V8 may rename the flags or tier up otherwise. */
export const MEASURED_ON_THIS_V8 = process.versions.v8.startsWith('11.');

let tuned = false;
let seenBytes = 0;

/**
 * Called with the input's size before it is read (LoadOptions.onInputSize): once for a lint, once per revision for
 * a diff, so the sizes add up and two revisions that are large together tune the second one's reading.
 */
export function tuneForInputSize(bytes: number): void {
  seenBytes += bytes;
  if (tuned || seenBytes < LARGE_RUN_BYTES || !MEASURED_ON_THIS_V8) return;
  tuned = true;
  // Loaded here: node:v8 brings Node's streams with it, which a one-file run never needs.
  const v8 = require('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString(
    `--interrupt-budget=${TIER_UP_BUDGET} --max-inlined-bytecode-size=${INLINED_BYTES} ` +
      `--max-inlined-bytecode-size-cumulative=${INLINED_BYTES_CUMULATIVE}`,
  );
}
