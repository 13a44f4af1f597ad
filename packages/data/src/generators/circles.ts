import { checkNumber, showNumber } from '../checks.js';
import type { ClassificationDataset } from '../dataset.js';
import {
  addNoise,
  finish,
  halves,
  linspace,
  parseClassification,
  type ClassificationOptions,
} from './classification.js';

export interface CirclesOptions extends ClassificationOptions {
  /** Radius of the inner circle relative to the outer one, in [0, 1) (default 0.8). */
  factor?: number;
}

/**
 * A small circle inside a large one, scikit-learn's `make_circles`: class 0 on
 * the unit circle, class 1 on the circle of radius `factor`; n // 2 samples in
 * class 0, the rest in class 1; points evenly spaced in angle over [0, 2π)
 * (no endpoint), then Gaussian noise of std `noise` on each coordinate.
 *
 * @example
 * const { x, y } = circles({ samples: 200, factor: 0.5, noise: 0.05 });
 * const signed = circles({ labels: 'pm1' });
 */
export function circles(options?: CirclesOptions): ClassificationDataset {
  const factor = options?.factor ?? 0.8;
  const parsed = parseClassification('circles', options, ['factor'], () => {
    checkNumber(factor, 'options.factor');
    if (!(factor >= 0 && factor < 1)) {
      throw new RangeError(
        `options.factor: expected a number in [0, 1), received ${showNumber(factor)}`,
      );
    }
    return 2;
  });
  const [nOuter, nInner] = halves(parsed.samples);
  const x: number[][] = [];
  const c: number[] = [];
  for (const t of linspace(0, 2 * Math.PI, nOuter, false)) {
    x.push([Math.cos(t), Math.sin(t)]);
    c.push(0);
  }
  for (const t of linspace(0, 2 * Math.PI, nInner, false)) {
    x.push([factor * Math.cos(t), factor * Math.sin(t)]);
    c.push(1);
  }
  addNoise(x, parsed.noise, parsed.dataRng);
  return finish(x, c, 2, parsed);
}
