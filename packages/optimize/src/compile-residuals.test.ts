import { describe, expect, it } from 'vitest';
import { compileResiduals } from './compile-residuals.js';

describe('compileResiduals', () => {
  const ts = [0, 1, 2];
  const ys = [1, 2, 4];
  // rᵢ = a·e^(−b·tᵢ) − yᵢ: ∂r/∂a = e^(−b·t), ∂r/∂b = −a·t·e^(−b·t).
  const make = (compile: boolean) =>
    compileResiduals(([a, b]) => ts.map((t, i) => a!.mul(b!.mul(-t).exp()).sub(ys[i]!)), [1, 1], {
      compile,
    });

  for (const compile of [true, false]) {
    it(`gives the residuals and the row-major Jacobian worked out by hand (compile: ${compile})`, () => {
      const r = make(compile);
      expect(r.mode).toBe(compile ? 'compiled' : 'eager');
      expect([r.count, r.parameters]).toEqual([3, 2]);
      const out = new Float64Array(3);
      r.residuals([2, 0.5], out);
      ts.forEach((t, i) => expect(out[i]).toBeCloseTo(2 * Math.exp(-0.5 * t) - ys[i]!, 14));
      const J = new Float64Array(6);
      r.jacobian([2, 0.5], J);
      ts.forEach((t, i) => {
        expect(J[2 * i]).toBeCloseTo(Math.exp(-0.5 * t), 14);
        expect(J[2 * i + 1]).toBeCloseTo(-2 * t * Math.exp(-0.5 * t), 14);
      });
    });
  }

  it('throws on bad input', () => {
    const r = make(true);
    expect(() => r.jacobian([1], new Float64Array(6))).toThrow(RangeError);
    expect(() => r.jacobian([1, 1], new Float64Array(5))).toThrow(RangeError);
    expect(() => compileResiduals(1 as never, [1])).toThrow(TypeError);
    expect(() => compileResiduals(() => [], [Number.NaN])).toThrow(TypeError);
  });
});
