import { checkCount, checkNumber, showNumber } from '../checks.js';
import type { ClassificationDataset } from '../dataset.js';
import {
  addNoise,
  classSizes,
  finish,
  parseClassification,
  type ClassificationOptions,
} from './classification.js';

export interface SpiralsOptions extends ClassificationOptions {
  /** Number of arms, one class each (default 2). */
  arms?: number;
  /** Turns each arm makes from the center to radius 1 (default 1). */
  turns?: number;
}

/**
 * Interleaved Archimedean spirals: arm j holds class j; its i-th of m points
 * sits at radius r = (i + 1) / m and angle θ = 2π · turns · r + 2π · j / arms,
 * so the radius grows linearly with the angle. Arms get n // k samples each,
 * the first n % k one more; then Gaussian noise of std `noise` on each coordinate.
 *
 * @example
 * const { x, y } = spirals({ samples: 300, arms: 3, noise: 0.02 });
 * const two = spirals({ turns: 1.5, labels: 'pm1' });
 */
export function spirals(options?: SpiralsOptions): ClassificationDataset {
  const arms = options?.arms ?? 2;
  const turns = options?.turns ?? 1;
  const parsed = parseClassification('spirals', options, ['arms', 'turns'], () => {
    checkCount(arms, 'options.arms', 1);
    checkNumber(turns, 'options.turns');
    if (!(turns > 0) || !Number.isFinite(turns)) {
      throw new RangeError(
        `options.turns: expected a finite number > 0, received ${showNumber(turns)}`,
      );
    }
    return arms;
  });
  const x: number[][] = [];
  const c: number[] = [];
  classSizes(parsed.samples, arms).forEach((m, j) => {
    for (let i = 0; i < m; i++) {
      const r = (i + 1) / m;
      const theta = 2 * Math.PI * turns * r + (2 * Math.PI * j) / arms;
      x.push([r * Math.cos(theta), r * Math.sin(theta)]);
      c.push(j);
    }
  });
  addNoise(x, parsed.noise, parsed.dataRng);
  return finish(x, c, arms, parsed);
}
