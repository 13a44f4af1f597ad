/** What the regression generators share: options, inputs and noise. */
import { checkCount, checkNonNegative, checkOneOf, checkOptions, checkRange } from '../checks.js';
import type { Dataset } from '../dataset.js';
import { Rng, toRng, type Seed } from '../rng.js';
import { checkSeed } from '../seed.js';

/**
 * `'uniform'`: noise uniform in [0, noise), the notebook's
 * `np.random.uniform(0, sd)`; its mean is noise / 2, so a fit finds the
 * intercept raised by that much. `'gaussian'`: N(0, noise²), mean zero.
 */
export type NoiseType = 'uniform' | 'gaussian';

/** Options every regression generator takes. */
export interface RegressionOptions {
  /** Number of samples (default 100). */
  samples?: number;
  /** Noise scale: the width of uniform noise or the std of Gaussian noise (default 0.1). */
  noise?: number;
  /** The noise distribution (default: `'uniform'` for `linear`, `'gaussian'` otherwise). */
  noiseType?: NoiseType;
  /** Inputs are drawn uniformly from [low, high) (default [0, 1) for linear and sine, [-1, 1) for polynomial). */
  xRange?: [number, number];
  /** A number or string seed, or an `Rng` to draw from (it is advanced). Default 0. */
  seed?: Seed | Rng;
}

/** A regression data set: one input feature per row, the true coefficients and the noise used. */
export interface RegressionDataset<C> extends Dataset {
  /** The true coefficients, which the targets were made from before the noise. */
  coefficients: C;
  /** The noise added to every target. */
  noise: {
    /** `uniform` in [0, scale) or `gaussian` N(0, scale²). */
    type: NoiseType;
    /** Its width, `options.noise`. */
    scale: number;
  };
}

const REGRESSION_KEYS = ['samples', 'noise', 'noiseType', 'xRange', 'seed'] as const;

/**
 * Checks everything, then draws the inputs and the noise from two separate
 * streams (so the inputs do not depend on the noise settings), and applies `f`.
 */
export function regression<C>(
  fn: string,
  options: RegressionOptions | undefined,
  extraKeys: readonly string[],
  defaults: { noiseType: NoiseType; xRange: [number, number] },
  checkOwn: () => { f: (x: number) => number; coefficients: C },
): RegressionDataset<C> {
  checkOptions(options, `${fn}(options)`, [...REGRESSION_KEYS, ...extraKeys]);
  const {
    samples = 100,
    noise = 0.1,
    noiseType = defaults.noiseType,
    xRange = defaults.xRange,
    seed,
  } = options ?? {};
  checkCount(samples, 'options.samples');
  checkNonNegative(noise, 'options.noise');
  checkOneOf(noiseType, 'options.noiseType', ['uniform', 'gaussian'] as const);
  checkRange(xRange, 'options.xRange');
  if (seed !== undefined && !(seed instanceof Rng)) checkSeed(seed, 'options.seed');
  const { f, coefficients } = checkOwn();

  const root = toRng('options.seed', seed);
  const xRng = root.fork();
  const noiseRng = root.fork();
  const [low, high] = xRange;
  const xs = Array.from({ length: samples }, () => xRng.uniform(low, high));
  const draw =
    noiseType === 'uniform'
      ? () => noise * noiseRng.next()
      : () => noise * noiseRng.standardNormal();
  return {
    x: xs.map((v) => [v]),
    y: xs.map((v) => f(v) + draw()),
    coefficients,
    noise: { type: noiseType, scale: noise },
  };
}
