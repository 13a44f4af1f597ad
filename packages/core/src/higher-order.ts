/**
 * Derivatives as values: `gradients` (PyTorch's `torch.autograd.grad`), and
 * on top of it JAX's `grad`, `jacobian`, `hessian`, `hvp`, and forward mode's
 * `jvp`. All read the op table's rules (rule-ir.ts), the same trees the eager
 * backward pass is printed from: over `Value`s the backward pass is itself a
 * graph (`createGraph`), differentiable again to any order; over numbers it is
 * the eager pass's arithmetic without touching any `.grad`.
 */
import { Algebra, type Relation } from './algebra.js';
import { backwardOrder } from './backward.js';
import { describe } from './describe.js';
import { OP_MASK, REQUIRES_GRAD as RG } from './flags.js';
import { nodesBelow } from './graph-walk.js';
import { dot } from './nary.js';
import type { Op } from './ops.js';
import { NUMBERS, RULES, runStmts, type Env } from './rule-ir.js';
import { binary, constant, forEachOperand, unary, Value } from './value.js';

/** Values: each op applied builds a node, so a derivative is a graph. */
class ValueAlgebra extends Algebra<Value, boolean> {
  num(x: number): Value {
    return constant(x);
  }
  apply(op: Op, a: Value, b?: Value): Value {
    return b === undefined ? unary(op, a) : binary(op, a, b);
  }
  compare(rel: Relation, a: Value, b: Value): boolean {
    return NUMBERS.compare(rel, a.data, b.data);
  }
  and(c: boolean, d: boolean): boolean {
    return c && d;
  }
  select(c: boolean, t: Value | number, f: Value | number): Value {
    return this.lift(c ? t : f);
  }
}
const VALUES = new ValueAlgebra();

export interface GradientsOptions {
  /**
   * Build the gradients as a graph (default false): the results are ordinary
   * `Value`s computed from the inputs, to differentiate again.
   */
  createGraph?: boolean;
}

/**
 * ∂output/∂input for each input, without touching any `.grad`. An input the
 * output does not depend on (or that needs no gradient) gets 0, as PyTorch's
 * `allow_unused` with `materialize_grads`. Without `createGraph` the results
 * are constants (no history, `requiresGrad` false), the same numbers
 * `output.backward()` would leave in the inputs' `grad`; with it, they are
 * graphs of the same ops, differentiable to any order.
 *
 * @example
 * const [dx] = gradients(x.mul(x).mul(x), [x], { createGraph: true }); // 3x²
 * const [d2x] = gradients(dx, [x]); // 6x
 */
export function gradients(
  output: Value,
  inputs: readonly Value[],
  options?: GradientsOptions,
): Value[] {
  if (!(output instanceof Value))
    throw new TypeError(`gradients(output): expected a Value, received ${describe(output)}`);
  checkValues(inputs, 'gradients', 'inputs');
  const createGraph = readOptions(options);
  if (createGraph) {
    const adjoint = valueAdjoints(output);
    return inputs.map((x) => adjoint.get(x) ?? constant(0));
  }
  const adjoint = numberAdjoints(output);
  return inputs.map((x) => constant(adjoint.get(x) ?? 0));
}

function readOptions(options: unknown): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`gradients(options): expected an object, received ${describe(options)}`);
  for (const key of Object.keys(options))
    if (key !== 'createGraph')
      throw new TypeError(`gradients(options): unknown option '${key}' (expected 'createGraph')`);
  const { createGraph } = options as { createGraph?: unknown };
  if (createGraph !== undefined && typeof createGraph !== 'boolean')
    throw new TypeError(
      `gradients(options.createGraph): expected a boolean, received ${describe(createGraph)}`,
    );
  return createGraph === true;
}

/**
 * The eager pass's arithmetic into a Map: the nodes in backward()'s order,
 * each gradient started at 0 and added to term by term.
 */
function numberAdjoints(output: Value): Map<Value, number> {
  const adjoint = new Map<Value, number>();
  if ((output._f & RG) === 0) return adjoint;
  adjoint.set(output, 1);
  const env: Env<number> = { a: 0, b: 0, v: 0, g: 0 };
  for (const node of backwardOrder(output)) {
    const g = adjoint.get(node);
    if (g === undefined) continue;
    const stmts = (RULES[node._f & OP_MASK] as (typeof RULES)[number]).stmts;
    forEachOperand(node, (x, i, a, b) => {
      if ((x._f & RG) === 0) return;
      env.a = a.data;
      env.b = b === null ? 0 : b.data;
      env.v = node.data;
      env.g = g;
      runStmts(NUMBERS, stmts[i] ?? [], env, (neg, term) => {
        const s = adjoint.get(x) ?? 0;
        adjoint.set(x, neg ? s - term : s + term);
      });
    });
  }
  return adjoint;
}

/** The same pass over Values: every term a node, so the result is differentiable. */
function valueAdjoints(output: Value): Map<Value, Value> {
  const adjoint = new Map<Value, Value>();
  if ((output._f & RG) === 0) return adjoint;
  adjoint.set(output, constant(1));
  for (const node of backwardOrder(output)) {
    const g = adjoint.get(node);
    if (g === undefined) continue;
    const stmts = (RULES[node._f & OP_MASK] as (typeof RULES)[number]).stmts;
    forEachOperand(node, (x, i, a, b) => {
      if ((x._f & RG) === 0) return;
      const env: Env<Value> = { a, b: b ?? a, v: node, g };
      runStmts(VALUES, stmts[i] ?? [], env, (neg, term) => {
        const s = adjoint.get(x);
        // The first term is the gradient itself (no 0 + t node).
        const next = s === undefined ? (neg ? term.neg() : term) : neg ? s.sub(term) : s.add(term);
        adjoint.set(x, next);
      });
    });
  }
  return adjoint;
}

/**
 * `fn`'s gradient as a function, JAX's `grad`: the result is a graph
 * (`createGraph`), so `grad` composes to any order.
 *
 * @example
 * const f = (x: Value[]) => (x[0] as Value).sin();
 * grad((x) => grad(f)(x)[0] as Value)([1]); // [−sin 1]
 */
export function grad(fn: (x: Value[]) => Value): (x: (number | Value)[]) => Value[] {
  checkFunction(fn, 'grad');
  return (x) => {
    if (!Array.isArray(x))
      throw new TypeError(
        `grad(fn)(x): expected an array of numbers or Values, received ${describe(x)}`,
      );
    const xs = x.map((xi: unknown, i) => {
      if (xi instanceof Value) return xi;
      if (typeof xi !== 'number')
        throw new TypeError(
          `grad(fn)(x): expected x[${i}] to be a number or a Value, received ${describe(xi)}`,
        );
      return new Value(xi);
    });
    holes(x, 'grad(fn)(x)');
    return gradients(callScalar(fn, xs, 'grad'), xs, { createGraph: true });
  };
}

/**
 * The Jacobian of `fn` at x: one row per output (one row for a single
 * output), one column per input, by reverse mode.
 *
 * @example
 * jacobian(([a, b]) => [a.mul(b), a.add(b)], [2, 3]); // [[3, 2], [1, 1]]
 */
export function jacobian(fn: (x: Value[]) => Value | Value[], x: readonly number[]): number[][] {
  checkFunction(fn, 'jacobian');
  const leaves = leavesAt(x, 'jacobian', 'x');
  const outputs = callAny(fn, leaves, 'jacobian');
  return outputs.map((out) => gradients(out, leaves).map((d) => d.data));
}

/**
 * The Hessian of a scalar `fn` at x, ∂²f/∂xᵢ∂xⱼ: the gradient graph
 * differentiated once more, row by row.
 *
 * @example
 * hessian(([a, b]) => a.mul(a).mul(b), [1, 2]); // [[4, 2], [2, 0]]
 */
export function hessian(fn: (x: Value[]) => Value, x: readonly number[]): number[][] {
  checkFunction(fn, 'hessian');
  const leaves = leavesAt(x, 'hessian', 'x');
  const g = gradients(callScalar(fn, leaves, 'hessian'), leaves, { createGraph: true });
  return g.map((gi) => gradients(gi, leaves).map((d) => d.data));
}

/**
 * The Hessian of `fn` at x times v, without forming the Hessian: the
 * gradient of ∇f(x)·v (two reverse passes, the second over a graph the size
 * of f's).
 *
 * @example
 * hvp(([a, b]) => a.mul(a).mul(b), [1, 2], [1, 0]); // [4, 2]
 */
export function hvp(
  fn: (x: Value[]) => Value,
  x: readonly number[],
  v: readonly number[],
): number[] {
  checkFunction(fn, 'hvp');
  const leaves = leavesAt(x, 'hvp', 'x');
  const direction = numbersOfLength(v, x.length, 'hvp', 'v');
  const g = gradients(callScalar(fn, leaves, 'hvp'), leaves, { createGraph: true });
  return gradients(dot(g, direction), leaves).map((d) => d.data);
}

/**
 * Forward mode: `fn`'s outputs at x and their directional derivatives along
 * v (the Jacobian times v), in one sweep from the inputs to the outputs;
 * each node's tangent is Σ ∂node/∂operand · tangent(operand), with the op
 * table's partials. No backward pass.
 *
 * @example
 * jvp(([a, b]) => a.mul(b), [2, 3], [1, 0]); // { values: [6], tangents: [3] }
 */
export function jvp(
  fn: (x: Value[]) => Value | Value[],
  x: readonly number[],
  v: readonly number[],
): { values: number[]; tangents: number[] } {
  checkFunction(fn, 'jvp');
  const leaves = leavesAt(x, 'jvp', 'x');
  const direction = numbersOfLength(v, x.length, 'jvp', 'v');
  const outputs = callAny(fn, leaves, 'jvp');
  const tangent = new Map<Value, number>();
  leaves.forEach((leaf, i) => tangent.set(leaf, direction[i] as number));
  const env: Env<number> = { a: 0, b: 0, v: 0, g: 0 };
  for (const out of outputs) {
    for (const node of nodesBelow(out)) {
      if (tangent.has(node) || (node._f & OP_MASK) === 0) continue;
      const stmts = (RULES[node._f & OP_MASK] as (typeof RULES)[number]).stmts;
      let t: number | undefined;
      forEachOperand(node, (operand, i, a, b) => {
        const dx = tangent.get(operand);
        if (dx === undefined) return; // a constant, or a leaf not among the inputs
        env.a = a.data;
        env.b = b === null ? 0 : b.data;
        env.v = node.data;
        env.g = dx;
        runStmts(NUMBERS, stmts[i] ?? [], env, (neg, term) => {
          const s = t ?? 0;
          t = neg ? s - term : s + term;
        });
      });
      if (t !== undefined) tangent.set(node, t);
    }
  }
  return {
    values: outputs.map((o) => o.data),
    tangents: outputs.map((o) => tangent.get(o) ?? 0),
  };
}

// ---- argument checks -------------------------------------------------------------

function checkFunction(fn: unknown, name: string): void {
  if (typeof fn !== 'function')
    throw new TypeError(`${name}(fn): expected a function, received ${describe(fn)}`);
}

/** A hole is a missing element: forEach and map would skip it silently. */
function holes(list: readonly unknown[], where: string): void {
  for (let i = 0; i < list.length; i++)
    if (!(i in list)) throw new TypeError(`${where}: element ${i} is a hole (a sparse array)`);
}

function checkValues(list: unknown, fn: string, arg: string): asserts list is readonly Value[] {
  if (!Array.isArray(list))
    throw new TypeError(`${fn}(${arg}): expected an array of Values, received ${describe(list)}`);
  holes(list, `${fn}(${arg})`);
  list.forEach((x: unknown, i) => {
    if (!(x instanceof Value))
      throw new TypeError(
        `${fn}(${arg}): expected ${arg}[${i}] to be a Value, received ${describe(x)}`,
      );
  });
}

/** Finite numbers: a point or a direction. */
export function checkFiniteNumbers(list: unknown, fn: string, arg: string): readonly number[] {
  if (!Array.isArray(list))
    throw new TypeError(`${fn}(${arg}): expected an array of numbers, received ${describe(list)}`);
  holes(list, `${fn}(${arg})`);
  list.forEach((x: unknown, i) => {
    if (typeof x !== 'number')
      throw new TypeError(
        `${fn}(${arg}): expected ${arg}[${i}] to be a number, received ${describe(x)}`,
      );
    if (!Number.isFinite(x))
      throw new RangeError(`${fn}(${arg}): expected ${arg}[${i}] to be finite, received ${x}`);
  });
  return list as readonly number[];
}

function leavesAt(x: unknown, fn: string, arg: string): Value[] {
  const xs = checkFiniteNumbers(x, fn, arg);
  if (xs.length === 0)
    throw new RangeError(`${fn}(${arg}): expected at least one number, received an empty array`);
  return xs.map((xi) => new Value(xi));
}

function numbersOfLength(v: unknown, n: number, fn: string, arg: string): readonly number[] {
  const vs = checkFiniteNumbers(v, fn, arg);
  if (vs.length !== n)
    throw new RangeError(
      `${fn}(${arg}): expected ${n} numbers, one per element of x, received ${vs.length}`,
    );
  return vs;
}

function callScalar(fn: (x: Value[]) => Value, xs: Value[], name: string): Value {
  const out: unknown = fn(xs);
  if (!(out instanceof Value))
    throw new TypeError(`${name}(fn): expected fn to return a Value, received ${describe(out)}`);
  return out;
}

function callAny(fn: (x: Value[]) => Value | Value[], xs: Value[], name: string): Value[] {
  const out: unknown = fn(xs);
  if (out instanceof Value) return [out];
  if (Array.isArray(out) && out.length > 0 && out.every((o) => o instanceof Value)) return out;
  throw new TypeError(
    `${name}(fn): expected fn to return a Value or a non-empty array of Values, received ${describe(out)}`,
  );
}
