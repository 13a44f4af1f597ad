/**
 * The data of W1: `@ag/data`'s moons (scikit-learn's `make_moons`, as
 * micrograd's demo uses) with labels −1 and +1, also laid out flat for the
 * floors. Every contender of a run reads the same numbers.
 */
import { moons as moonsDataset } from '@ag/data';

export interface MoonsData {
  /** Number of points. */
  n: number;
  /** The rows as `@ag/data` gives them, for the `Value` variants. */
  rows: number[][];
  /** The labels, −1 or +1. */
  labels: number[];
  /** Point i is (xs[2i], xs[2i + 1]). */
  xs: Float64Array;
  /** Label of point i. */
  ys: Float64Array;
}

/**
 * `samples` moons points with Gaussian noise of standard deviation `noise`.
 *
 * @example
 * const { xs, ys } = moons(100, 0.1, 1337);
 * ys[0]; // −1 or +1
 */
export function moons(samples: number, noise: number, seed: number): MoonsData {
  const { x, y } = moonsDataset({ samples, noise, seed, labels: 'pm1' });
  return {
    n: samples,
    rows: x,
    labels: y,
    xs: Float64Array.from(x.flat()),
    ys: Float64Array.from(y),
  };
}
