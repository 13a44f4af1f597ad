/**
 * The data of W1: two interleaving half-moons, as scikit-learn's `make_moons`
 * (which micrograd's demo uses), with labels −1 and +1. Every contender of a
 * run reads the same arrays.
 */
import { Rng } from '@ag/data';

export interface MoonsData {
  /** Number of points. */
  n: number;
  /** Point i is (xs[2i], xs[2i + 1]). */
  xs: Float64Array;
  /** Label of point i: −1 or +1. */
  ys: Float64Array;
}

/**
 * `samples` points, the outer moon labelled −1 and the inner +1, shuffled,
 * then Gaussian noise of standard deviation `noise` added to each coordinate.
 *
 * @example
 * const { xs, ys } = moons(100, 0.1, 1337);
 * ys[0]; // −1 or +1
 */
export function moons(samples: number, noise: number, seed: number): MoonsData {
  const rng = new Rng(seed);
  const outer = samples >> 1;
  const inner = samples - outer;
  const points: [number, number, number][] = [];
  // make_moons: outer (cos t, sin t), inner (1 − cos t, 1 − sin t − 0.5), t evenly over [0, π].
  for (let i = 0; i < outer; i++) {
    const t = outer === 1 ? 0 : (Math.PI * i) / (outer - 1);
    points.push([Math.cos(t), Math.sin(t), -1]);
  }
  for (let i = 0; i < inner; i++) {
    const t = inner === 1 ? 0 : (Math.PI * i) / (inner - 1);
    points.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5, 1]);
  }
  const order = rng.permutation(samples);
  const xs = new Float64Array(2 * samples);
  const ys = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const [x0, x1, y] = points[order[i] as number] as [number, number, number];
    xs[2 * i] = x0 + rng.normal(0, noise);
    xs[2 * i + 1] = x1 + rng.normal(0, noise);
    ys[i] = y;
  }
  return { n: samples, xs, ys };
}
