/**
 * n-ary nodes: a sum or a dot product of n terms is one node with n operands,
 * not a chain of n binary nodes, so a neuron costs one node.
 */
import { describe } from './describe.js';
import { INTERIOR_FIRST, INTERIOR_SECOND, OP_MASK, REQUIRES_GRAD as RG } from './flags.js';
import { anomalyEnabled, gradEnabled } from './grad-mode.js';
import { DOT, SUM, type Op } from './ops.js';
import { constant, forwardAnomaly, Value } from './value.js';

type Operand = Value | number;

function checkList(list: unknown, fn: string, arg: string): asserts list is readonly Operand[] {
  if (!Array.isArray(list)) {
    throw new TypeError(
      `${fn}(${arg}): expected an array of Values or numbers, received ${describe(list)}`,
    );
  }
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (!(item instanceof Value) && typeof item !== 'number') {
      throw new TypeError(
        `${fn}(${arg}): expected ${arg}[${i}] to be a Value or a number, received ${describe(item)}`,
      );
    }
  }
}

const toValue = (x: Operand): Value => (x instanceof Value ? x : constant(x));

/**
 * Σ values, one node; added left to right: ((v₀ + v₁) + v₂) + …
 *
 * @example
 * const total = sum([a, b, 3]);
 * total.backward(); // a.grad === 1, b.grad === 1
 */
export function sum(values: readonly Operand[]): Value {
  checkList(values, 'sum', 'values');
  const n = values.length;
  if (n === 0)
    throw new RangeError('sum(values): expected at least one value, received an empty array');
  const terms: Value[] = [];
  let flags = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = toValue(values[i] as Operand);
    terms.push(t);
    flags |= t._f;
    s = i === 0 ? t.data : s + t.data;
  }
  return finish(SUM, s, terms, null, (flags & RG) | (flags & OP_MASK ? INTERIOR_FIRST : 0));
}

/**
 * Σ wᵢ·xᵢ + bias, one node; accumulated left to right with the bias added
 * last: ((w₀·x₀ + w₁·x₁) + …) + bias.
 *
 * @example
 * const neuron = dot(weights, inputs, bias).tanh();
 */
export function dot(
  weights: readonly Operand[],
  inputs: readonly Operand[],
  bias?: Operand,
): Value {
  if (!Array.isArray(weights)) throw notAnArray(weights, 'weights');
  if (!Array.isArray(inputs)) throw notAnArray(inputs, 'inputs');
  const n = weights.length;
  if (n !== inputs.length) {
    throw new RangeError(
      `dot(weights, inputs): expected arrays of the same length, received ${n} weights and ${inputs.length} inputs`,
    );
  }
  if (n === 0)
    throw new RangeError(
      'dot(weights, inputs): expected at least one weight, received empty arrays',
    );
  let b: Value | null = null;
  if (bias instanceof Value) b = bias;
  else if (typeof bias === 'number') b = constant(bias);
  else if (bias !== undefined) {
    throw new TypeError(
      `dot(bias): expected a Value, a number or undefined, received ${describe(bias)}`,
    );
  }
  // Checked and converted in one pass; a throw midway leaves only unreachable
  // constants behind, never a node in anyone's graph.
  const pairs = new Array<Value>(2 * n);
  let flags = b === null ? 0 : b._f;
  let wOps = 0;
  let xOps = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const wi: unknown = weights[i];
    const xi: unknown = inputs[i];
    const w =
      wi instanceof Value ? wi : typeof wi === 'number' ? constant(wi) : badItem(wi, 'weights', i);
    const x =
      xi instanceof Value ? xi : typeof xi === 'number' ? constant(xi) : badItem(xi, 'inputs', i);
    pairs[2 * i] = w;
    pairs[2 * i + 1] = x;
    flags |= w._f | x._f;
    wOps |= w._f & OP_MASK;
    xOps |= x._f & OP_MASK;
    s = i === 0 ? w.data * x.data : s + w.data * x.data;
  }
  if (b !== null) s += b.data;
  return finish(
    DOT,
    s,
    pairs,
    b,
    (flags & RG) | (wOps ? INTERIOR_FIRST : 0) | (xOps ? INTERIOR_SECOND : 0),
  );
}

function notAnArray(list: unknown, arg: string): TypeError {
  return new TypeError(
    `dot(${arg}): expected an array of Values or numbers, received ${describe(list)}`,
  );
}

function badItem(item: unknown, arg: string, i: number): never {
  throw new TypeError(
    `dot(${arg}): expected ${arg}[${i}] to be a Value or a number, received ${describe(item)}`,
  );
}

/** `flags`: REQUIRES_GRAD and the INTERIOR_* hints. */
function finish(op: Op, data: number, operands: Value[], b: Value | null, flags: number): Value {
  if (anomalyEnabled && !Number.isFinite(data))
    throw forwardAnomaly(op, b === null ? operands : [...operands, b], data);
  const out = new Value(data);
  if (gradEnabled) {
    out._f = op.code | flags;
    out._a = operands;
    out._b = b;
  } else {
    out._f = 0; // noGrad(): a leaf, the operands are not kept
  }
  return out;
}
