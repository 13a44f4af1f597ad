import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const take = (seed?: number): number[] => {
      const r = seed === undefined ? seededRandom() : seededRandom(seed);
      return Array.from({ length: 8 }, () => r());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(43)).not.toEqual(take(42));
    expect(take()).toEqual(take(1337)); // the documented default seed
  });

  it('draws in [0, 1) with the moments of a uniform distribution', () => {
    const r = seededRandom(7);
    const n = 20000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = r();
      sum += u;
      sumSq += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // U(0, 1): mean 1/2, variance 1/12; the standard error of the mean is √(1/12/n) ≈ 0.002
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.005);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => seededRandom(1.5)).toThrow(/seededRandom\(seed\).*integer.*1\.5/);
    expect(() => seededRandom('1' as never)).toThrow(TypeError);
  });
});
