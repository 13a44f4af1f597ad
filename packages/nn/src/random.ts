/**
 * Random sources. Everything in `@ag/nn` that draws a random number (initial
 * weights, shuffling) takes one as an argument, so runs are reproducible and the
 * package never touches `Math.random`.
 */
import { describe } from './argument-checks.js';

/** A source of uniform random numbers in [0, 1); called once per draw. */
export type Random = () => number;

/** The seed used where a random source is optional and none is given (micrograd's 1337). */
export const DEFAULT_SEED = 1337;

/**
 * A small deterministic generator (mulberry32: 32-bit state, period 2³²), good
 * enough for initial weights and shuffling; use `@ag/data`'s generator where the
 * statistics matter. Same seed, same sequence, on every engine.
 *
 * @example
 * const random = seededRandom(42);
 * const u = random(); // in [0, 1)
 */
export function seededRandom(seed: number = DEFAULT_SEED): Random {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new TypeError(`seededRandom(seed): expected an integer, received ${describe(seed)}`);
  }
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks that `random` is a function; its draws are checked by {@link draw}. */
export function checkRandom(random: unknown, where: string): Random {
  if (typeof random !== 'function') {
    throw new TypeError(
      `${where}: expected a random source (a function returning numbers in [0, 1)), received ${describe(random)}`,
    );
  }
  return random as Random;
}

/** One draw from `random`, checked to lie in [0, 1). */
export function draw(random: Random, where: string): number {
  const u = random();
  if (typeof u !== 'number' || !(u >= 0 && u < 1)) {
    throw new RangeError(
      `${where}: the random source must return numbers in [0, 1), it returned ${typeof u === 'number' ? u : describe(u)}`,
    );
  }
  return u;
}
