/**
 * Interleaved timing: every round runs each contender once, in the same order,
 * so the noise of a shared machine (other processes, frequency changes) falls
 * on all of them alike and cancels in their ratio.
 */
import { collect } from './heap.js';

export interface Timed<T> {
  /** Seconds of every timed run, in order. */
  seconds: number[];
  /** Median of `seconds`. */
  median: number;
  /** What the last timed run returned. */
  result: T;
  /** What every timed run returned (a deterministic workload returns the same each time). */
  results: T[];
}

export interface TimingPlan {
  /** Untimed rounds first, so the JIT has compiled the hot code. */
  warmups: number;
  /** Timed rounds. */
  rounds: number;
  /**
   * Force a full collection before every timed run (default false). It makes
   * heap readings taken inside a run exact, but costs the next run its
   * optimised code: the first run after a forced `gc()` of a short, JIT-bound
   * contender (a floor) measured about 3× slower than the run after it.
   */
  collectBeforeEachRun?: boolean;
}

/**
 * Runs `warmups` untimed and `rounds` timed rounds of every contender.
 *
 * @example
 * const times = timeInterleaved({ floor: () => f(), eager: () => g() }, { warmups: 1, rounds: 5 });
 * times.eager.median / times.floor.median; // the ratio
 */
export function timeInterleaved<T>(
  contenders: Readonly<Record<string, () => T>>,
  plan: TimingPlan,
): Record<string, Timed<T>> {
  const names = Object.keys(contenders);
  for (let w = 0; w < plan.warmups; w++) {
    for (const name of names) (contenders[name] as () => T)();
  }
  const seconds = new Map<string, number[]>(names.map((n) => [n, []]));
  const results = new Map<string, T[]>(names.map((n) => [n, []]));
  for (let r = 0; r < plan.rounds; r++) {
    for (const name of names) {
      if (plan.collectBeforeEachRun === true) collect();
      const start = process.hrtime.bigint();
      const result = (contenders[name] as () => T)();
      const end = process.hrtime.bigint();
      (seconds.get(name) as number[]).push(Number(end - start) / 1e9);
      (results.get(name) as T[]).push(result);
    }
  }
  const out: Record<string, Timed<T>> = {};
  for (const name of names) {
    const s = seconds.get(name) as number[];
    const rs = results.get(name) as T[];
    out[name] = { seconds: s, median: median(s), result: rs[rs.length - 1] as T, results: rs };
  }
  return out;
}

/**
 * The middle value (the mean of the two middle values for an even count).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0)
    throw new RangeError('median(xs): expected at least one number, received none');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
