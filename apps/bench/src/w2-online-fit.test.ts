import { describe, expect, it } from 'vitest';
import {
  compiledOnlineFit,
  compileW2,
  descendOnlineFit,
  eagerOnlineFit,
  floorOnlineFit,
  floorOnlineFitEpochLoss,
  nnOnlineFit,
  nnOnlineFitDefault,
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

  it('is matched bit for bit by the Value graph, @ag/nn, fit and the compiled step', () => {
    const setup = w2Setup(500);
    const floor = floorOnlineFit(setup);
    const others = [
      eagerOnlineFit(setup),
      nnOnlineFit(setup),
      nnOnlineFitViaFit(setup),
      nnOnlineFitViaFit(setup, true),
      compiledOnlineFit(setup, compileW2()),
      compiledOnlineFit(setup, compileW2('interpreter')),
      descendOnlineFit(setup, compileW2()),
      descendOnlineFit(setup, compileW2('interpreter')),
    ];
    for (const other of others) {
      expect(other.loss).toBe(floor.loss);
      expect(other.checks).toEqual(floor.checks);
    }
  });

  it('gives, as fit’s history, the mean of the last pass’s step losses', () => {
    // Step k's loss is what floorOnlineFit returns after k + 1 steps.
    let sum = 0;
    for (let k = 200; k < 300; k++) sum += floorOnlineFit(w2Setup(k + 1)).loss;
    const epoch = floorOnlineFitEpochLoss(w2Setup(300));
    expect(epoch.loss).toBe(sum / 100);
    expect(epoch.checks).toEqual(floorOnlineFit(w2Setup(300)).checks);
  });

  it('is matched bit for bit by one fit call without a compile option', () => {
    const setup = w2Setup(500);
    const floor = floorOnlineFitEpochLoss(setup);
    const byDefault = nnOnlineFitDefault(setup);
    expect(byDefault.loss).toBe(floor.loss);
    expect(byDefault.checks).toEqual(floor.checks);
  });

  it('is matched by descend over a part pass too (530 steps: five passes and 30 samples)', () => {
    const setup = w2Setup(530);
    const floor = floorOnlineFit(setup);
    const fused = descendOnlineFit(setup, compileW2());
    expect(fused.loss).toBe(floor.loss);
    expect(fused.checks).toEqual(floor.checks);
  });

  it('recovers m = 3 and c = 4 within the noise', () => {
    const { checks } = floorOnlineFit(w2Setup(200_000));
    expect(checks?.m).toBeCloseTo(3, 1);
    expect(checks?.c).toBeCloseTo(4.05, 1); // uniform noise in [0, 0.1) lifts the intercept by 0.05
  });
});
