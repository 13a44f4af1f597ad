import type { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import reference from './fixtures/scipy-lbfgsb.json' with { type: 'json' };
import { minimize } from './minimize.js';
import { functions, himmelblau, rosenbrock } from './test-functions.test-support.js';

describe('minimize (L-BFGS)', () => {
  for (const problem of reference.problems) {
    it(`reaches the minimizer of ${problem.name} to 1e-8, in iterations comparable to SciPy's L-BFGS-B (${problem.lbfgsb.nit})`, () => {
      const r = minimize(functions[problem.name]!, problem.x0, { gtol: 1e-10 });
      expect(r.converged).toBe(true);
      expect(r.gradient).toBe('compiled');
      for (let j = 0; j < problem.x0.length; j++) {
        expect(Math.abs(r.x[j]! - problem.minimizer[j]!)).toBeLessThan(1e-8);
      }
      // Comparable: within a factor 2 of SciPy's count either way.
      expect(r.iterations).toBeLessThanOrEqual(2 * problem.lbfgsb.nit);
      expect(r.iterations).toBeGreaterThanOrEqual(problem.lbfgsb.nit / 2);
    });
  }

  it('has the closed-form minimizer of a quadratic to rounding', () => {
    // f = (x − 1)² + 10·(y + 2)² + x·y: ∇f = 0 at 2(x − 1) + y = 0, 20(y + 2) + x = 0,
    // so y = 2 − 2x, 80 − 39x = 0: x = 80/39, y = −82/39.
    const r = minimize(
      ([x, y]) => x!.sub(1).square().add(y!.add(2).square().mul(10)).add(x!.mul(y!)),
      [0, 0],
    );
    expect(r.x[0]).toBeCloseTo(80 / 39, 9);
    expect(r.x[1]).toBeCloseTo(-82 / 39, 9);
  });

  it('evaluates eagerly, and still right, where fn branches on .data', () => {
    const r = minimize(
      ([x]) => (x!.data > 2 ? x!.sub(2).square() : x!.sub(2).square().mul(3)),
      [10],
    );
    expect(r.gradient).toBe('eager');
    expect(r.x[0]).toBeCloseTo(2, 8);
  });

  it('stops with a message, not a throw, where f is unbounded or not finite', () => {
    const down = minimize(([x]) => x!.neg(), [0], { maxIterations: 20 });
    expect(down.converged).toBe(false);
    expect(down.message).toMatch(/^(not converged: maxIterations reached|stopped)/);
    const nan = minimize(([x]) => x!.log(), [-1]);
    expect(nan.converged).toBe(false);
    expect(nan.message).toMatch(/not finite at x0/);
    // f = (x − 0.1)² + 0·√x is NaN below 0; from 0.5 the first step, −∇f = −0.8
    // (torch's first step length, min(1, 1/|g|) = 1), lands on −0.3 and must be rejected.
    let nanTrials = 0;
    const edge = minimize(
      ([x]) => {
        if (x!.data < 0) nanTrials++;
        return x!.sub(0.1).square().add(x!.sqrt().mul(0));
      },
      [0.5],
      { compile: false },
    );
    expect(nanTrials).toBeGreaterThan(0);
    expect(edge.converged).toBe(true);
    expect(edge.x[0]).toBeCloseTo(0.1, 8);
  });

  it('stops at maxIterations and says so', () => {
    const r = minimize(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(r.iterations).toBe(3);
    expect(r.converged).toBe(false);
    expect(r.message).toBe('not converged: maxIterations reached');
  });

  describe('bad input', () => {
    const ok = ([x]: Value[]) => x!.square();
    it('fn that is not a function or returns no Value', () => {
      expect(() => minimize(1 as never, [0])).toThrow(TypeError);
      expect(() => minimize((() => 3) as never, [0])).toThrow(/expected fn\(p\) to return a Value/);
    });
    it('x0 that is not an array of finite numbers', () => {
      expect(() => minimize(ok, 'x' as never)).toThrow(TypeError);
      expect(() => minimize(ok, [])).toThrow(RangeError);
      expect(() => minimize(ok, [null as never])).toThrow(/x0\[0\] to be a number/);
      expect(() => minimize(ok, [1, -Infinity])).toThrow(RangeError);
      expect(() => minimize(ok, [1, Number.NaN])).toThrow(/x0\[1\] to be finite/);
    });
    it('options out of range or of the wrong type', () => {
      expect(() => minimize(ok, [1], { method: 'bfgs' as never })).toThrow(RangeError);
      expect(() => minimize(ok, [1], { gtol: -1 })).toThrow(RangeError);
      expect(() => minimize(ok, [1], { gtol: '1' as never })).toThrow(TypeError);
      expect(() => minimize(ok, [1], { maxIterations: 0 })).toThrow(/options.maxIterations/);
      expect(() => minimize(ok, [1], { historySize: 2.5 })).toThrow(RangeError);
      expect(() => minimize(ok, [1], { compile: 'yes' as never })).toThrow(TypeError);
      expect(() => minimize(ok, [1], { tol: 1 } as never)).toThrow(/unknown option 'tol'/);
    });
  });
});

describe('minimize (Newton)', () => {
  for (const problem of reference.problems) {
    // From (−1.2, 1, −1.2, 1, …) Newton settles in 10-D Rosenbrock's other local
    // minimum (x₁ ≈ −0.99); from 0 the only one with a closed form is downhill.
    const x0 = problem.name === 'rosenbrock10' ? new Array<number>(10).fill(0) : problem.x0;
    it(`reaches the minimizer of ${problem.name} to 1e-8 in fewer iterations than L-BFGS`, () => {
      const newton = minimize(functions[problem.name]!, x0, { method: 'newton', gtol: 1e-10 });
      const lbfgs = minimize(functions[problem.name]!, x0, { gtol: 1e-10 });
      expect(newton.converged).toBe(true);
      for (let j = 0; j < problem.x0.length; j++) {
        expect(Math.abs(newton.x[j]! - problem.minimizer[j]!)).toBeLessThan(1e-8);
      }
      expect(newton.iterations).toBeLessThan(lbfgs.iterations);
      expect(newton.hessianEvaluations).toBe(newton.iterations);
    });
  }

  it('takes the exact minimizer of a quadratic in one step', () => {
    // The quadratic above: H is constant and positive definite, so one Newton step
    // with t = 1 lands on (80/39, −82/39).
    const r = minimize(
      ([x, y]) => x!.sub(1).square().add(y!.add(2).square().mul(10)).add(x!.mul(y!)),
      [0, 0],
      { method: 'newton' },
    );
    expect(r.iterations).toBe(1);
    expect(r.x[0]).toBeCloseTo(80 / 39, 12);
    expect(r.x[1]).toBeCloseTo(-82 / 39, 12);
  });

  it('descends where the Hessian is not positive definite, where plain Newton would climb', () => {
    // Himmelblau at (0, 0): f = 170, ∇f = (−14, −22), H = [[−42, 0], [0, −26]]
    // (f_xx = 4(x² + y − 11) + 8x² + 2, f_yy = 4(x + y² − 7) + 8y² + 2, f_xy = 4(x + y)).
    // Plain Newton's step −H⁻¹∇f = (−1/3, −11/13) heads for the local maximum near
    // (−0.27, −0.92); the shifted step must go downhill, to a minimum where f = 0.
    const r = minimize(himmelblau, [0, 0], { method: 'newton', gtol: 1e-10 });
    expect(r.converged).toBe(true);
    expect(r.fun).toBeLessThan(1e-18);
  });
});
