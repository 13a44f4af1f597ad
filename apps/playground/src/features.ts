import type { FeatureName } from './playground-state.js';
import { FEATURES } from './playground-state.js';

/** How each input feature is computed from a point (x₁, x₂), and how it is labelled. */
export const FEATURE_INFO: Readonly<
  Record<FeatureName, { label: string; f: (x1: number, x2: number) => number }>
> = Object.freeze({
  x1: { label: 'x₁', f: (x1) => x1 },
  x2: { label: 'x₂', f: (_, x2) => x2 },
  x1sq: { label: 'x₁²', f: (x1) => x1 * x1 },
  x2sq: { label: 'x₂²', f: (_, x2) => x2 * x2 },
  x1x2: { label: 'x₁x₂', f: (x1, x2) => x1 * x2 },
  sinx1: { label: 'sin x₁', f: (x1) => Math.sin(x1) },
  sinx2: { label: 'sin x₂', f: (_, x2) => Math.sin(x2) },
});

/**
 * The model's inputs for a point: the chosen features in the order of {@link FEATURES}.
 * A 1-D point (the line data set) is its own input; features apply to 2-D data only.
 * @example
 *   featurize(['x1', 'x1x2'], [2, 3]); // [2, 6]
 *   featurize(['x1', 'x2'], [4]);      // [4]
 */
export function featurize(features: readonly FeatureName[], point: readonly number[]): number[] {
  if (point.length === 1) return [point[0] as number];
  const x1 = point[0] ?? NaN;
  const x2 = point[1] ?? NaN;
  return FEATURES.filter((f) => features.includes(f)).map((f) => FEATURE_INFO[f].f(x1, x2));
}
