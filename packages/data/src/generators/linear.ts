import { checkFinite } from '../checks.js';
import { regression, type RegressionDataset, type RegressionOptions } from './regression.js';

export interface LinearOptions extends RegressionOptions {
  /** m in y = m·x + c (default 1). */
  slope?: number;
  /** c in y = m·x + c (default 0). */
  intercept?: number;
}

/**
 * The notebook's `generate_linear_data(samples, m, c, sd)`: x uniform in
 * [0, 1), y = m·x + c + noise, with noise uniform in [0, sd) by default (as in
 * the notebook) or N(0, sd²) with `noiseType: 'gaussian'`. Returns x as
 * one-feature rows, y, and the true slope and intercept.
 *
 * @example
 * const { x, y, coefficients } = linear({ samples: 100, slope: 3, intercept: 4, noise: 0.1 });
 * const centered = linear({ slope: 3, intercept: 4, noiseType: 'gaussian', seed: 7 });
 */
export function linear(
  options?: LinearOptions,
): RegressionDataset<{ slope: number; intercept: number }> {
  return regression(
    'linear',
    options,
    ['slope', 'intercept'],
    { noiseType: 'uniform', xRange: [0, 1] },
    () => {
      const slope = options?.slope ?? 1;
      const intercept = options?.intercept ?? 0;
      checkFinite(slope, 'options.slope');
      checkFinite(intercept, 'options.intercept');
      return { f: (x) => slope * x + intercept, coefficients: { slope, intercept } };
    },
  );
}
