/**
 * `minimize`: min f(p) over p by L-BFGS with a strong-Wolfe line search (the
 * direction and line search of `torch.optim.LBFGS`, shared with `LBFGS` in
 * `@ag/nn`), or by Newton's method with the exact Hessian and the same line
 * search; the gradient from the engine: f compiled once, one forward and
 * reverse pass per evaluation.
 */
import { hessian, type Value } from '@ag/core';
import { checkStart } from './check-start.js';
import { describe } from './describe.js';
import { dot, LbfgsHistory } from './lbfgs-history.js';
import { choleskySolve, modifiedCholesky } from './modified-cholesky.js';
import { scalarObjective } from './scalar-objective.js';
import { strongWolfe } from './strong-wolfe.js';

/** The options of `minimize`. */
export interface MinimizeOptions {
  /**
   * `'lbfgs'` (default): L-BFGS, the gradient only. `'newton'`: Newton's
   * method with the exact Hessian (`hessian` of `@ag/core`), shifted by a
   * multiple of the identity where it is not positive definite, and the same
   * line search.
   */
  method?: 'lbfgs' | 'newton';
  /** The most iterations (line searches). Default 200·n, at least 1000. */
  maxIterations?: number;
  /** Stop when max|∂f/∂pᵢ| ≤ gtol. Default 1e-8. */
  gtol?: number;
  /** Pairs kept by L-BFGS. Default 10 (SciPy's L-BFGS-B keeps 10). */
  historySize?: number;
  /** Default true: compile f once and replay it (eager where its graph depends on p's values). */
  compile?: boolean;
}

/** What `minimize` returns: the minimizer found, f and ∇f there, and how it got there. */
export interface MinimizeResult {
  /** The minimizer found. */
  x: number[];
  /** f there. */
  fun: number;
  /** ∇f there. */
  jac: number[];
  /** Iterations (each one line search along a quasi-Newton direction). */
  iterations: number;
  /** Evaluations of f and its gradient. */
  evaluations: number;
  /** Evaluations of the Hessian (`'newton'` only; 0 for L-BFGS). */
  hessianEvaluations: number;
  /** Whether max|∇f| ≤ gtol. */
  converged: boolean;
  /** Why it stopped. */
  message: string;
  /** How the gradient was computed. */
  gradient: 'compiled' | 'eager';
}

const ITERATION_FLOOR = 1000;

/**
 * Minimizes fn from x0 by L-BFGS (or Newton's method) with a strong-Wolfe
 * line search. Never throws
 * on a hard problem: the result says whether it converged and why it stopped.
 * Throws a TypeError or RangeError naming the argument on bad input.
 *
 * @example
 * const r = minimize(([x, y]) => x.sub(1).square().add(y.add(2).square()), [0, 0]);
 * r.x; // ≈ [1, −2]
 */
export function minimize(
  fn: (p: Value[]) => Value,
  x0: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const where = 'minimize(fn, x0, options)';
  if (typeof fn !== 'function') {
    throw new TypeError(`${where}: expected fn to be a function, received ${describe(fn)}`);
  }
  checkStart(x0, options, where);
  const known = ['method', 'maxIterations', 'gtol', 'historySize', 'compile'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new TypeError(`${where}: unknown option '${key}' (expected ${known.join(', ')})`);
  }
  const n = x0.length;
  const { gtol = 1e-8, compile = true } = options;
  const method: unknown = options.method ?? 'lbfgs';
  if (method !== 'lbfgs' && method !== 'newton') {
    throw new RangeError(
      `${where}: expected options.method to be 'lbfgs' or 'newton', received ${describe(method)}`,
    );
  }
  const maxIterations = positiveInteger(
    options.maxIterations ?? Math.max(ITERATION_FLOOR, 200 * n),
    'maxIterations',
    where,
  );
  const historySize = positiveInteger(options.historySize ?? 10, 'historySize', where);
  if (typeof gtol !== 'number')
    throw new TypeError(
      `${where}: expected options.gtol to be a number, received ${describe(gtol)}`,
    );
  if (!(gtol >= 0 && gtol < Infinity))
    throw new RangeError(
      `${where}: expected options.gtol to be a finite number >= 0, received ${gtol}`,
    );
  if (typeof compile !== 'boolean')
    throw new TypeError(
      `${where}: expected options.compile to be a boolean, received ${describe(compile)}`,
    );

  const x = Float64Array.from(x0);
  const objective = scalarObjective(fn, x, where, compile);
  let g: Float64Array = new Float64Array(n);
  let f = objective.evaluate(x, g);
  let evaluations = 1;
  let hessianEvaluations = 0;
  const result = (iterations: number, converged: boolean, message: string): MinimizeResult => ({
    x: Array.from(x),
    fun: f,
    jac: Array.from(g),
    iterations,
    evaluations,
    hessianEvaluations,
    converged,
    message,
    gradient: objective.mode,
  });
  const gMax = (v: Float64Array): number => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  if (!Number.isFinite(f) || !g.every(Number.isFinite))
    return result(0, false, 'stopped: fn or its gradient is not finite at x0');
  if (gMax(g) <= gtol) return result(0, true, 'converged (gtol): max|gradient| ≤ gtol at x0');

  const history = new LbfgsHistory(historySize);
  const d = new Float64Array(n);
  const trial = new Float64Array(n);
  // f and ∇f at x + t·d; where f is not finite, +∞ (a point the line search rejects).
  const phi = (t: number): { f: number; g: Float64Array } => {
    for (let j = 0; j < n; j++) trial[j] = (x[j] as number) + t * (d[j] as number);
    const gt = new Float64Array(n);
    const ft = objective.evaluate(trial, gt);
    evaluations++;
    return { f: Number.isFinite(ft) && gt.every(Number.isFinite) ? ft : Infinity, g: gt };
  };
  const h = new Float64Array(n * n);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (method === 'newton') {
      const rows = hessian(fn, Array.from(x));
      hessianEvaluations++;
      rows.forEach((row, i) => row.forEach((v, j) => (h[i * n + j] = v)));
      const factor = h.every(Number.isFinite) ? modifiedCholesky(h, n) : null;
      if (factor === null) return result(iteration, false, 'stopped: the Hessian is not finite');
      // d = −(H + τI)⁻¹·g: Newton's step where H is positive definite (τ = 0), else a descent direction.
      choleskySolve(factor.l, n, g, d);
      for (let j = 0; j < n; j++) d[j] = -(d[j] as number);
      const search = strongWolfe(phi, 1, d, f, g, dot(g, d), {
        toleranceChange: Number.EPSILON * Math.max(1, gMax(x)),
        approximateWolfe: 1e-10 * Math.abs(f),
      });
      const progress =
        search.f < f ||
        (search.t > 0 && gMax(search.g) < gMax(g) && search.f <= f + 1e-10 * Math.abs(f));
      if (!progress) {
        return result(
          iteration,
          false,
          'stopped: the line search found no decrease of fn (precision lost; the gradient is not below gtol)',
        );
      }
      for (let j = 0; j < n; j++) x[j] = (x[j] as number) + search.t * (d[j] as number);
      f = search.f;
      g = search.g;
      if (gMax(g) <= gtol) return result(iteration, true, 'converged (gtol): max|gradient| ≤ gtol');
      continue;
    }
    history.direction(g, d);
    let gtd = dot(g, d);
    if (!(gtd < 0)) {
      // Not a descent direction (rounding in a stale memory): restart from steepest descent.
      history.clear();
      history.direction(g, d);
      gtd = dot(g, d);
    }
    // The first step scaled as torch scales it: at most 1/‖g‖₁.
    const t0 =
      history.dirs.length === 0 ? Math.min(1, 1 / g.reduce((s, e) => s + Math.abs(e), 0)) : 1;
    // The zoom stops where the bracket moves x by less than rounding.
    const toleranceChange = Number.EPSILON * Math.max(1, gMax(x));
    const search = strongWolfe(phi, t0, d, f, g, gtd, {
      toleranceChange,
      approximateWolfe: 1e-10 * Math.abs(f),
    });
    const progress =
      search.f < f ||
      (search.t > 0 && gMax(search.g) < gMax(g) && search.f <= f + 1e-10 * Math.abs(f));
    if (!progress) {
      // A stale memory can point where rounding hides any decrease: once more from steepest descent.
      if (history.dirs.length > 0) {
        history.clear();
        continue;
      }
      return result(
        iteration,
        false,
        'stopped: the line search found no decrease of fn (precision lost; the gradient is not below gtol)',
      );
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = search.t * (d[j] as number);
      y[j] = (search.g[j] as number) - (g[j] as number);
      x[j] = (x[j] as number) + search.t * (d[j] as number);
    }
    history.push(s, y, Number.EPSILON * dot(y, y));
    f = search.f;
    g = search.g;
    if (gMax(g) <= gtol) return result(iteration, true, 'converged (gtol): max|gradient| ≤ gtol');
  }
  return result(maxIterations, false, 'not converged: maxIterations reached');
}

function positiveInteger(v: unknown, name: string, where: string): number {
  if (typeof v !== 'number')
    throw new TypeError(
      `${where}: expected options.${name} to be a number, received ${describe(v)}`,
    );
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`${where}: expected options.${name} to be an integer >= 1, received ${v}`);
  return v;
}
