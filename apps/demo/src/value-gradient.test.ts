import { describe, expect, it } from 'vitest';
import { handDerivedFit } from './notebook-gradient.js';
import { maxRelativeDifference, valueFit } from './value-gradient.js';

describe('valueFit', () => {
  it.each(['online', 'batch'] as const)(
    '%s: backward() gives the hand-derived sequence to 1e-12',
    (mode) => {
      // m = 5, c = 7 at x = 2 and 5, the notebook's own problem: targets 17 and 32.
      const setup = { xs: [2, 5], ys: [17, 32], m: 0, c: 0, lr: 0.02, epochs: 500, mode };
      const byHand = handDerivedFit(setup);
      const byValue = valueFit(setup);
      expect(byValue).toHaveLength(500);
      expect(maxRelativeDifference(byHand, byValue)).toBeLessThan(1e-12);
      expect(byValue[499]?.m).toBeCloseTo(5, 1);
      expect(byValue[499]?.c).toBeCloseTo(7, 1);
    },
  );

  it('the first online epoch worked by hand', () => {
    // x=2: error 17 → m = 0.02·68 = 1.36, c = 0.02·34 = 0.68; x=5: ŷ = 7.48, error 24.52
    // → m = 1.36 + 0.02·245.2 = 6.264, c = 0.68 + 0.02·49.04 = 1.6608; loss 289 + 601.2304
    const [first] = valueFit({
      xs: [2, 5],
      ys: [17, 32],
      m: 0,
      c: 0,
      lr: 0.02,
      epochs: 1,
      mode: 'online',
    });
    expect(first?.m).toBeCloseTo(6.264, 12);
    expect(first?.c).toBeCloseTo(1.6608, 12);
    expect(first?.loss).toBeCloseTo(890.2304, 9);
  });
});

describe('maxRelativeDifference', () => {
  it('is 0 for equal logs and relative for large numbers', () => {
    const a = [{ epoch: 1, loss: 100, m: 1, c: 2 }];
    expect(maxRelativeDifference(a, a)).toBe(0);
    expect(maxRelativeDifference(a, [{ epoch: 1, loss: 101, m: 1, c: 2 }])).toBeCloseTo(
      1 / 101,
      12,
    );
    expect(maxRelativeDifference(a, [])).toBe(Number.POSITIVE_INFINITY);
  });
});
