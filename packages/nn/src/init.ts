/**
 * Initialization schemes for weights. All draw from a uniform distribution so one
 * random source serves them all; biases start at 0 (as micrograd).
 */
import { checkOneOf } from './argument-checks.js';
import { draw, type Random } from './random.js';

/**
 * - `uniform`: U(−1, 1), as micrograd.
 * - `xavier` (Glorot uniform): U(−a, a), a = √(6/(fanIn + fanOut)); suits tanh/sigmoid.
 * - `he` (Kaiming uniform, ReLU gain): U(−a, a), a = √(6/fanIn); suits ReLU.
 */
export type InitScheme = 'uniform' | 'xavier' | 'he';

/** Every init scheme name, in the order of {@link InitScheme}. */
export const INIT_SCHEMES: readonly InitScheme[] = ['uniform', 'xavier', 'he'];

/** Checks an init scheme name. */
export function checkInit(x: unknown, arg: string): InitScheme {
  return checkOneOf(x, arg, INIT_SCHEMES);
}

/** Half-width a of the U(−a, a) the scheme draws from. */
export function initBound(scheme: InitScheme, fanIn: number, fanOut: number): number {
  switch (scheme) {
    case 'uniform':
      return 1;
    case 'xavier':
      return Math.sqrt(6 / (fanIn + fanOut));
    case 'he':
      return Math.sqrt(6 / fanIn);
  }
}

/** One weight drawn from U(−bound, bound). */
export function drawWeight(random: Random, bound: number, where: string): number {
  return bound * (2 * draw(random, where) - 1);
}
