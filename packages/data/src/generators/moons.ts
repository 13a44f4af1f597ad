import type { ClassificationDataset } from '../dataset.js';
import {
  addNoise,
  finish,
  halves,
  linspace,
  parseClassification,
  type ClassificationOptions,
} from './classification.js';

/** Options of {@link moons}: those common to every classification generator. */
export type MoonsOptions = ClassificationOptions;

/**
 * Two interleaving half circles, scikit-learn's `make_moons`: class 0 on the
 * upper half circle of radius 1 around (0, 0), class 1 on the lower half circle
 * around (1, 0.5); n // 2 samples in class 0, the rest in class 1; points evenly
 * spaced in angle, then Gaussian noise of std `noise` on each coordinate.
 *
 * @example
 * const { x, y } = moons({ samples: 100, noise: 0.1, seed: 1 });
 * const signed = moons({ samples: 100, noise: 0.1, labels: 'pm1' }); // for a hinge loss
 */
export function moons(options?: MoonsOptions): ClassificationDataset {
  const parsed = parseClassification('moons', options, [], () => 2);
  const [nOuter, nInner] = halves(parsed.samples);
  const x: number[][] = [];
  const c: number[] = [];
  for (const t of linspace(0, Math.PI, nOuter)) {
    x.push([Math.cos(t), Math.sin(t)]);
    c.push(0);
  }
  for (const t of linspace(0, Math.PI, nInner)) {
    x.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
    c.push(1);
  }
  addNoise(x, parsed.noise, parsed.dataRng);
  return finish(x, c, 2, parsed);
}
