import { describe, expect, it } from 'vitest';
import { xor } from './xor.js';

describe('xor', () => {
  it('labels 1 exactly when the signs of the coordinates differ', () => {
    const data = xor({ samples: 1000, seed: 2 });
    data.x.forEach(([a, b], i) => {
      expect(a! >= -1 && a! < 1 && b! >= -1 && b! < 1).toBe(true);
      if (a !== 0 && b !== 0) expect(data.y[i]).toBe(a! * b! < 0 ? 1 : 0);
    });
  });

  it('fills all four quadrants about equally', () => {
    const data = xor({ samples: 4000, seed: 3 });
    const counts = [0, 0, 0, 0];
    for (const [a, b] of data.x) counts[(a! < 0 ? 1 : 0) + (b! < 0 ? 2 : 0)]!++;
    // Each quadrant expects 1000 (binomial sd ~ 22 within a class half of 2000).
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(110);
  });
});
