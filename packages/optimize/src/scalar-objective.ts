/**
 * A scalar function of `Value`s as numbers in, value and gradient out: recorded
 * once at x₀ and compiled (`compile` from `@ag/core`), one forward and reverse
 * pass per evaluation. Where its graph depends on the parameters' values
 * (checked as `leastSquares` checks its residuals), each evaluation builds the
 * graph afresh (eager).
 */
import { compile, Value } from '@ag/core';
import { describe } from './describe.js';
import { sameStructure } from './same-structure.js';

export type Objective = (p: Value[]) => Value;

export interface ScalarObjective {
  readonly mode: 'compiled' | 'eager';
  /** f(x), with ∇f(x) written into g. */
  evaluate(x: Float64Array, g: Float64Array): number;
}

function callObjective(fn: Objective, params: Value[], where: string): Value {
  const out = fn(params) as unknown;
  if (!(out instanceof Value)) {
    throw new TypeError(`${where}: expected fn(p) to return a Value, received ${describe(out)}`);
  }
  return out;
}

const otherValue = (x: number): number => (x >= 0 ? -x - 1 : 1 - x);

export function scalarObjective(
  fn: Objective,
  x0: Float64Array,
  where: string,
  preferCompiled: boolean,
): ScalarObjective {
  const n = x0.length;
  const params = Array.from(x0, (v) => new Value(v));
  const first = callObjective(fn, params, where);
  const setParams = (x: Float64Array): void => {
    for (let j = 0; j < n; j++) {
      const p = params[j] as Value;
      p.data = x[j] as number;
      p.grad = 0;
    }
  };
  const readGrad = (g: Float64Array): void => {
    for (let j = 0; j < n; j++) g[j] = (params[j] as Value).grad;
  };
  const eager: ScalarObjective = {
    mode: 'eager',
    evaluate(x, g) {
      setParams(x);
      const out = callObjective(fn, params, where);
      if (out.requiresGrad) out.backward();
      readGrad(g);
      return out.data;
    },
  };
  if (!preferCompiled || !first.requiresGrad) return eager;
  const probes = [() => Number.NaN, (j: number) => otherValue(x0[j] as number)];
  for (const [k, probe] of probes.entries()) {
    const again = Array.from(x0, (_, j) => new Value(probe(j)));
    let out: Value;
    try {
      out = callObjective(fn, again, where);
    } catch {
      // fn may refuse NaN; refusing ordinary numbers means its graph depends on them.
      if (k === 0) continue;
      return eager;
    }
    if (!sameStructure([first], [out], params, again)) return eager;
  }
  const f = compile(() => first, { inputs: [], check: false });
  const none = {};
  return {
    mode: 'compiled',
    evaluate(x, g) {
      setParams(x);
      const value = f.backward(none);
      readGrad(g);
      return value;
    },
  };
}
