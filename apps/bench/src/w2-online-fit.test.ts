import { describe, expect, it } from 'vitest';
import {
  eagerOnlineFit,
  floorOnlineFit,
  nnOnlineFit,
  nnOnlineFitViaFit,
  w2Setup,
  W2_LR,
} from './w2-online-fit.js';

describe('floorOnlineFit', () => {
  it('takes the notebook step worked out by hand', () => {
    const setup = w2Setup(1);
    const x = setup.xs[0] as number;
    const y = setup.ys[0] as number;
    // From m = c = 0: e = y, L = y², m = 0 − lr·(−2·x·y), c = 0 − lr·(−2·y).
    const out = floorOnlineFit(setup);
    expect(out.loss).toBe(y * y);
    expect(out.checks).toEqual({ m: 2 * W2_LR * x * y, c: 2 * W2_LR * y });
  });

  it('is matched bit for bit by the Value graph, @ag/nn and fit', () => {
    const setup = w2Setup(500);
    const floor = floorOnlineFit(setup);
    for (const other of [eagerOnlineFit(setup), nnOnlineFit(setup), nnOnlineFitViaFit(setup)]) {
      expect(other.loss).toBe(floor.loss);
      expect(other.checks).toEqual(floor.checks);
    }
  });

  it('recovers m = 3 and c = 4 within the noise', () => {
    const { checks } = floorOnlineFit(w2Setup(200_000));
    expect(checks?.m).toBeCloseTo(3, 1);
    expect(checks?.c).toBeCloseTo(4.05, 1); // uniform noise in [0, 0.1) lifts the intercept by 0.05
  });
});
