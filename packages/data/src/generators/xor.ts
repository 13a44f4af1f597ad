import type { ClassificationDataset } from '../dataset.js';
import {
  addNoise,
  halves,
  finish,
  parseClassification,
  type ClassificationOptions,
} from './classification.js';

/** Options of {@link xor}: those common to every classification generator. */
export type XorOptions = ClassificationOptions;

/**
 * The XOR problem: points uniform in the square [-1, 1)², labeled by whether
 * the signs of the two coordinates differ: class 0 in quadrants I and III
 * (x0 · x1 > 0), class 1 in II and IV. Exactly n // 2 samples in class 0, the
 * rest in class 1, each uniform over its two quadrants; then Gaussian noise of
 * std `noise` on each coordinate (which may carry a point across an axis).
 *
 * @example
 * const { x, y } = xor({ samples: 200 });
 * const signed = xor({ samples: 200, noise: 0.05, labels: 'pm1' });
 */
export function xor(options?: XorOptions): ClassificationDataset {
  const parsed = parseClassification('xor', options, [], () => 2);
  const rng = parsed.dataRng;
  const x: number[][] = [];
  const c: number[] = [];
  halves(parsed.samples).forEach((m, j) => {
    for (let i = 0; i < m; i++) {
      // Magnitudes in [0, 1), one sign s for the point; class 1 flips the second sign.
      const u = rng.next();
      const v = rng.next();
      const s = rng.next() < 0.5 ? -1 : 1;
      x.push([s * u, (j === 0 ? s : -s) * v]);
      c.push(j);
    }
  });
  addNoise(x, parsed.noise, rng);
  return finish(x, c, 2, parsed);
}
