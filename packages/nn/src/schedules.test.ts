import { describe, expect, it } from 'vitest';
import { constantLR, cosineDecay, exponentialDecay, linearDecay, stepDecay } from './schedules.js';

describe('schedules', () => {
  it('constantLR returns its rate at every step', () => {
    const s = constantLR(0.05);
    expect([0, 1, 999].map(s)).toEqual([0.05, 0.05, 0.05]);
  });

  it("linearDecay(1, { steps: 100 }) is micrograd's 1 - 0.9k/100", () => {
    const s = linearDecay(1, { steps: 100 });
    expect(s(0)).toBe(1);
    expect(s(50)).toBeCloseTo(0.55, 15);
    expect(s(99)).toBeCloseTo(0.109, 15);
    expect(s(100)).toBeCloseTo(0.1, 15);
    expect(s(500)).toBeCloseTo(0.1, 15); // held at the end value
    for (let k = 0; k < 100; k++) expect(s(k)).toBeCloseTo(1 - (0.9 * k) / 100, 15);
  });

  it('linearDecay scales with lr and endFactor', () => {
    const s = linearDecay(0.2, { steps: 10, endFactor: 0.5 });
    expect(s(5)).toBeCloseTo(0.2 * (1 - 0.5 * 0.5), 15); // 0.15
    expect(s(10)).toBeCloseTo(0.1, 15);
  });

  it('stepDecay drops by gamma every stepSize updates', () => {
    const s = stepDecay(0.1, { stepSize: 30 });
    expect(s(0)).toBe(0.1);
    expect(s(29)).toBe(0.1);
    expect(s(30)).toBeCloseTo(0.01, 15);
    expect(s(65)).toBeCloseTo(0.001, 15);
    expect(stepDecay(1, { stepSize: 2, gamma: 0.5 })(5)).toBe(0.25);
  });

  it('exponentialDecay is lr * gamma^k', () => {
    const s = exponentialDecay(1, { gamma: 0.5 });
    expect(s(0)).toBe(1);
    expect(s(3)).toBe(0.125);
    expect(exponentialDecay(0.3, { gamma: 0.9 })(2)).toBeCloseTo(0.3 * 0.81, 15);
  });

  it('cosineDecay follows half a cosine from lr to minLr', () => {
    const s = cosineDecay(1, { steps: 100 });
    expect(s(0)).toBe(1);
    expect(s(50)).toBeCloseTo(0.5, 15);
    expect(s(25)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 15); // cos(π/4) = √2/2
    expect(s(100)).toBeCloseTo(0, 15);
    const m = cosineDecay(0.1, { steps: 10, minLr: 0.01 });
    expect(m(5)).toBeCloseTo(0.055, 15);
    expect(m(20)).toBeCloseTo(0.01, 15);
  });

  it('rejects bad arguments with messages naming them', () => {
    expect(() => constantLR(0)).toThrow(RangeError);
    expect(() => constantLR(Number.NaN)).toThrow(/constantLR\(lr\).*NaN/);
    expect(() => linearDecay(1, { steps: 0 })).toThrow(/options\.steps.*received 0/);
    expect(() => linearDecay(1, { steps: 10, endFactor: 2 })).toThrow(/endFactor/);
    expect(() => stepDecay(1, { stepSize: 1.5 })).toThrow(/stepSize.*1\.5/);
    expect(() => exponentialDecay(1, { gamma: -1 })).toThrow(/gamma/);
    expect(() => cosineDecay(0.1, { steps: 10, minLr: 0.2 })).toThrow(/minLr/);
    expect(() => linearDecay(1, { steps: 10, step: 3 } as never)).toThrow(/unknown option 'step'/);
    expect(() => constantLR(1)(-1)).toThrow(/constantLR\(k\).*-1/);
    expect(() => cosineDecay(1, { steps: 3 })(0.5)).toThrow(RangeError);
  });
});
