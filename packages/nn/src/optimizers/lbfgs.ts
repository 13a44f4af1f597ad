/**
 * L-BFGS as PyTorch's `torch.optim.LBFGS`: `step(closure)` runs up to
 * `maxIter` quasi-Newton iterations, each along the two-loop direction of
 * the last `historySize` steps, with a fixed step of `lr` or torch's
 * strong-Wolfe line search. The direction and the line search are
 * `@ag/optimize`'s (`LbfgsHistory`, `strongWolfe`), shared with `minimize`.
 *
 * Atomicity, as far as a closure allows. A step evaluates the closure many
 * times (once per iteration, several times in a line search), so it cannot
 * undo what the closure does: the gradients it leaves in `grad`, and any
 * other effect it has. What it can keep, it keeps: a step that meets a loss
 * or a gradient that is not finite puts every parameter back to its value at
 * the start of the step, keeps the optimizer's state as it was, and throws a
 * RangeError. (PyTorch would carry the NaN on.)
 */
import { Value } from '@ag/core';
import { LbfgsHistory, strongWolfe } from '@ag/optimize';
import {
  checkInteger,
  checkKnownKeys,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkPositive,
  describe,
} from '../argument-checks.js';
import { paramName } from './optimizer.js';

/** The options of `new LBFGS`. */
export interface LBFGSOptions {
  /** Step length (default 1, as PyTorch). */
  lr?: number;
  /** Iterations per `step` (default 20). */
  maxIter?: number;
  /** Closure evaluations per `step` (default ⌊maxIter·5/4⌋). */
  maxEval?: number;
  /** Stop when max|gradient| ≤ this (default 1e-7). */
  toleranceGrad?: number;
  /** Stop when the loss or the step changes by less than this (default 1e-9). */
  toleranceChange?: number;
  /** Steps kept for the inverse-Hessian estimate (default 100). */
  historySize?: number;
  /** `'none'` (default: a fixed step of lr) or `'strongWolfe'`. */
  lineSearch?: 'none' | 'strongWolfe';
}

/** The closure: zeroes the gradients, computes the loss, calls `backward()`, returns the loss. */
export type Closure = () => Value | number;

const KEYS = [
  'lr',
  'maxIter',
  'maxEval',
  'toleranceGrad',
  'toleranceChange',
  'historySize',
  'lineSearch',
];

/** What torch keeps in `state` between steps. */
interface LbfgsState {
  funcEvals: number;
  nIter: number;
  d: Float64Array | null;
  t: number;
  history: LbfgsHistory;
  prevFlatGrad: Float64Array | null;
  prevLoss: number;
}

/** Thrown inside a step to unwind it; turned into a RangeError once the parameters are restored. */
class NonFinite extends Error {}

/**
 * L-BFGS, as PyTorch's `torch.optim.LBFGS`: each `step(closure)` runs up to
 * `maxIter` quasi-Newton iterations along the two-loop direction of the last
 * `historySize` steps, with a fixed step of `lr` or a strong-Wolfe line search.
 *
 * @example
 * const optimizer = new LBFGS(model.parameters(), { lineSearch: 'strongWolfe' });
 * optimizer.step(() => { optimizer.zeroGrad(); const loss = lossOf(model); loss.backward(); return loss; });
 */
export class LBFGS {
  /** The parameters, in the order of the flat vectors. */
  readonly params: readonly Value[];
  /** Iterations per `step` at most. */
  readonly maxIter: number;
  /** Closure evaluations per `step` at most. */
  readonly maxEval: number;
  /** A step stops when max|gradient| ≤ this. */
  readonly toleranceGrad: number;
  /** A step stops when the loss or the step changes by less than this. */
  readonly toleranceChange: number;
  /** Steps kept for the inverse-Hessian estimate. */
  readonly historySize: number;
  /** `'none'` (a fixed step of lr) or `'strongWolfe'`. */
  readonly lineSearch: 'none' | 'strongWolfe';
  #lr: number;
  #state: LbfgsState;

  /**
   * @example
   * const optimizer = new LBFGS(model.parameters(), { lineSearch: 'strongWolfe' });
   * optimizer.step(() => { optimizer.zeroGrad(); const loss = lossOf(model); loss.backward(); return loss; });
   */
  constructor(params: readonly Value[], options?: LBFGSOptions) {
    const where = 'new LBFGS(params, options)';
    if (!Array.isArray(params))
      throw new TypeError(
        `new LBFGS(params): expected an array of Values, received ${describe(params)}`,
      );
    if (params.length === 0)
      throw new RangeError(
        'new LBFGS(params): expected at least one parameter, received an empty array',
      );
    const seen = new Set<Value>();
    params.forEach((p: unknown, i) => {
      if (!(p instanceof Value))
        throw new TypeError(`new LBFGS(params[${i}]): expected a Value, received ${describe(p)}`);
      if (!p.isLeaf)
        throw new RangeError(
          `new LBFGS(params[${i}]): expected a leaf Value (a parameter), received a node made by '${p.op}'`,
        );
      if (seen.has(p))
        throw new RangeError(`new LBFGS(params[${i}]): the same Value appears twice in params`);
      seen.add(p);
    });
    const o = checkOptions(options, where);
    checkKnownKeys(o, where, KEYS);
    this.#lr = o.lr === undefined ? 1 : checkPositive(o.lr, `${where}.lr`);
    this.maxIter = o.maxIter === undefined ? 20 : checkInteger(o.maxIter, `${where}.maxIter`, 1);
    this.maxEval =
      o.maxEval === undefined
        ? Math.floor((this.maxIter * 5) / 4)
        : checkInteger(o.maxEval, `${where}.maxEval`, 1);
    this.toleranceGrad =
      o.toleranceGrad === undefined
        ? 1e-7
        : checkNonNegative(o.toleranceGrad, `${where}.toleranceGrad`);
    this.toleranceChange =
      o.toleranceChange === undefined
        ? 1e-9
        : checkNonNegative(o.toleranceChange, `${where}.toleranceChange`);
    this.historySize =
      o.historySize === undefined ? 100 : checkInteger(o.historySize, `${where}.historySize`, 1);
    this.lineSearch =
      o.lineSearch === undefined
        ? 'none'
        : checkOneOf(o.lineSearch, `${where}.lineSearch`, ['none', 'strongWolfe'] as const);
    this.params = params.slice();
    this.#state = freshState(this.historySize);
  }

  /** The step length; must be a positive finite number. */
  get lr(): number {
    return this.#lr;
  }
  set lr(lr: number) {
    this.#lr = checkPositive(lr, 'LBFGS.lr');
  }

  /** Closure evaluations over every step so far (torch's `func_evals`). */
  get evaluations(): number {
    return this.#state.funcEvals;
  }

  /** Iterations over every step so far (torch's `n_iter`). */
  get iterations(): number {
    return this.#state.nIter;
  }

  /**
   * Sets every parameter's gradient to 0.
   *
   * @example
   * optimizer.zeroGrad();
   */
  zeroGrad(): void {
    for (const p of this.params) p.grad = 0;
  }

  /**
   * Up to `maxIter` L-BFGS iterations, exactly as `torch.optim.LBFGS.step`;
   * returns the loss of the first evaluation of the closure (before any update).
   *
   * @example
   * const loss = optimizer.step(() => {
   *   optimizer.zeroGrad();
   *   const l = mse(model.forward(x), y);
   *   l.backward();
   *   return l;
   * });
   */
  step(closure: Closure): number {
    if (typeof closure !== 'function')
      throw new TypeError(
        `LBFGS.step(closure): expected a function, received ${describe(closure)}`,
      );
    const params = this.params;
    const n = params.length;
    const start = Float64Array.from(params, (p) => p.data);
    // Torch's state, updated on a copy: a step that throws leaves the one in use untouched.
    const before = this.#state;
    const state: LbfgsState = {
      ...before,
      history: cloneHistory(before.history),
      d: before.d === null ? null : before.d.slice(),
      prevFlatGrad: before.prevFlatGrad === null ? null : before.prevFlatGrad.slice(),
    };
    const evaluate = (): number => {
      const out = closure() as unknown;
      let loss: number;
      if (out instanceof Value) loss = out.data;
      else if (typeof out === 'number') loss = out;
      else
        throw new TypeError(
          `LBFGS.step(closure): expected the closure to return a Value or a number, received ${describe(out)}`,
        );
      if (!Number.isFinite(loss)) throw new NonFinite(`the loss is ${loss}`);
      return loss;
    };
    const gatherGrad = (): Float64Array => {
      const g = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const gi = (params[i] as Value).grad;
        if (!Number.isFinite(gi))
          throw new NonFinite(`the gradient of ${paramName(params, i)} is ${gi}`);
        g[i] = gi;
      }
      return g;
    };
    const maxAbs = (v: Float64Array): number => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
    try {
      const origLoss = evaluate();
      let loss = origLoss;
      let currentEvals = 1;
      state.funcEvals++;
      let flatGrad = gatherGrad();
      let optCond = maxAbs(flatGrad) <= this.toleranceGrad;
      if (optCond) {
        this.#state = state;
        return origLoss;
      }
      const history = state.history;
      let d = state.d ?? new Float64Array(n);
      let t = state.t;
      let prevFlatGrad = state.prevFlatGrad;
      let prevLoss = state.prevLoss;
      let nIter = 0;
      while (nIter < this.maxIter) {
        nIter++;
        state.nIter++;
        // The direction: steepest descent at the very first iteration, else the two-loop recursion.
        if (state.nIter === 1) {
          history.clear();
          d = new Float64Array(n);
          for (let i = 0; i < n; i++) d[i] = -(flatGrad[i] as number);
        } else {
          const y = new Float64Array(n);
          const s = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            y[i] = (flatGrad[i] as number) - ((prevFlatGrad as Float64Array)[i] as number);
            s[i] = (d[i] as number) * t;
          }
          history.push(s, y, 1e-10);
          d = new Float64Array(n);
          history.direction(flatGrad, d);
        }
        prevFlatGrad = flatGrad.slice();
        prevLoss = loss;
        // The step length: at the very first iteration at most 1/‖g‖₁ (times lr), else lr.
        if (state.nIter === 1) {
          let l1 = 0;
          for (let i = 0; i < n; i++) l1 += Math.abs(flatGrad[i] as number);
          t = Math.min(1, 1 / l1) * this.#lr;
        } else {
          t = this.#lr;
        }
        let gtd = 0;
        for (let i = 0; i < n; i++) gtd += (flatGrad[i] as number) * (d[i] as number);
        if (gtd > -this.toleranceChange) break;

        let lsFuncEvals = 0;
        if (this.lineSearch === 'strongWolfe') {
          const x = Float64Array.from(params, (p) => p.data);
          const dir = d;
          const search = strongWolfe(
            (tt) => {
              for (let i = 0; i < n; i++)
                (params[i] as Value).data = (x[i] as number) + tt * (dir[i] as number);
              const f = evaluate();
              const g = gatherGrad();
              for (let i = 0; i < n; i++) (params[i] as Value).data = x[i] as number;
              return { f, g };
            },
            t,
            d,
            loss,
            flatGrad,
            gtd,
            { toleranceChange: this.toleranceChange },
          );
          loss = search.f;
          flatGrad = search.g;
          t = search.t;
          lsFuncEvals = search.evaluations;
          for (let i = 0; i < n; i++) {
            const p = params[i] as Value;
            p.data = p.data + t * (d[i] as number);
          }
          optCond = maxAbs(flatGrad) <= this.toleranceGrad;
        } else {
          for (let i = 0; i < n; i++) {
            const p = params[i] as Value;
            p.data = p.data + t * (d[i] as number);
          }
          if (nIter !== this.maxIter) {
            // Not at the last iteration: torch evaluates again for the next direction.
            loss = evaluate();
            flatGrad = gatherGrad();
            optCond = maxAbs(flatGrad) <= this.toleranceGrad;
            lsFuncEvals = 1;
          }
        }
        currentEvals += lsFuncEvals;
        state.funcEvals += lsFuncEvals;

        if (nIter === this.maxIter) break;
        if (currentEvals >= this.maxEval) break;
        if (optCond) break;
        let stepMax = 0;
        for (let i = 0; i < n; i++) stepMax = Math.max(stepMax, Math.abs((d[i] as number) * t));
        if (stepMax <= this.toleranceChange) break;
        if (Math.abs(loss - prevLoss) < this.toleranceChange) break;
      }
      state.d = d;
      state.t = t;
      state.prevFlatGrad = prevFlatGrad;
      state.prevLoss = prevLoss;
      this.#state = state;
      return origLoss;
    } catch (error) {
      for (let i = 0; i < n; i++) (params[i] as Value).data = start[i] as number;
      if (error instanceof NonFinite) {
        throw new RangeError(
          `LBFGS.step: ${error.message}; every parameter and the optimizer's state were restored (the closure's own effects, such as the gradients it left, cannot be undone)`,
        );
      }
      throw error;
    }
  }
}

function freshState(historySize: number): LbfgsState {
  return {
    funcEvals: 0,
    nIter: 0,
    d: null,
    t: 0,
    history: new LbfgsHistory(historySize),
    prevFlatGrad: null,
    prevLoss: 0,
  };
}

function cloneHistory(h: LbfgsHistory): LbfgsHistory {
  const copy = new LbfgsHistory(h.size);
  copy.dirs.push(...h.dirs);
  copy.steps.push(...h.steps);
  copy.ro.push(...h.ro);
  copy.hDiag = h.hDiag;
  return copy;
}
