import { describe, expect, it } from 'vitest';
import { spirals } from './spirals.js';

const TAU = 2 * Math.PI;
/** x mod 2π in [-π, π). */
const wrap = (a: number) => a - TAU * Math.floor((a + Math.PI) / TAU);

describe('spirals', () => {
  it('puts each point at angle 2π·turns·r + 2π·j/arms for its radius r', () => {
    const turns = 1.5;
    const arms = 3;
    const data = spirals({ samples: 90, arms, turns, noise: 0 });
    expect(data.classes).toBe(3);
    data.x.forEach(([a, b], i) => {
      const r = Math.hypot(a!, b!);
      const expected = TAU * turns * r + (TAU * data.y[i]!) / arms;
      expect(Math.abs(wrap(Math.atan2(b!, a!) - expected))).toBeLessThan(1e-9);
    });
  });

  it('has a radius that grows with the angle along each arm', () => {
    const data = spirals({ samples: 60, turns: 2, noise: 0, shuffle: false });
    for (const arm of [0, 1]) {
      const rows = data.x.filter((_, i) => data.y[i] === arm);
      // Unwrap the polar angle along the arm and compare radius against angle.
      let unwrapped = Math.atan2(rows[0]![1]!, rows[0]![0]!);
      let previousR = Math.hypot(rows[0]![0]!, rows[0]![1]!);
      for (let k = 1; k < rows.length; k++) {
        const [a, b] = rows[k]!;
        const r = Math.hypot(a!, b!);
        const step = wrap(Math.atan2(b!, a!) - Math.atan2(rows[k - 1]![1]!, rows[k - 1]![0]!));
        unwrapped += step;
        expect(step).toBeGreaterThan(0);
        expect(r).toBeGreaterThan(previousR);
        // dθ/dr = 2π·turns: the angle gained equals 4π times the radius gained.
        expect(step).toBeCloseTo(TAU * 2 * (r - previousR), 9);
        previousR = r;
      }
      expect(previousR).toBeCloseTo(1, 14);
      expect(unwrapped - Math.atan2(rows[0]![1]!, rows[0]![0]!)).toBeCloseTo(
        TAU * 2 * (1 - 1 / 30),
        9,
      );
    }
  });

  it('rejects bad arms and turns', () => {
    expect(() => spirals({ arms: 0 })).toThrow(/options\.arms: .*received 0/);
    expect(() => spirals({ turns: 0 })).toThrow(/options\.turns: .*received 0/);
    expect(() => spirals({ arms: 3, labels: 'pm1' })).toThrow(RangeError);
  });
});
