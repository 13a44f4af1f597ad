import { describe, expect, it } from 'vitest';
import { enorm } from './enorm.js';

describe('enorm', () => {
  it('is the Euclidean norm of ordinary numbers', () => {
    expect(enorm(3, [1, 2, 2])).toBe(3);
    expect(enorm(2, [3, -4])).toBe(5);
    expect(enorm(0, [])).toBe(0);
  });

  it('neither overflows nor underflows where the plain sum of squares does', () => {
    // (3e200)² overflows and (3e-200)² underflows; the norms are 5e200 and 5e-200.
    expect(Math.sqrt(3e200 ** 2 + 4e200 ** 2)).toBe(Infinity);
    expect(enorm(2, [3e200, 4e200])).toBeCloseTo(5e200, -186);
    expect(Math.sqrt(3e-200 ** 2 + 4e-200 ** 2)).toBe(0);
    expect(enorm(2, [3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 14);
    // Mixed magnitudes: the small components are negligible beside the large.
    expect(enorm(3, [1e-300, 3e300, 4e300]) / 5e300).toBeCloseTo(1, 14);
  });

  it('reads n numbers from an offset', () => {
    expect(enorm(2, [100, 3, 4, 100], 1)).toBe(5);
  });
});
