import { describe, expect, it } from 'vitest';
import { moons } from './moons.js';

describe('moons', () => {
  it('without noise puts class 0 on the upper unit half circle and class 1 on the lower one around (1, 0.5)', () => {
    const data = moons({ samples: 101, noise: 0 });
    data.x.forEach(([a, b], i) => {
      if (data.y[i] === 0) {
        expect(Math.hypot(a!, b!)).toBeCloseTo(1, 12);
        expect(b!).toBeGreaterThanOrEqual(-1e-12);
      } else {
        expect(Math.hypot(a! - 1, b! - 0.5)).toBeCloseTo(1, 12);
        expect(b!).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    });
    // scikit-learn's split: n // 2 = 50 outer, 51 inner.
    expect(data.y.filter((v) => v === 0)).toHaveLength(50);
  });

  it('spaces the unshuffled points evenly in angle from 0 to π', () => {
    const data = moons({ samples: 10, noise: 0, shuffle: false });
    // Outer: angles 0, π/4, π/2, 3π/4, π.
    const expectedOuter = [0, 1, 2, 3, 4].map((k) => [
      Math.cos((k * Math.PI) / 4),
      Math.sin((k * Math.PI) / 4),
    ]);
    data.x.slice(0, 5).forEach((row, k) => {
      expect(row[0]).toBeCloseTo(expectedOuter[k]![0]!, 14);
      expect(row[1]).toBeCloseTo(expectedOuter[k]![1]!, 14);
    });
    expect(data.x[5]).toEqual([0, 0.5]); // inner, angle 0: (1 - cos 0, 1 - sin 0 - 0.5)
  });

  it('with noise keeps points near their half circles (Gaussian, std = noise)', () => {
    const noise = 0.05;
    const data = moons({ samples: 2000, noise, seed: 11 });
    const radial = data.x.map(([a, b], i) =>
      data.y[i] === 0 ? Math.hypot(a!, b!) - 1 : Math.hypot(a! - 1, b! - 0.5) - 1,
    );
    // The radial error is about N(0, noise²): its rms is near noise and no point is far out.
    const rms = Math.sqrt(radial.reduce((s, r) => s + r * r, 0) / radial.length);
    expect(Math.abs(rms - noise)).toBeLessThan(0.005);
    expect(Math.max(...radial.map(Math.abs))).toBeLessThan(6 * noise);
  });
});
