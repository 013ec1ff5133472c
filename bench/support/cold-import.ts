/**
 * Cold-import timing that holds up on a small, shared machine: every command runs as a fresh Node
 * process, the commands alternate within each round (in a new shuffled order each round), and the
 * figures are medians and 90th percentiles of many rounds. Differences are paired by round, so a
 * moment when the machine is busy slows both sides of a difference alike.
 */
import { spawnSync } from 'node:child_process';

/** What one fresh `node` process took, in ms: wall time, and CPU time (user and system, every thread). */
export interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/**
 * Starts each script: at exit the process writes its CPU time. Wall time counts the moments another process
 * holds the core; CPU time does not, so it stays put on a busy machine where wall time can double.
 */
export const REPORT_CPU_AT_EXIT =
  "process.on('exit',()=>{const u=process.cpuUsage();process.stdout.write('\\ncpu '+(u.user+u.system))});";

/** Runs `node` with `args` (whose script starts with {@link REPORT_CPU_AT_EXIT}) and times it. */
export function timeNode(args: readonly string[]): Sample {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const wall = performance.now() - start;
  const cpu = /\ncpu (\d+)$/.exec(run.stdout);
  if (run.status !== 0 || !cpu) throw new Error(`node ${args.join(' ')} failed: ${run.stderr}`);
  return { wall, cpu: Number(cpu[1]) / 1000 };
}

/**
 * Runs every command once per round, `rounds` times, in an order shuffled afresh each round (a fixed
 * order, even a rotating one, gives each command the same neighbours, and a process runs measurably
 * faster after some than after others); returns each command's times in round order. One untimed run
 * of each warms the file cache.
 */
export function alternatingRuns<K extends string>(
  commands: ReadonlyArray<readonly [K, readonly string[]]>,
  rounds: number,
  seed = 1,
): Map<K, Sample[]> {
  for (const [, args] of commands) timeNode(args);
  const random = seeded(seed);
  const times = new Map<K, Sample[]>(commands.map(([key]) => [key, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [key, args] of shuffled(commands, random)) times.get(key)!.push(timeNode(args));
  }
  return times;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The nearest-rank percentile (p from 0 to 100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `a[i] - b[i]` for each round. */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  return a.map((value, i) => value - b[i]!);
}

/** A small seeded generator (mulberry32): the same orders and intervals from one run to the next. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A percentile-bootstrap interval for the median of `values` (by default the central 90%): how far the
 * median could move on another run of as many rounds. An interval that holds 0 is a difference the
 * bench cannot tell from noise.
 */
export function medianInterval(
  values: readonly number[],
  { level = 0.9, resamples = 2000, seed = 1 } = {},
): readonly [number, number] {
  const random = seeded(seed);
  const medians = Array.from({ length: resamples }, () =>
    median(Array.from(values, () => values[Math.floor(random() * values.length)]!)),
  ).sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [medians[Math.floor(tail * resamples)]!, medians[Math.ceil((1 - tail) * resamples) - 1]!];
}
