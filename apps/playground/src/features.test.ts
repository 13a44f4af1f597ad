import { describe, expect, it } from 'vitest';
import { featurize } from './features.js';

describe('featurize', () => {
  it('computes each feature by its formula, in the canonical order whatever order it is asked in', () => {
    const x = [2, -0.5];
    expect(featurize(['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'], x)).toEqual([
      2,
      -0.5,
      4,
      0.25,
      -1,
      0.9092974268256817, // sin 2
      -0.479425538604203, // sin −0.5
    ]);
    expect(featurize(['sinx2', 'x1'], x)).toEqual([2, -0.479425538604203]);
  });

  it('passes a 1-D point through unchanged', () => {
    expect(featurize(['x1sq'], [3])).toEqual([3]);
  });
});
