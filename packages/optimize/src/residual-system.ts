/**
 * The residuals of a least-squares problem and their Jacobian, in numbers,
 * from a function of `Value`s, compiled: with up to 16 parameters in forward
 * mode (`compileJacobian` from `@ag/core`, see `forwardSystem`); else, for a
 * problem of moderate size, the residuals and the whole Jacobian come from one
 * compiled reverse pass (see `oneTape`); past that, each residual is compiled
 * on its own and row i of the Jacobian is one reverse pass of residual i.
 * Where the function's graph depends on the parameters' values (it branched
 * on `.data`, checked as `compile` checks, by recording again at NaN and at
 * values of the other sign), every evaluation builds the graph afresh (eager).
 */
import { compile, compileJacobian, sum, Value, type CompiledFunction } from '@ag/core';
import { describe } from './describe.js';
import type { LmProblem } from './minpack/lmder.js';
import { sameStructure } from './same-structure.js';

export type Residuals = (p: Value[]) => readonly (Value | number)[];

export interface ResidualSystem extends LmProblem {
  /** The residuals the function returns (m counts the zero rows added up to n). */
  readonly count: number;
  /** How the Jacobian is computed. */
  readonly mode: 'compiled' | 'eager';
  /** Forward mode only: the Jacobian at x written row after row, ∂rᵢ/∂xⱼ at out[i·n + j]. */
  readonly jacobianRows?: (x: Float64Array, out: Float64Array) => void;
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

  if (n <= FORWARD_INPUTS) {
    const forward = forwardSystem(fn, x0, m, n, count);
    if (forward !== null) return forward;
  }
  const nodes = countNodes(first);
  return count * nodes <= ONE_TAPE_BUDGET
    ? oneTape(fn, params, first, m, n, count, where)
    : tapePerResidual(params, first, m, n, count);
}

/**
 * Up to this many parameters the residuals and the Jacobian come from one
 * replay in forward mode (`compileJacobian`), a tangent per parameter and node:
 * cheaper than one reverse pass per residual, or than a tape holding a copy of
 * the parameters per residual, which reads and writes count·n Values per
 * evaluation (8–24 × the hand-written Jacobian for 100 residuals of 3
 * parameters, against 1–2 × in forward mode).
 */
const FORWARD_INPUTS = 16;

/** Residuals and Jacobian from one forward-mode replay; null where code cannot be generated. */
function forwardSystem(
  fn: Residuals,
  x0: Float64Array,
  m: number,
  n: number,
  count: number,
): ResidualSystem | null {
  let f: ReturnType<typeof compileJacobian>;
  try {
    f = compileJacobian((x) => fn(x), Array.from(x0));
  } catch {
    return null;
  }
  if (f.count !== count) return null;
  const r = new Float64Array(count);
  const J = new Float64Array(m * n);
  // The last point evaluated: lmder asks for the Jacobian where it last evaluated the residuals.
  const last = new Float64Array(n).fill(Number.NaN);
  const pass = (x: Float64Array): void => {
    let same = true;
    for (let j = 0; j < n; j++) if (!Object.is(last[j], x[j])) same = false;
    if (same) return;
    last.fill(Number.NaN);
    f.evaluate(x, r, J, m);
    last.set(x);
  };
  return {
    m,
    n,
    count,
    mode: 'compiled',
    residuals(x, fvec) {
      pass(x);
      for (let i = 0; i < count; i++) fvec[i] = r[i] as number;
      for (let i = count; i < m; i++) fvec[i] = 0;
    },
    jacobian(x, fjac) {
      pass(x);
      // Rows count … m − 1 stay 0 (J was made with them, never written).
      fjac.set(J);
    },
    jacobianRows(x, out) {
      // r is this point's now, J is not: the next pass evaluates again.
      last.fill(Number.NaN);
      f.evaluateRows(x, r, out);
    },
  };
}

/**
 * Up to this many nodes built (residuals × the size of one recording), the
 * whole Jacobian comes from one tape; past it, one tape per residual.
 */
const ONE_TAPE_BUDGET = 4_000_000;

/**
 * The residuals and the whole Jacobian from one compiled reverse pass.
 * Residual i is taken from a recording over its own copy qᵢ of the
 * parameters, and F = Σ vᵢ·rᵢ(qᵢ) with leaves vᵢ = 1: one backward pass of F
 * leaves ∂F/∂vᵢ = rᵢ in vᵢ.grad and ∂F/∂q_ij = ∂rᵢ/∂xⱼ in q_ij.grad, the same
 * numbers as a pass from rᵢ alone (the seed vᵢ·1 is exactly 1). Recording costs
 * a call of fn per residual, once.
 */
function oneTape(
  fn: Residuals,
  params: Value[],
  first: readonly (Value | number)[],
  m: number,
  n: number,
  count: number,
  where: string,
): ResidualSystem {
  const copies: Value[][] = [];
  const weights: Value[] = [];
  const terms: Value[] = [];
  const constants = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const r0 = first[i] as Value | number;
    if (typeof r0 === 'number' || !r0.requiresGrad) {
      constants[i] = typeof r0 === 'number' ? r0 : r0.data;
      copies.push([]);
      weights.push(new Value(0, { requiresGrad: false }));
      continue;
    }
    const q = params.map((p) => new Value(p.data));
    const r = i === 0 ? r0 : (callResiduals(fn, q, where, count)[i] as Value | number);
    const own = i === 0 ? params : q;
    if (!(r instanceof Value))
      throw new Error(`${where}: residuals(p)[${i}] changed from a Value to a number`);
    const v = new Value(1);
    copies.push(own);
    weights.push(v);
    terms.push(v.mul(r));
  }
  const f = terms.length === 0 ? null : compile(() => sum(terms), { inputs: [], check: false });
  const none = {};
  // The last point evaluated: lmder asks for the Jacobian where it last evaluated the residuals.
  const last = new Float64Array(n).fill(Number.NaN);
  const pass = (x: Float64Array): void => {
    let same = true;
    for (let j = 0; j < n; j++) if (!Object.is(last[j], x[j])) same = false;
    if (same || f === null) return;
    for (let i = 0; i < count; i++) {
      const q = copies[i] as Value[];
      if (q.length === 0) continue;
      (weights[i] as Value).grad = 0;
      for (let j = 0; j < n; j++) {
        const v = q[j] as Value;
        v.data = x[j] as number;
        v.grad = 0;
      }
    }
    last.set(x);
    try {
      f.backward(none);
    } catch (error) {
      last.fill(Number.NaN);
      throw error;
    }
  };
  return {
    m,
    n,
    count,
    mode: 'compiled',
    residuals(x, fvec) {
      pass(x);
      for (let i = 0; i < count; i++) {
        fvec[i] =
          (copies[i] as Value[]).length === 0
            ? (constants[i] as number)
            : (weights[i] as Value).grad;
      }
      for (let i = count; i < m; i++) fvec[i] = 0;
    },
    jacobian(x, fjac) {
      pass(x);
      fjac.fill(0);
      for (let i = 0; i < count; i++) {
        const q = copies[i] as Value[];
        for (let j = 0; j < q.length; j++) fjac[i + m * j] = (q[j] as Value).grad;
      }
    },
  };
}

/** One compiled function per residual that depends on a parameter; the others are constants. */
function tapePerResidual(
  params: Value[],
  first: readonly (Value | number)[],
  m: number,
  n: number,
  count: number,
): ResidualSystem {
  const setParams = (x: Float64Array): void => {
    for (let j = 0; j < n; j++) (params[j] as Value).data = x[j] as number;
  };
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

/** The number of nodes of a recording (each counted once), walked without recursion. */
function countNodes(roots: readonly (Value | number)[]): number {
  const seen = new Set<Value>();
  const stack: Value[] = roots.filter((r): r is Value => r instanceof Value);
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    if (seen.has(v)) continue;
    seen.add(v);
    if (!v.isLeaf) for (const o of v.operands) stack.push(o);
  }
  return seen.size;
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
