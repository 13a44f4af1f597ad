import { checkDense, checkFinite, describe } from '../checks.js';
import { regression, type RegressionDataset, type RegressionOptions } from './regression.js';

export interface PolynomialOptions extends RegressionOptions {
  /** c0, c1, ..., in increasing powers: y = c0 + c1·x + c2·x² + ... (default [0, 0, 1], y = x²). */
  coefficients?: number[];
}

/**
 * A polynomial curve with noise: x uniform in [-1, 1) by default, y = Σ cₖ·xᵏ
 * (evaluated by Horner's rule) plus Gaussian noise of std `noise` by default.
 *
 * @example
 * const { x, y } = polynomial({ coefficients: [1, -2, 0.5], noise: 0.05 });
 * const cubic = polynomial({ coefficients: [0, 0, 0, 1], xRange: [-2, 2] });
 */
export function polynomial(options?: PolynomialOptions): RegressionDataset<number[]> {
  return regression(
    'polynomial',
    options,
    ['coefficients'],
    { noiseType: 'gaussian', xRange: [-1, 1] },
    () => {
      const given = options?.coefficients ?? [0, 0, 1];
      if (!Array.isArray(given) || given.length === 0) {
        throw new TypeError(
          `options.coefficients: expected a non-empty array of numbers, received ${describe(given)}`,
        );
      }
      checkDense(given, 'options.coefficients');
      given.forEach((v: unknown, k) => checkFinite(v, `options.coefficients[${k}]`));
      const coefficients = given.slice();
      const f = (x: number) => {
        let y = 0;
        for (let k = coefficients.length - 1; k >= 0; k--) y = y * x + (coefficients[k] as number);
        return y;
      };
      return { f, coefficients };
    },
  );
}
