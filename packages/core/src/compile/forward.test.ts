import { describe, expect, it } from 'vitest';
import { sum } from '../nary.js';
import { Value } from '../value.js';
import { compileJacobian } from './forward.js';

describe('compileJacobian: outputs and Jacobian in forward mode', () => {
  it('gives the residuals of an exponential fit and their Jacobian worked out by hand', () => {
    const ts = [0, 0.5, 1, 2];
    const ys = [3, 2, 1.5, 1];
    // rᵢ = a·e^(−b·tᵢ) + c − yᵢ: ∂/∂a = e^(−b·t), ∂/∂b = −a·t·e^(−b·t), ∂/∂c = 1;
    // and a constant output, 7, with a zero row.
    const f = compileJacobian(
      ([a, b, c]) => [...ts.map((t, i) => a!.mul(b!.mul(-t).exp()).add(c!).sub(ys[i]!)), 7],
      [1, 1, 0],
    );
    expect([f.count, f.inputs]).toEqual([5, 3]);
    const [a, b, c] = [2, 0.5, 0.25];
    const rows = 6;
    const r = new Float64Array(5);
    const J = new Float64Array(rows * 3).fill(9);
    f.evaluate([a, b, c], r, J, rows);
    ts.forEach((t, i) => {
      const e = Math.exp(-b * t);
      expect(r[i]).toBeCloseTo(a * e + c - ys[i]!, 14);
      expect(J[i]).toBeCloseTo(e, 14);
      expect(J[i + rows]).toBeCloseTo(-a * t * e, 14);
      expect(J[i + 2 * rows]).toBe(1);
    });
    expect(r[4]).toBe(7);
    expect([J[4], J[4 + rows], J[4 + 2 * rows]]).toEqual([0, 0, 0]);
    // Row 5 is past count: left as it was.
    expect(J[5]).toBe(9);
    // Row after row, the same numbers.
    const rowsJ = new Float64Array(15);
    f.evaluateRows([a, b, c], r, rowsJ);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 3; j++) expect(rowsJ[3 * i + j]).toBe(J[i + rows * j]);
  });

  it('follows every op rule through branches, sums and dots, as central differences do', () => {
    const w = new Value(0.75); // a leaf that requires a gradient: read live, tangent 0
    const fn = ([x, y]: Value[]) => {
      const u = x!.mul(y!).tanh();
      const v = sum([x!.square(), y!.relu(), u]).div(y!.abs().add(1));
      return [v, x!.max(y!).mul(w), u.log1p(), x!, y!.sub(x!).pow(3)];
    };
    const f = compileJacobian(fn, [0.3, -0.4]);
    const at = [0.6, -1.3];
    const r = new Float64Array(5);
    const J = new Float64Array(10);
    w.data = 1.5;
    f.evaluate(at, r, J);
    const eager = (p: number[]) =>
      fn(p.map((v) => new Value(v, { requiresGrad: false }))).map((o) => o.data);
    expect(Array.from(r)).toEqual(eager(at));
    const h = 1e-6;
    for (let j = 0; j < 2; j++) {
      const up = at.slice();
      const down = at.slice();
      up[j]! += h;
      down[j]! -= h;
      const [ru, rd] = [eager(up), eager(down)];
      for (let i = 0; i < 5; i++) expect(J[i + 5 * j]).toBeCloseTo((ru[i]! - rd[i]!) / (2 * h), 7);
    }
  });

  it('names what is wrong with its arguments', () => {
    expect(() => compileJacobian(1 as never, [1])).toThrow(/expected fn to be a function/);
    expect(() => compileJacobian((x) => x, [])).toThrow(/non-empty array of numbers/);
    expect(() => compileJacobian((x) => x, new Array<number>(33).fill(0))).toThrow(RangeError);
    expect(() => compileJacobian(() => 3 as never, [1])).toThrow(
      /return an array, received number 3/,
    );
    expect(() => compileJacobian(() => ['a' as never], [1])).toThrow(/fn\(x\)\[0\]/);
    const f = compileJacobian(([x]) => [x!.square()], [1]);
    expect(() => f.evaluate([1, 2], new Float64Array(1), new Float64Array(1))).toThrow(
      /x to hold 1/,
    );
    expect(() => f.evaluate([1], new Float64Array(1), new Float64Array(1), 0)).toThrow(RangeError);
    expect(() => f.evaluate([1], new Float64Array(1), new Float64Array(0))).toThrow(/jacobian/);
  });
});
