/**
 * `compileResiduals`: the residuals and Jacobian that `leastSquares` uses, for
 * a caller's own solver (or a benchmark): numbers in, numbers out.
 */
import type { Value } from '@ag/core';
import { describe } from './describe.js';
import { residualSystem } from './residual-system.js';

/** What `compileResiduals` returns: r(x) and its Jacobian as functions of plain numbers. */
export interface CompiledResiduals {
  /** The number of residuals. */
  readonly count: number;
  /** The number of parameters. */
  readonly parameters: number;
  /** `compiled` (the default), or `eager` where the residuals' graph depends on the parameters' values. */
  readonly mode: 'compiled' | 'eager';
  /** r(x), into `out` (length count). */
  residuals(x: ArrayLike<number>, out: Float64Array): void;
  /** The Jacobian at x, into `out`, row-major: out[i·n + j] = ∂rᵢ/∂xⱼ. */
  jacobian(x: ArrayLike<number>, out: Float64Array): void;
}

/**
 * Records `residuals` at x0 and compiles them: up to 16 parameters in forward
 * mode (`compileJacobian` of `@ag/core`: one replay gives the residuals and the
 * whole Jacobian), beyond that one reverse pass per residual.
 *
 * @example
 * const r = compileResiduals(([a, b]) => ts.map((t, i) => a.mul(b.mul(-t).exp()).sub(ys[i])), [1, 1]);
 * const J = new Float64Array(ts.length * 2); r.jacobian([3, 0.5], J);
 */
export function compileResiduals(
  residuals: (p: Value[]) => readonly (Value | number)[],
  x0: readonly number[],
  options: { compile?: boolean } = {},
): CompiledResiduals {
  const where = 'compileResiduals(residuals, x0, options)';
  if (typeof residuals !== 'function')
    throw new TypeError(
      `${where}: expected residuals to be a function, received ${describe(residuals)}`,
    );
  if (
    !Array.isArray(x0) ||
    x0.length === 0 ||
    !x0.every((v) => typeof v === 'number' && Number.isFinite(v))
  )
    throw new TypeError(
      `${where}: expected x0 to be a non-empty array of finite numbers, received ${describe(x0)}`,
    );
  const system = residualSystem(residuals, Float64Array.from(x0), where, options.compile ?? true);
  const { m, n, count } = system;
  const x = new Float64Array(n);
  const fvec = new Float64Array(m);
  const fjac = new Float64Array(m * n);
  const load = (v: ArrayLike<number>, out: Float64Array, size: number, what: string): void => {
    if (v.length !== n)
      throw new RangeError(`${what}: expected x to hold ${n} numbers, received ${v.length}`);
    if (out.length < size)
      throw new RangeError(
        `${what}: expected out to hold at least ${size} numbers, received ${out.length}`,
      );
    for (let j = 0; j < n; j++) x[j] = v[j] as number;
  };
  return {
    count,
    parameters: n,
    mode: system.mode,
    residuals(v, out) {
      load(v, out, count, 'residuals(x, out)');
      system.residuals(x, fvec);
      for (let i = 0; i < count; i++) out[i] = fvec[i] as number;
    },
    jacobian(v, out) {
      load(v, out, count * n, 'jacobian(x, out)');
      // Forward mode writes the rows straight into out.
      if (system.jacobianRows !== undefined) return system.jacobianRows(x, out);
      system.jacobian(x, fjac);
      for (let i = 0; i < count; i++)
        for (let j = 0; j < n; j++) out[i * n + j] = fjac[i + m * j] as number;
    },
  };
}
