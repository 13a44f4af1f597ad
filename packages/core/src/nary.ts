/**
 * n-ary nodes: a sum or a dot product of n terms is one node with n operands,
 * not a chain of n binary nodes, so a neuron costs one node.
 */
import { describe } from './describe.js';
import { KEPT_ROW, REQUIRES_GRAD as RG, TRACED } from './flags.js';
import { anomalyEnabled, gradEnabled } from './grad-mode.js';
import { DOT, SUM, type Op } from './ops.js';
import { numberOf, TracedNode } from './traced.js';
import { constant, forwardAnomaly, operandsOf, Value } from './value.js';

/** An operand of `sum`, `dot` and `affine`: a `Value`, or a plain number (a constant). */
export type Operand = Value | number;

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
    const f = t._f;
    flags |= f;
    // A term that depends on a compile input hides its number (traced.ts).
    const x = f & TRACED ? numberOf(t) : t.data;
    s = i === 0 ? x : s + x;
  }
  return finish(SUM, s, terms, null, flags & (RG | TRACED));
}

/**
 * Σ wᵢ·xᵢ + bias, one node; accumulated left to right with the bias added
 * last: ((w₀·x₀ + w₁·x₁) + …) + bias. The node keeps copies of the arrays, so
 * changing them later does not change the graph (see {@link affine} for a
 * node that keeps the arrays themselves).
 *
 * @example
 * const neuron = dot(weights, inputs, bias).tanh();
 */
export function dot(
  weights: readonly Operand[],
  inputs: readonly Operand[],
  bias?: Operand,
): Value {
  if (!Array.isArray(weights)) throw notAnArray(weights, 'dot', 'weights');
  if (!Array.isArray(inputs)) throw notAnArray(inputs, 'dot', 'inputs');
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
  return dotNode('dot', weights, b === null ? n : n + 1, b, inputs, false);
}

/**
 * Σ wᵢ·xᵢ + b with a neuron's weights and bias in one array, as `parameters()`
 * lists them: `weightsAndBias` holds n weights and then the bias, `inputs` n
 * inputs. The same node, with the same numbers, as
 * `dot(weightsAndBias.slice(0, n), inputs, weightsAndBias[n])`.
 *
 * Unlike `dot`, the node keeps the arrays themselves, not copies (an array
 * holding plain numbers is still copied, with the numbers made constants).
 * Build them once and never change them: a neuron's parameter list then serves
 * every sample, and one array of a layer's inputs all its neurons, instead of
 * two arrays per node. `@ag/nn`'s layers work this way. A change to a kept
 * array changes the graph: `backward()` would then use the new elements.
 *
 * @example
 * const params = [w0, w1, b]; // never changed afterwards
 * const pre = affine(params, [x0, x1]); // w0·x0 + w1·x1 + b
 */
export function affine(weightsAndBias: readonly Operand[], inputs: readonly Operand[]): Value {
  if (!Array.isArray(weightsAndBias)) throw notAnArray(weightsAndBias, 'affine', 'weightsAndBias');
  if (!Array.isArray(inputs)) throw notAnArray(inputs, 'affine', 'inputs');
  const n = inputs.length;
  if (n === 0)
    throw new RangeError(
      'affine(weightsAndBias, inputs): expected at least one input, received an empty array',
    );
  if (weightsAndBias.length !== n + 1) {
    throw new RangeError(
      `affine(weightsAndBias, inputs): expected ${n + 1} numbers or Values (${n} ${n === 1 ? 'weight' : 'weights'} and the bias) for ${n} ${n === 1 ? 'input' : 'inputs'}, received ${weightsAndBias.length}`,
    );
  }
  return dotNode('affine', weightsAndBias, n + 1, null, inputs, true);
}

/**
 * A dot node over n = inputs.length pairs. `_a` holds the weights and, at
 * index n, the bias if any; `_b` the inputs. `width` is n, or n + 1 with a
 * bias: `weights[n]` (affine) or `bias` given apart (dot). With `keep`, an
 * array of Values is kept as it is; otherwise, or where a plain number must
 * become a constant, the node gets a copy.
 */
function dotNode(
  fn: 'dot' | 'affine',
  weights: readonly Operand[],
  width: number,
  bias: Value | null,
  inputs: readonly Operand[],
  keep: boolean,
): Value {
  const n = inputs.length;
  if (keep) {
    const out = keptValues(weights, inputs);
    if (out !== null) return out;
  }
  const wArg = fn === 'dot' ? 'weights' : 'weightsAndBias';
  // Checked (and converted, if need be) in one pass; a throw midway leaves only
  // unreachable constants behind, never a node in anyone's graph.
  let ws: Value[] | null = keep ? null : new Array<Value>(width);
  let xs: Value[] | null = keep ? null : new Array<Value>(n);
  let flags = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const wi: unknown = weights[i];
    const xi: unknown = inputs[i];
    const w =
      wi instanceof Value ? wi : typeof wi === 'number' ? constant(wi) : badItem(fn, wi, wArg, i);
    const x =
      xi instanceof Value
        ? xi
        : typeof xi === 'number'
          ? constant(xi)
          : badItem(fn, xi, 'inputs', i);
    if (ws !== null) ws[i] = w;
    else if (w !== wi) ws = copied(weights, width, i, w);
    if (xs !== null) xs[i] = x;
    else if (x !== xi) xs = copied(inputs, n, i, x);
    const fw = w._f;
    const fx = x._f;
    flags |= fw | fx;
    // An operand that depends on a compile input hides its number (traced.ts).
    const p = (fw | fx) & TRACED ? numberOf(w) * numberOf(x) : w.data * x.data;
    s = i === 0 ? p : s + p;
  }
  let b = bias;
  if (b === null && width > n) {
    const bi: unknown = weights[n];
    b = bi instanceof Value ? bi : typeof bi === 'number' ? constant(bi) : badItem(fn, bi, wArg, n);
    if (ws !== null) ws[n] = b;
    else if (b !== bi) ws = copied(weights, width, n, b);
  } else if (b !== null) {
    (ws as Value[])[n] = b;
  }
  if (b !== null) {
    flags |= b._f;
    s += b._f & TRACED ? numberOf(b) : b.data;
  }
  return finish(
    DOT,
    s,
    ws ?? (weights as readonly Value[]),
    xs ?? (inputs as readonly Value[]),
    (flags & (RG | TRACED)) | (ws === null && width >= KEPT_ROW_MIN ? KEPT_ROW : 0),
  );
}

/**
 * The fewest weights (bias included) for which a dot node over a kept array
 * is flagged KEPT_ROW: below it, meeting the elements again costs less than
 * looking the array up (backward.ts).
 */
const KEPT_ROW_MIN = 8;

/**
 * `affine`'s node where every weight, input and the bias is a Value that
 * depends on no compile input, as in `@ag/nn`'s layers: the same node and sum
 * as dotNode's loop gives them, in a loop of its own with nothing else in it
 * (measured: an MLP 2-16-16-1 over W1's 100 samples, 268 → 230 µs a forward
 * pass). Null at the first element that is anything else (a number, a bad
 * item, a compile input): dotNode's general loop then converts, checks and
 * names it, from the start.
 */
function keptValues(weightsAndBias: readonly Operand[], inputs: readonly Operand[]): Value | null {
  const n = inputs.length;
  let flags = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const w: unknown = weightsAndBias[i];
    const x: unknown = inputs[i];
    if (!(w instanceof Value) || !(x instanceof Value)) return null;
    const f = w._f | x._f;
    if (f & TRACED) return null;
    flags |= f;
    const p = w.data * x.data;
    s = i === 0 ? p : s + p;
  }
  const b: unknown = weightsAndBias[n];
  if (!(b instanceof Value) || b._f & TRACED) return null;
  flags |= b._f;
  s += b.data;
  return finish(
    DOT,
    s,
    weightsAndBias as readonly Value[],
    inputs as readonly Value[],
    (flags & RG) | (n + 1 >= KEPT_ROW_MIN ? KEPT_ROW : 0),
  );
}

/** A kept array met a plain number at i: a copy with its Values so far, then `item`. */
function copied(list: readonly Operand[], width: number, i: number, item: Value): Value[] {
  const out = new Array<Value>(width);
  for (let j = 0; j < i; j++) out[j] = list[j] as Value;
  out[i] = item;
  return out;
}

function notAnArray(list: unknown, fn: string, arg: string): TypeError {
  return new TypeError(
    `${fn}(${arg}): expected an array of Values or numbers, received ${describe(list)}`,
  );
}

function badItem(fn: string, item: unknown, arg: string, i: number): never {
  throw new TypeError(
    `${fn}(${arg}): expected ${arg}[${i}] to be a Value or a number, received ${describe(item)}`,
  );
}

/**
 * `flags`: REQUIRES_GRAD and TRACED. `a`: sum's terms,
 * or dot's weights (and bias); `b`: dot's inputs.
 */
function finish(
  op: Op,
  data: number,
  a: readonly Value[],
  b: readonly Value[] | null,
  flags: number,
): Value {
  if (flags & TRACED) return finishTraced(op, data, a, b, flags);
  const out = new Value(data);
  out._f = op.code | flags;
  out._a = a;
  out._b = b;
  // The node is not handed out yet: after a throw nothing refers to it.
  if (anomalyEnabled && !Number.isFinite(data)) throw forwardAnomaly(op, operandsOf(out), data);
  if (!gradEnabled) {
    // noGrad(): a leaf, the operands are not kept
    out._f = 0;
    out._a = null;
    out._b = null;
  }
  return out;
}

/**
 * finish for a node with an operand that depends on a compile input: a
 * TracedNode (traced.ts), which stays one under noGrad(). A function of its
 * own, so that finish only ever makes and writes Values (one hidden class).
 */
function finishTraced(
  op: Op,
  data: number,
  a: readonly Value[],
  b: readonly Value[] | null,
  flags: number,
): Value {
  const out = new TracedNode(data, op.code | flags, a, b) as unknown as Value;
  if (anomalyEnabled && !Number.isFinite(data)) throw forwardAnomaly(op, operandsOf(out), data);
  if (!gradEnabled) {
    out._f = TRACED;
    out._a = null;
    out._b = null;
  }
  return out;
}
