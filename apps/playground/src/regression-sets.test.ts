import { Rng } from '@ag/data';
import { describe, expect, it } from 'vitest';
import { gaussiansTarget, planeTarget, regression2d } from './regression-sets.js';

describe('2-D regression sets', () => {
  it('give the plane and the bumps their formulas', () => {
    expect(planeTarget(1, 1)).toBeCloseTo(0.2, 15);
    // At a bump's centre: 1 from it, two opposite bumps at distance 1.6 (d² = 2.56),
    // one same-sign bump at d² = 5.12; 2σ² = 0.405.
    const near = Math.exp(-2.56 / 0.405);
    const far = Math.exp(-5.12 / 0.405);
    expect(gaussiansTarget(0.8, 0.8)).toBeCloseTo(1 - 2 * near + far, 14);
    expect(gaussiansTarget(0, 0)).toBeCloseTo(0, 14);
  });

  it('draws inputs in [−1.5, 1.5]² with targets on the surface when there is no noise', () => {
    const { x, y } = regression2d(planeTarget, 100, 0, new Rng(3));
    expect(x).toHaveLength(100);
    x.forEach((p, i) => {
      expect(Math.max(Math.abs(p[0] ?? 9), Math.abs(p[1] ?? 9))).toBeLessThanOrEqual(1.5);
      expect(y[i]).toBe(planeTarget(p[0] ?? 0, p[1] ?? 0));
    });
  });
});
