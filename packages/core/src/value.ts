/**
 * `Value`: a scalar node of the graph. It holds its number (`data`), the
 * gradient of the last `backward()` root with respect to it (`grad`), the op
 * that made it and that op's operands. The ops' forward and backward rules
 * live together in ops.ts; this file turns them into methods.
 */
import { runBackward } from './backward.js';
import { describe } from './describe.js';
import { OP_MASK, REQUIRES_GRAD as RG, TRACED } from './flags.js';
import { AnomalyError, anomalyEnabled, gradEnabled } from './grad-mode.js';
import { inputName, isArmed, leafFlags, numberOf, TracedNode, trapped } from './traced.js';
import {
  ABS,
  ACOS,
  ACOSH,
  ADD,
  ASIN,
  ASINH,
  ATAN,
  ATAN2,
  ATANH,
  CEIL,
  CLAMP_MAX,
  CLAMP_MIN,
  COS,
  COSH,
  DIV,
  ELU,
  ERF,
  ERFC,
  EXP,
  EXPM1,
  FLOOR,
  GELU,
  HYPOT,
  LEAKY_RELU,
  LOG,
  LOG10,
  LOG1P,
  LOG2,
  MAX,
  MIN,
  MUL,
  NEG,
  POW,
  RELU,
  ROUND,
  SIGMOID,
  SIGN,
  SILU,
  SIN,
  SINH,
  SOFTPLUS,
  SQRT,
  SQUARE,
  SUB,
  TAN,
  TANH,
  OPS,
  type Op,
} from './ops.js';

/**
 * Options of a leaf made with `new Value(data, options)`.
 *
 * @example
 * const w = new Value(0.5, { label: 'w' });
 * const x = new Value(2, { requiresGrad: false });
 */
export interface ValueOptions {
  /** A name shown by `toDot`, `toGraph` and error messages. */
  label?: string;
  /** Whether `backward()` computes a gradient for this leaf (default true). */
  requiresGrad?: boolean;
}

// Labels are rare and only read for display, so they live beside the nodes
// rather than costing every node a field.
const labels = new WeakMap<Value, string>();

/**
 * A scalar node of the graph: its number (`data`), the op that made it and its
 * operands; `backward()` on a result fills `grad = ∂result/∂node` in every node.
 *
 * @example
 * const a = new Value(2), b = new Value(3);
 * const c = a.mul(b).add(a); c.backward(); // a.grad = 4, b.grad = 2
 */
export class Value {
  /** The node's number. */
  data: number;
  /** ∂root/∂this after `root.backward()`; leaves accumulate it across calls. */
  grad: number;
  /** @internal The op code and flags (flags.ts). */
  _f: number;
  /** @internal First operand; sum's terms; dot's weights, then its bias if any. */
  _a: Value | readonly Value[] | null;
  /** @internal Second operand; dot's inputs (as many as its weights). */
  _b: Value | readonly Value[] | null;

  /**
   * A leaf holding `data`.
   *
   * @example
   * const w = new Value(0.5, { label: 'w' });
   * const x = new Value(2, { requiresGrad: false }); // an input, not tuned
   */
  constructor(data: number, options?: ValueOptions) {
    if (typeof data !== 'number') {
      throw new TypeError(`new Value(data): expected a number, received ${describe(data)}`);
    }
    this.data = data;
    this.grad = 0;
    // RG, with the recording's epoch while compile runs fn (traced.ts).
    this._f = leafFlags;
    this._a = null;
    this._b = null;
    if (options !== undefined) applyOptions(this, options);
  }

  /** The label given at construction or set later, if any. */
  get label(): string | undefined {
    // A compile placeholder's is its input's name (traced.ts).
    return (this._f & TRACED && inputName(this)) || labels.get(this);
  }
  set label(label: string | undefined) {
    if (label === undefined) {
      labels.delete(this);
      return;
    }
    if (typeof label !== 'string') {
      throw new TypeError(`Value.label: expected a string, received ${describe(label)}`);
    }
    labels.set(this, label);
  }

  /** The op that made this node: `''` for a leaf, else `'+'`, `'*'`, `'tanh'`, `'dot'`, … */
  get op(): string {
    return (OPS[this._f & OP_MASK] as Op).name;
  }

  /** The nodes this one was made from, in order (a new array each call). */
  get operands(): Value[] {
    return operandsOf(this);
  }

  /** Whether this node is a leaf (made by the user, not by an op). */
  get isLeaf(): boolean {
    return (this._f & OP_MASK) === 0;
  }

  /** Whether `backward()` computes a gradient for this node. Settable on leaves. */
  get requiresGrad(): boolean {
    return (this._f & RG) !== 0;
  }
  set requiresGrad(requiresGrad: boolean) {
    if (typeof requiresGrad !== 'boolean') {
      throw new TypeError(
        `Value.requiresGrad: expected a boolean, received ${describe(requiresGrad)}`,
      );
    }
    if (!this.isLeaf) {
      throw new Error(
        `Value.requiresGrad: can only be set on a leaf, but this node was made by '${this.op}'; use detach() to cut it from its history`,
      );
    }
    this._f = requiresGrad ? this._f | RG : this._f & ~RG;
  }

  /** this + other */
  add(other: Value | number): Value {
    return binary(ADD, this, asOperand(other, 'add', 'other'));
  }
  /** this − other */
  sub(other: Value | number): Value {
    return binary(SUB, this, asOperand(other, 'sub', 'other'));
  }
  /** this · other */
  mul(other: Value | number): Value {
    return binary(MUL, this, asOperand(other, 'mul', 'other'));
  }
  /** this / other */
  div(other: Value | number): Value {
    return binary(DIV, this, asOperand(other, 'div', 'other'));
  }
  /** this ** exponent; a finite number or a `Value` (see ops.ts for ∂/∂exponent where this ≤ 0) */
  pow(exponent: Value | number): Value {
    return binary(POW, this, asExponent(exponent, 'pow'));
  }
  /** max(this, other) */
  max(other: Value | number): Value {
    return binary(MAX, this, asOperand(other, 'max', 'other'));
  }
  /** min(this, other) */
  min(other: Value | number): Value {
    return binary(MIN, this, asOperand(other, 'min', 'other'));
  }
  /** −this */
  neg(): Value {
    return unary(NEG, this);
  }
  /** this² */
  square(): Value {
    return unary(SQUARE, this);
  }
  /** e^this */
  exp(): Value {
    return unary(EXP, this);
  }
  /** ln this */
  log(): Value {
    return unary(LOG, this);
  }
  /** √this */
  sqrt(): Value {
    return unary(SQRT, this);
  }
  /** tanh this */
  tanh(): Value {
    return unary(TANH, this);
  }
  /** max(this, 0) */
  relu(): Value {
    return unary(RELU, this);
  }
  /** |this| */
  abs(): Value {
    return unary(ABS, this);
  }
  /** 1/(1 + e^−this), stable for large |this| */
  sigmoid(): Value {
    return unary(SIGMOID, this);
  }
  /** ln(1 + e^this), stable for large |this| */
  softplus(): Value {
    return unary(SOFTPLUS, this);
  }

  /** sin this */
  sin(): Value {
    return unary(SIN, this);
  }
  /** cos this */
  cos(): Value {
    return unary(COS, this);
  }
  /** tan this */
  tan(): Value {
    return unary(TAN, this);
  }
  /** asin this; the derivative is +∞ at ±1 */
  asin(): Value {
    return unary(ASIN, this);
  }
  /** acos this; the derivative is −∞ at ±1 */
  acos(): Value {
    return unary(ACOS, this);
  }
  /** atan this */
  atan(): Value {
    return unary(ATAN, this);
  }
  /** sinh this */
  sinh(): Value {
    return unary(SINH, this);
  }
  /** cosh this */
  cosh(): Value {
    return unary(COSH, this);
  }
  /** asinh this */
  asinh(): Value {
    return unary(ASINH, this);
  }
  /** acosh this */
  acosh(): Value {
    return unary(ACOSH, this);
  }
  /** atanh this */
  atanh(): Value {
    return unary(ATANH, this);
  }
  /** ln(1 + this), precise for small this */
  log1p(): Value {
    return unary(LOG1P, this);
  }
  /** e^this − 1, precise for small this */
  expm1(): Value {
    return unary(EXPM1, this);
  }
  /** log₂ this */
  log2(): Value {
    return unary(LOG2, this);
  }
  /** log₁₀ this */
  log10(): Value {
    return unary(LOG10, this);
  }
  /** The error function erf(this) */
  erf(): Value {
    return unary(ERF, this);
  }
  /** 1 − erf(this), precise where erf rounds to ±1 */
  erfc(): Value {
    return unary(ERFC, this);
  }
  /** this·Φ(this), the exact (erf) GELU */
  gelu(): Value {
    return unary(GELU, this);
  }
  /** this·σ(this) (SiLU, swish) */
  silu(): Value {
    return unary(SILU, this);
  }
  /** −1, 0 or 1 (sign(0) = 0); derivative 0 */
  sign(): Value {
    return unary(SIGN, this);
  }
  /** ⌊this⌋; derivative 0 */
  floor(): Value {
    return unary(FLOOR, this);
  }
  /** ⌈this⌉; derivative 0 */
  ceil(): Value {
    return unary(CEIL, this);
  }
  /** this rounded to the nearest integer, ties to even (not `Math.round`); derivative 0 */
  round(): Value {
    return unary(ROUND, this);
  }
  /** this for this > 0, else slope·this; the left slope at 0 */
  leakyRelu(slope = 0.01): Value {
    return binary(LEAKY_RELU, this, finiteParameter(slope, 'leakyRelu', 'slope'));
  }
  /** this for this > 0, else α(e^this − 1); the left slope at 0 */
  elu(alpha = 1): Value {
    return binary(ELU, this, finiteParameter(alpha, 'elu', 'alpha'));
  }
  /**
   * min(max(this, min), max), as PyTorch's clamp: the gradient passes where
   * min ≤ this ≤ max, bounds included. Two nodes (clampMin, then clampMax).
   */
  clamp(min: number, max: number): Value {
    return clampValue(this, min, max, 'clamp');
  }
  /** atan2(this, x): the angle of the point (x, this), this being y, as torch.atan2(input, other) */
  atan2(x: Value | number): Value {
    return binary(ATAN2, this, asOperand(x, 'atan2', 'x'));
  }
  /** √(this² + other²) without overflow or underflow */
  hypot(other: Value | number): Value {
    return binary(HYPOT, this, asOperand(other, 'hypot', 'other'));
  }

  /**
   * Fills `grad` of every node this one was computed from with ∂this/∂node.
   * Leaves accumulate (add) into `grad` until zeroed; interior nodes' `grad`
   * is recomputed from zero on every call. Iterative: any depth works.
   *
   * @example
   * const y = x.mul(x); y.backward();
   * x.grad; // 2·x.data
   */
  backward(): void {
    // Inside a recording, only a graph of parameters alone may go backward.
    if (this._f & TRACED && isArmed()) throw trapped(this, 'called backward() on');
    runBackward(this);
  }

  /** Sets `grad` to 0. */
  zeroGrad(): void {
    this.grad = 0;
  }

  /** A new leaf with the same data that needs no gradient: the history is cut. */
  detach(): Value {
    return constant(this.data);
  }

  /** `Value(data=…, grad=…)`, as micrograd prints it. */
  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }

  /** What `console.log` shows in Node: the same as `toString()`, not the internal fields. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * A leaf holding `data`; the same as `new Value(data, options)`.
 *
 * @example
 * const m = value(0, { label: 'm' });
 */
export function value(data: number, options?: ValueOptions): Value {
  return new Value(data, options);
}

function applyOptions(leaf: Value, options: ValueOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `new Value(data, options): expected options to be an object, received ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (key !== 'label' && key !== 'requiresGrad') {
      throw new TypeError(
        `new Value(data, options): unknown option '${key}' (expected 'label' or 'requiresGrad')`,
      );
    }
  }
  const { label, requiresGrad } = options;
  if (requiresGrad !== undefined && typeof requiresGrad !== 'boolean') {
    throw new TypeError(
      `new Value(data, options): expected options.requiresGrad to be a boolean, received ${describe(requiresGrad)}`,
    );
  }
  if (label !== undefined && typeof label !== 'string') {
    throw new TypeError(
      `new Value(data, options): expected options.label to be a string, received ${describe(label)}`,
    );
  }
  // The epoch bits stay (traced.ts): requiresGrad may be set true later.
  if (requiresGrad === false) leaf._f &= ~RG;
  if (label !== undefined) labels.set(leaf, label);
}

/** A `Value` as it is, or a plain number as a constant leaf (no gradient). */
export function asOperand(x: unknown, fn: string, arg: string): Value {
  if (x instanceof Value) return x;
  if (typeof x !== 'number') {
    throw new TypeError(`${fn}(${arg}): expected a Value or a number, received ${describe(x)}`);
  }
  return constant(x);
}

/**
 * A plain-number exponent must be finite. A `Value` exponent is not checked:
 * its data changes as it trains, and a compiled graph could not check it the
 * same way; anomaly mode catches a NaN it produces.
 */
export function asExponent(x: unknown, fn: string): Value {
  if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new RangeError(`${fn}(exponent): expected a finite exponent, received ${x}`);
  }
  return asOperand(x, fn, 'exponent');
}

/** A leaf that needs no gradient. */
export function constant(data: number): Value {
  const c = new Value(data);
  c._f = 0;
  return c;
}

export function binary(op: Op, a: Value, b: Value): Value {
  const f = a._f | b._f;
  if (f & TRACED) return tracedNode(op, a, b, f);
  const data = op.forward(a.data, b.data);
  // A string assigned to an operand's data makes + concatenate: caught here, at its first op.
  if (typeof data !== 'number') throw notANumber(op, [a, b]);
  if (anomalyEnabled && !Number.isFinite(data)) throw forwardAnomaly(op, [a, b], data);
  const out = new Value(data);
  if (gradEnabled) {
    out._f = op.code | (f & RG);
    out._a = a;
    out._b = b;
  } else {
    out._f = 0;
  }
  return out;
}

export function unary(op: Op, a: Value): Value {
  const f = a._f;
  if (f & TRACED) return tracedNode(op, a, null, f);
  const data = op.forward(a.data, 0);
  if (typeof data !== 'number') throw notANumber(op, [a]);
  if (anomalyEnabled && !Number.isFinite(data)) throw forwardAnomaly(op, [a], data);
  const out = new Value(data);
  if (gradEnabled) {
    out._f = op.code | (f & RG);
    out._a = a;
  } else {
    out._f = 0;
  }
  return out;
}

/**
 * binary and unary where an operand depends on a compile input: the number
 * from the operands' hidden numbers, the node a TracedNode that carries
 * TRACED on (a leaf that still does under noGrad()).
 */
function tracedNode(op: Op, a: Value, b: Value | null, f: number): Value {
  const data = op.forward(numberOf(a), b === null ? 0 : numberOf(b));
  if (typeof data !== 'number') throw notANumber(op, b === null ? [a] : [a, b]);
  if (anomalyEnabled && !Number.isFinite(data))
    throw forwardAnomaly(op, b === null ? [a] : [a, b], data);
  const out = gradEnabled
    ? new TracedNode(data, op.code | (f & (RG | TRACED)), a, b)
    : new TracedNode(data, TRACED, null, null);
  return out as unknown as Value;
}

/**
 * A placeholder input of a recording: a leaf that needs no gradient, labelled
 * with the input's name (and index `j` in a vector input, −1 for a scalar
 * input), whose number is hidden while the recording runs.
 */
export function placeholder(data: number, input: string, j: number): Value {
  const v = new TracedNode(data, TRACED, null, null);
  v._p = input;
  v._j = j;
  return v as unknown as Value;
}

/**
 * `data` is a plain field (an accessor that checked every write would slow
 * every read on the hot path), so a non-number written to it is found where it
 * is first used.
 */
export function notANumber(op: Op, operands: readonly Value[]): TypeError {
  const bad = operands.find((v) => typeof numberOf(v) !== 'number') ?? operands[0];
  const label = bad?.label === undefined ? '' : ` ('${bad.label}')`;
  return new TypeError(
    `${op.name}: an operand's data is not a number: ${describe(bad === undefined ? undefined : numberOf(bad))}${label}; data and grad must be numbers`,
  );
}

export function forwardAnomaly(op: Op, operands: readonly Value[], data: number): AnomalyError {
  return new AnomalyError(op.name, 'forward', operands.map(numberOf), String(data));
}

/** The operands of a node, in the order its op takes them: dot's as w₀, x₀, w₁, x₁, …, bias. */
export function operandsOf(node: Value): Value[] {
  const list: Value[] = [];
  forEachOperand(node, (operand) => list.push(operand));
  return list;
}

/** A finite number parameter of an op (a slope, α), as a constant operand. */
export function finiteParameter(x: unknown, fn: string, arg: string): Value {
  if (typeof x !== 'number')
    throw new TypeError(`${fn}(${arg}): expected a finite number, received ${describe(x)}`);
  if (!Number.isFinite(x))
    throw new RangeError(`${fn}(${arg}): expected a finite number, received ${x}`);
  return constant(x);
}

/** clamp's checks and its two nodes. */
export function clampValue(x: Value, min: unknown, max: unknown, fn: string): Value {
  if (typeof min !== 'number' || Number.isNaN(min))
    throw new TypeError(`${fn}(min): expected a number (not NaN), received ${describe(min)}`);
  if (typeof max !== 'number' || Number.isNaN(max))
    throw new TypeError(`${fn}(max): expected a number (not NaN), received ${describe(max)}`);
  if (min > max)
    throw new RangeError(`${fn}(min, max): expected min ≤ max, received ${min} > ${max}`);
  return binary(CLAMP_MAX, binary(CLAMP_MIN, x, constant(min)), constant(max));
}

/**
 * Visits a node's operands with what its op's rule (rule-ir.ts) needs: the
 * operand, the index of its partial in the rule, and the numbers or Values in
 * the roles a and b. The one reading of every layout: unary (a), binary (a, b),
 * sum (each term is a), dot (each pair w, x is a, b; the bias is partial 2).
 * (The backward sort and the graph walk read `_a`/`_b` inline, for speed, in
 * the same order.)
 */
export function forEachOperand(
  node: Value,
  visit: (operand: Value, partial: number, a: Value, b: Value | null) => void,
): void {
  const a = node._a;
  const b = node._b;
  if (a === null) return;
  if (Array.isArray(b)) {
    const ws = a as readonly Value[];
    const xs = b as readonly Value[];
    for (let i = 0; i < xs.length; i++) {
      const w = ws[i] as Value;
      const x = xs[i] as Value;
      visit(w, 0, w, x);
      visit(x, 1, w, x);
    }
    if (ws.length > xs.length) visit(ws[xs.length] as Value, 2, ws[xs.length] as Value, null);
    return;
  }
  if (Array.isArray(a)) {
    for (const t of a as readonly Value[]) visit(t, 0, t, null);
    return;
  }
  visit(a as Value, 0, a as Value, b as Value | null);
  if (b !== null) visit(b as Value, 1, a as Value, b as Value);
}

// A TracedNode is a Value to every method and to instanceof (traced.ts).
Object.setPrototypeOf(TracedNode.prototype, Value.prototype);
