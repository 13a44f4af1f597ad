import type { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { leastSquares } from './least-squares.js';

const rosenbrock = ([a, b]: Value[]): Value[] => [a!.sub(1), b!.sub(a!.square()).mul(10)];

describe('leastSquares', () => {
  it('reaches the minimizer (1, 1) of Rosenbrock written as residuals', () => {
    const r = leastSquares(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 12);
    expect(r.x[1]).toBeCloseTo(1, 12);
    expect(r.cost).toBeLessThan(1e-24);
    expect(r.jacobian).toBe('compiled');
    expect(r.evaluations).toBe(r.iterations + 1);
  });

  it('fits a line by least squares: slope 3/2, intercept 7/6, cost 1/12', () => {
    // Points (0, 1), (1, 3), (2, 4): the normal equations give y = 7/6 + 3x/2,
    // residuals (fit − y) 1/6, −1/3, 1/6, so ½Σr² = ½·(1/36 + 1/9 + 1/36) = 1/12.
    const xs = [0, 1, 2];
    const ys = [1, 3, 4];
    const r = leastSquares(([c, m]) => xs.map((x, i) => c!.add(m!.mul(x)).sub(ys[i]!)), [0, 0]);
    expect(r.x[0]).toBeCloseTo(7 / 6, 12);
    expect(r.x[1]).toBeCloseTo(3 / 2, 12);
    expect(r.cost).toBeCloseTo(1 / 12, 14);
    expect(r.residuals[0]).toBeCloseTo(1 / 6, 12);
    expect(r.residuals[1]).toBeCloseTo(-1 / 3, 12);
  });

  it('recovers the parameters of exact exponential data', () => {
    const ts = [0, 0.5, 1, 2, 3, 5];
    const ys = ts.map((t) => 3 * Math.exp(-0.5 * t));
    const r = leastSquares(
      ([a, b]) => ts.map((t, i) => a!.mul(b!.mul(-t).exp()).sub(ys[i]!)),
      [1, 1],
    );
    expect(r.x[0]).toBeCloseTo(3, 10);
    expect(r.x[1]).toBeCloseTo(0.5, 10);
  });

  it('gives the same solution eagerly (compile: false) as compiled', () => {
    const compiled = leastSquares(rosenbrock, [-1.2, 1], { ftol: 1e-12 });
    const eager = leastSquares(rosenbrock, [-1.2, 1], { ftol: 1e-12, compile: false });
    expect(eager.jacobian).toBe('eager');
    expect(eager.x).toEqual(compiled.x);
    expect(eager.evaluations).toBe(compiled.evaluations);
  });

  it('evaluates eagerly, and still right, where the residuals branch on .data', () => {
    // |p − 3| written with a JavaScript if: a recording at one point would be wrong elsewhere.
    const r = leastSquares(([p]) => [p!.data > 3 ? p!.sub(3) : p!.neg().add(3), p!.mul(0)], [10]);
    expect(r.jacobian).toBe('eager');
    expect(r.x[0]).toBeCloseTo(3, 6);
  });

  it('takes fewer residuals than parameters (rows of zeros added), and plain-number residuals', () => {
    const r = leastSquares(([a, b]) => [a!.add(b!).sub(3), 0], [0, 0]);
    expect(r.converged).toBe(true);
    expect(r.x[0]! + r.x[1]!).toBeCloseTo(3, 12);
    expect(r.residuals).toHaveLength(2);
  });

  it('does not throw on a hard problem: non-finite trial points are rejected', () => {
    // √p − 0.01 from p = 1: the Gauss–Newton step −r/J = −0.99/0.5 lands on
    // p = −0.98, where √p is NaN; the step is rejected, the region shrinks.
    let nonFinite = 0;
    const r = leastSquares(
      ([p]) => {
        if (!(p!.data >= 0)) nonFinite++;
        return [p!.sqrt().sub(0.01)];
      },
      [1],
      { compile: false },
    );
    expect(nonFinite).toBeGreaterThan(0);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1e-4, 12);
  });

  it('stops with a message where the residuals are not finite at x0', () => {
    const r = leastSquares(([p]) => [p!.log()], [-1]);
    expect(r.converged).toBe(false);
    expect(r.status).toBe(-1);
    expect(r.message).toMatch(/not finite at x0/);
    expect(r.x).toEqual([-1]);
  });

  it('stops at maxIterations and says so', () => {
    const r = leastSquares(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(r.message).toBe('not converged: maxIterations reached');
  });

  it('names which tolerance converged', () => {
    const r = leastSquares(rosenbrock, [-1.2, 1], { ftol: 0, xtol: 0, gtol: 1e-6 });
    expect(r.message).toMatch(/^converged \(gtol\)/);
    const line = leastSquares(([c]) => [c!.sub(1), c!.sub(2)], [0], { gtol: 0, xtol: 0 });
    expect(line.message).toMatch(/^converged \(ftol\)/);
  });

  describe('bad input', () => {
    const ok = ([p]: Value[]) => [p!.sub(1)];
    it('residuals that is not a function, or returns no array, or a non-Value', () => {
      expect(() => leastSquares(42 as never, [0])).toThrow(TypeError);
      expect(() => leastSquares((() => 1) as never, [0])).toThrow(
        /expected residuals\(p\) to return an array/,
      );
      expect(() => leastSquares((() => 1) as never, [0])).toThrow(TypeError);
      expect(() => leastSquares((() => ['a']) as never, [0])).toThrow(
        /residuals\(p\)\[0\] to be a Value/,
      );
      expect(() => leastSquares(() => [], [0])).toThrow(RangeError);
    });

    it('x0 that is not an array of finite numbers', () => {
      expect(() => leastSquares(ok, 3 as never)).toThrow(TypeError);
      expect(() => leastSquares(ok, [])).toThrow(RangeError);
      expect(() => leastSquares(ok, ['1' as never])).toThrow(/x0\[0\] to be a number/);
      expect(() => leastSquares(ok, [0, Number.NaN])).toThrow(RangeError);
      expect(() => leastSquares(ok, [0, Number.NaN])).toThrow(/x0\[1\] to be finite/);
      expect(() => leastSquares(ok, [Infinity])).toThrow(RangeError);
      // A hole in a sparse array is a missing number, not an element to skip.
      // eslint-disable-next-line no-sparse-arrays
      expect(() => leastSquares(ok, [0, , 1] as never)).toThrow(
        /x0\[1\] to be a number, received undefined/,
      );
    });

    it('a residual count that changes between calls, compiled or not', () => {
      for (const compile of [true, false]) {
        let calls = 0;
        const changing = ([p]: Value[]) => (calls++ < 1 ? [p!.sub(1)] : [p!.sub(1), p!.sub(2)]);
        expect(() => leastSquares(changing, [0], { compile })).toThrow(RangeError);
        calls = 0;
        expect(() => leastSquares(changing, [0], { compile })).toThrow(
          /must not change between calls/,
        );
      }
    });

    it('options out of range or of the wrong type', () => {
      expect(() => leastSquares(ok, [0], { ftol: -1 })).toThrow(RangeError);
      expect(() => leastSquares(ok, [0], { xtol: '1' as never })).toThrow(/options.xtol/);
      expect(() => leastSquares(ok, [0], { gtol: Number.NaN })).toThrow(RangeError);
      expect(() => leastSquares(ok, [0], { maxIterations: 0 })).toThrow(RangeError);
      expect(() => leastSquares(ok, [0], { maxIterations: 1.5 })).toThrow(/options.maxIterations/);
      expect(() => leastSquares(ok, [0], { compile: 1 as never })).toThrow(TypeError);
      expect(() => leastSquares(ok, [0], { tol: 1 } as never)).toThrow(/unknown option 'tol'/);
      expect(() => leastSquares(ok, [0], null as never)).toThrow(TypeError);
    });
  });
});

describe('leastSquares on a problem past the one-tape budget', () => {
  it('compiles one tape per residual and reaches the same fit', () => {
    // 2100 residuals of a graph of ~2100·6 nodes: 2100 × 12,600 > 4,000,000 nodes to record
    // with a copy per residual, so each residual is compiled alone; exact data a = 3, b = 0.5.
    const ts = Array.from({ length: 2100 }, (_, i) => i / 300);
    const ys = ts.map((t) => 3 * Math.exp(-0.5 * t));
    const r = leastSquares(
      ([a, b]) => ts.map((t, i) => a!.mul(b!.mul(-t).exp()).sub(ys[i]!)),
      [1, 1],
    );
    expect(r.jacobian).toBe('compiled');
    expect(r.x[0]).toBeCloseTo(3, 10);
    expect(r.x[1]).toBeCloseTo(0.5, 10);
  }, 120_000);
});
