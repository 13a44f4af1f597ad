/**
 * n-ary nodes: a sum or a dot product of n terms is one node with n operands,
 * not a chain of n binary nodes, so a neuron costs one node.
 */
import { describe } from './describe.js';
import { REQUIRES_GRAD as RG } from './flags.js';
import { AnomalyError, anomalyEnabled, gradEnabled } from './grad-mode.js';
import { DOT, SUM, type Op } from './ops.js';
import { constant, Value } from './value.js';

type Operand = Value | number;

function checkList(list: unknown, fn: string, arg: string): asserts list is readonly Operand[] {
  if (!Array.isArray(list)) {
    throw new TypeError(`${fn}(${arg}): expected an array of Values or numbers, received ${describe(list)}`);
  }
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (!(item instanceof Value) && typeof item !== 'number') {
      throw new TypeError(`${fn}(${arg}): expected ${arg}[${i}] to be a Value or a number, received ${describe(item)}`);
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
  if (n === 0) throw new RangeError('sum(values): expected at least one value, received an empty array');
  const terms: Value[] = [];
  let flags = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = toValue(values[i] as Operand);
    terms.push(t);
    flags |= t._f;
    s = i === 0 ? t.data : s + t.data;
  }
  return finish(SUM, s, terms, null, flags);
}

/**
 * Σ wᵢ·xᵢ + bias, one node; accumulated left to right with the bias added
 * last: ((w₀·x₀ + w₁·x₁) + …) + bias.
 *
 * @example
 * const neuron = dot(weights, inputs, bias).tanh();
 */
export function dot(weights: readonly Operand[], inputs: readonly Operand[], bias?: Operand): Value {
  checkList(weights, 'dot', 'weights');
  checkList(inputs, 'dot', 'inputs');
  const n = weights.length;
  if (n !== inputs.length) {
    throw new RangeError(
      `dot(weights, inputs): expected arrays of the same length, received ${n} weights and ${inputs.length} inputs`,
    );
  }
  if (n === 0) throw new RangeError('dot(weights, inputs): expected at least one weight, received empty arrays');
  if (bias !== undefined && !(bias instanceof Value) && typeof bias !== 'number') {
    throw new TypeError(`dot(bias): expected a Value, a number or undefined, received ${describe(bias)}`);
  }
  const b = bias === undefined ? null : toValue(bias);
  const pairs: Value[] = [];
  let flags = b === null ? 0 : b._f;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const w = toValue(weights[i] as Operand);
    const x = toValue(inputs[i] as Operand);
    pairs.push(w, x);
    flags |= w._f | x._f;
    s = i === 0 ? w.data * x.data : s + w.data * x.data;
  }
  if (b !== null) s += b.data;
  return finish(DOT, s, pairs, b, flags);
}

function finish(op: Op, data: number, operands: Value[], b: Value | null, flags: number): Value {
  if (anomalyEnabled && !Number.isFinite(data)) {
    const all = b === null ? operands : [...operands, b];
    throw new AnomalyError(op.name, 'forward', all.map((v) => v.data), String(data));
  }
  const out = new Value(data);
  if (gradEnabled) {
    out._f = op.code | (flags & RG);
    out._a = operands;
    out._b = b;
  } else {
    out._f = 0; // noGrad(): a leaf, the operands are not kept
  }
  return out;
}
