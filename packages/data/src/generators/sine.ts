import { checkFinite } from '../checks.js';
import { regression, type RegressionDataset, type RegressionOptions } from './regression.js';

export interface SineOptions extends RegressionOptions {
  /** Default 1. */
  amplitude?: number;
  /** Periods per unit of x (default 1). */
  frequency?: number;
  /** In radians (default 0). */
  phase?: number;
  /** Added to every target (default 0). */
  offset?: number;
}

/** The parameters of y = amplitude · sin(2π · frequency · x + phase) + offset. */
export interface SineCoefficients {
  /** A in A·sin(2π·f·x + φ) + offset. */
  amplitude: number;
  /** f, in periods per unit of x. */
  frequency: number;
  /** φ, in radians. */
  phase: number;
  /** Added to every target. */
  offset: number;
}

/**
 * A sine wave with noise: x uniform in [0, 1) by default, y = amplitude ·
 * sin(2π · frequency · x + phase) + offset, plus Gaussian noise of std `noise`
 * by default.
 *
 * @example
 * const { x, y } = sine({ samples: 200, noise: 0.1 });
 * const slow = sine({ frequency: 0.5, amplitude: 2, xRange: [0, 4] });
 */
export function sine(options?: SineOptions): RegressionDataset<SineCoefficients> {
  return regression(
    'sine',
    options,
    ['amplitude', 'frequency', 'phase', 'offset'],
    { noiseType: 'gaussian', xRange: [0, 1] },
    () => {
      const { amplitude = 1, frequency = 1, phase = 0, offset = 0 } = options ?? {};
      checkFinite(amplitude, 'options.amplitude');
      checkFinite(frequency, 'options.frequency');
      checkFinite(phase, 'options.phase');
      checkFinite(offset, 'options.offset');
      const f = (x: number) => amplitude * Math.sin(2 * Math.PI * frequency * x + phase) + offset;
      return { f, coefficients: { amplitude, frequency, phase, offset } };
    },
  );
}
