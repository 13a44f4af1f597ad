/**
 * The residuals of a least-squares problem and their Jacobian, in numbers,
 * from a function of `Value`s. The function is recorded once at x₀ and each
 * residual compiled (`compile` from `@ag/core`): an evaluation replays the
 * residuals' tapes, and row i of the Jacobian is one reverse pass of residual
 * i. Where the function's graph depends on the parameters' values (it branched
 * on `.data`, checked as `compile` checks, by recording again at NaN and at
 * values of the other sign), every evaluation builds the graph afresh (eager).
 */
import { compile, Value, type CompiledFunction } from '@ag/core';
import { describe } from './describe.js';
import type { LmProblem } from './minpack/lmder.js';
import { sameStructure } from './same-structure.js';

export type Residuals = (p: Value[]) => readonly (Value | number)[];

export interface ResidualSystem extends LmProblem {
  /** The residuals the function returns (m counts the zero rows added up to n). */
  readonly count: number;
  /** How the Jacobian is computed. */
  readonly mode: 'compiled' | 'eager';
}

/** Calls fn on the parameters and checks what it returns. */
function callResiduals(
  fn: Residuals,
  params: Value[],
  where: string,
  count: number,
): (Value | number)[] {
  const out = fn(params) as unknown;
  if (!Array.isArray(out)) {
    throw new TypeError(
      `${where}: expected residuals(p) to return an array of Values, received ${describe(out)}`,
    );
  }
  if (count >= 0 && out.length !== count) {
    throw new RangeError(
      `${where}: residuals(p) returned ${out.length} residuals, but ${count} the first time; the residual count must not change between calls`,
    );
  }
  out.forEach((r: unknown, i) => {
    if (!(r instanceof Value) && typeof r !== 'number') {
      throw new TypeError(
        `${where}: expected residuals(p)[${i}] to be a Value or a number, received ${describe(r)}`,
      );
    }
  });
  return out as (Value | number)[];
}

const otherValue = (x: number): number => (x >= 0 ? -x - 1 : 1 - x);

export function residualSystem(
  fn: Residuals,
  x0: Float64Array,
  where: string,
  preferCompiled: boolean,
): ResidualSystem {
  const n = x0.length;
  const params = Array.from(x0, (v) => new Value(v));
  const first = callResiduals(fn, params, where, -1);
  const count = first.length;
  if (count === 0)
    throw new RangeError(
      `${where}: expected residuals(p) to return at least one residual, received none`,
    );
  // MINPACK needs m ≥ n: rows of zeros change neither the cost nor the step.
  const m = Math.max(count, n);
  const setParams = (x: Float64Array): void => {
    for (let j = 0; j < n; j++) (params[j] as Value).data = x[j] as number;
  };

  const eager: ResidualSystem = {
    m,
    n,
    count,
    mode: 'eager',
    residuals(x, fvec) {
      setParams(x);
      const rs = callResiduals(fn, params, where, count);
      for (let i = 0; i < count; i++) {
        const r = rs[i] as Value | number;
        fvec[i] = typeof r === 'number' ? r : r.data;
      }
      for (let i = count; i < m; i++) fvec[i] = 0;
    },
    jacobian(x, fjac) {
      setParams(x);
      const rs = callResiduals(fn, params, where, count);
      fjac.fill(0);
      for (let i = 0; i < count; i++) {
        const r = rs[i] as Value | number;
        if (typeof r === 'number' || !r.requiresGrad) continue;
        for (let j = 0; j < n; j++) (params[j] as Value).grad = 0;
        r.backward();
        for (let j = 0; j < n; j++) fjac[i + m * j] = (params[j] as Value).grad;
      }
    },
  };
  if (!preferCompiled || !dependsOnlyOnOps(fn, first, params, x0, where, count)) {
    return eager;
  }

  // One compiled function per residual that depends on a parameter; the others are constants.
  const compiled: (CompiledFunction<readonly never[]> | null)[] = [];
  const constants = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const r = first[i] as Value | number;
    if (typeof r === 'number' || !r.requiresGrad) {
      constants[i] = typeof r === 'number' ? r : r.data;
      compiled.push(null);
    } else {
      compiled.push(compile(() => r, { inputs: [], check: false }));
    }
  }
  const none = {};
  return {
    m,
    n,
    count,
    mode: 'compiled',
    residuals(x, fvec) {
      setParams(x);
      for (let i = 0; i < count; i++) {
        const f = compiled[i];
        fvec[i] = f === null || f === undefined ? (constants[i] as number) : f.run(none);
      }
      for (let i = count; i < m; i++) fvec[i] = 0;
    },
    jacobian(x, fjac) {
      setParams(x);
      fjac.fill(0);
      for (let i = 0; i < count; i++) {
        const f = compiled[i];
        if (f === null || f === undefined) continue;
        for (let j = 0; j < n; j++) (params[j] as Value).grad = 0;
        f.backward(none);
        for (let j = 0; j < n; j++) fjac[i + m * j] = (params[j] as Value).grad;
      }
    },
  };
}

/**
 * Whether fn builds the same graph at NaN and at values of the other sign as
 * at x₀ (fn may throw on NaN, as `compile` allows).
 */
function dependsOnlyOnOps(
  fn: Residuals,
  first: readonly (Value | number)[],
  params: readonly Value[],
  x0: Float64Array,
  where: string,
  count: number,
): boolean {
  const probes = [() => Number.NaN, (j: number) => otherValue(x0[j] as number)];
  for (const [k, probe] of probes.entries()) {
    const again = Array.from(x0, (_, j) => new Value(probe(j)));
    let rs: (Value | number)[];
    try {
      rs = callResiduals(fn, again, where, count);
    } catch {
      // fn may refuse NaN; refusing ordinary numbers means its graph depends on them.
      if (k === 0) continue;
      return false;
    }
    if (!sameStructure(first, rs, params, again)) return false;
  }
  return true;
}
