/**
 * The op table: the one place where each op's calculus is written. An entry
 * states the forward rule on numbers and the local partial derivatives
 * ∂out/∂operand, once, as a function of an algebra `A` (algebra.ts):
 *
 *     mul: forward a·b;  partials (A, a, b) => [b, a]   // ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
 *
 * Nothing else in the engine knows an op's derivative. The eager backward
 * pass, the compiled code and the interpreter are derived from these partials
 * (rule-ir.ts turns them into an expression tree, printed or evaluated); the
 * differentiable backward pass (`gradients` with `createGraph`) evaluates the
 * same tree over `Value`s, so derivatives of any order come for free; forward
 * mode (`jvp`) evaluates it over numbers. Adding an op is one entry here.
 *
 * The chain rule multiplies each partial by the gradient of the result. A
 * partial that is the constant 0 (in any branch of a `select`) adds nothing,
 * not 0·g: an infinite g upstream stays out of operands it does not reach.
 *
 * A node stores only the index of its op (see flags.ts), never a closure, so
 * building a node allocates the node and nothing else.
 */
import type { Algebra } from './algebra.js';
import {
  clampMax,
  clampMin,
  elu,
  erf,
  erfc,
  gelu,
  ieeePow,
  leakyRelu,
  relu,
  roundHalfEven,
  sign,
  silu,
  softplus,
  stableSigmoid,
} from './special-functions.js';

/**
 * The partial derivatives of an op at its operands a, b (b unused by unary ops)
 * and result `out`, one per operand. n-ary ops: sum gives its terms' partial,
 * dot the partials of one pair (w, x) and then the bias's.
 */
export type Partials = <T, B>(A: Algebra<T, B>, a: T, b: T, out: T) => readonly (T | number)[];

/** How generated JavaScript writes an op's forward rule. */
export type JsForm =
  | { readonly kind: 'infix'; readonly symbol: '+' | '-' | '*' | '/' }
  | { readonly kind: 'negate' }
  | { readonly kind: 'square' }
  /** A global function, e.g. `Math.sin`. */
  | { readonly kind: 'call'; readonly name: string }
  /** The op's own `forward`, handed to the generated code as `h_‹name›`. */
  | { readonly kind: 'helper' };

export interface Op {
  /** Index in {@link OPS}; stored in the low bits of a node's `_f`. */
  readonly code: number;
  /** What `Value.op` shows: a symbol for arithmetic, a name for functions. */
  readonly name: string;
  /** Operands: 0 for a leaf, 1, 2, or 'n' for sum and dot (nary.ts). */
  readonly arity: 0 | 1 | 2 | 'n';
  /** The result from the operands' numbers (b is unused by unary ops). */
  readonly forward: (a: number, b: number) => number;
  readonly js: JsForm;
  readonly partials: Partials;
}
/** Kept for readers of the old names: every op is an {@link Op}. */
export type UnaryOp = Op;
export type BinaryOp = Op;

/** Every op, indexed by its code. */
export const OPS: Op[] = [];

const HELPER: JsForm = { kind: 'helper' };
const call = (name: string): JsForm => ({ kind: 'call', name });

function define(op: Omit<Op, 'code'>): Op {
  const registered: Op = { ...op, code: OPS.length };
  OPS.push(registered);
  return registered;
}

/** A unary op: `d` is ∂out/∂a. */
function unaryOp(
  name: string,
  forward: (a: number) => number,
  js: JsForm,
  d: <T, B>(A: Algebra<T, B>, a: T, out: T) => T | number,
): Op {
  return define({ name, arity: 1, forward, js, partials: (A, a, _b, out) => [d(A, a, out)] });
}

/** A binary op: `d` gives [∂out/∂a, ∂out/∂b]. */
function binaryOp(
  name: string,
  forward: (a: number, b: number) => number,
  js: JsForm,
  d: Partials,
): Op {
  return define({ name, arity: 2, forward, js, partials: d });
}

const none = (): number => Number.NaN;

// Code 0: a leaf, which has nothing to pass its gradient to.
export const LEAF = define({ name: '', arity: 0, forward: none, js: HELPER, partials: () => [] });

// ---- binary ----------------------------------------------------------------

/** a + b;  ∂/∂a = 1, ∂/∂b = 1 */
export const ADD = binaryOp(
  '+',
  (a, b) => a + b,
  { kind: 'infix', symbol: '+' },
  () => [1, 1],
);

/** a − b;  ∂/∂a = 1, ∂/∂b = −1 */
export const SUB = binaryOp(
  '-',
  (a, b) => a - b,
  { kind: 'infix', symbol: '-' },
  () => [1, -1],
);

/** a · b;  ∂/∂a = b, ∂/∂b = a */
export const MUL = binaryOp(
  '*',
  (a, b) => a * b,
  { kind: 'infix', symbol: '*' },
  (_A, a, b) => [b, a],
);

/** a / b;  ∂/∂a = 1/b, ∂/∂b = −a/b² = −(a/b)/b, the last form never squares b */
export const DIV = binaryOp(
  '/',
  (a, b) => a / b,
  { kind: 'infix', symbol: '/' },
  (A, _a, b, out) => [A.div(1, b), A.neg(A.div(out, b))],
);

/**
 * aᵇ (IEEE 754's pow: 1ᵇ = 1 even for b NaN);  ∂/∂a = b·aᵇ⁻¹ (0 where b = 0,
 * also at 0⁰);  ∂/∂b = aᵇ·ln a, taken as 0 where a = ±0 and b ≥ 0 (the limit),
 * so −∞ where a = 0 and b < 0 (+∞·ln 0), and NaN where a < 0: PyTorch's rules.
 */
export const POW = binaryOp('**', ieeePow, HELPER, (A, a, b, out) => [
  A.select(A.eq(b, 0), 0, A.mul(b, A.pow(a, A.sub(b, 1)))),
  A.select(A.and(A.eq(a, 0), A.ge(b, 0)), 0, A.mul(out, A.log(a))),
]);

/**
 * max(a, b);  the gradient goes to the larger operand, half to each on a tie.
 * With a NaN operand the result is NaN and both get the whole gradient
 * (PyTorch's `maximum`: neither a < b nor a > b holds).
 */
export const MAX = binaryOp('max', Math.max, call('Math.max'), (A, a, b) => [
  A.select(A.eq(a, b), 0.5, A.select(A.lt(a, b), 0, 1)),
  A.select(A.eq(a, b), 0.5, A.select(A.gt(a, b), 0, 1)),
]);

/** min(a, b);  as max, with the smaller operand. */
export const MIN = binaryOp('min', Math.min, call('Math.min'), (A, a, b) => [
  A.select(A.eq(a, b), 0.5, A.select(A.gt(a, b), 0, 1)),
  A.select(A.eq(a, b), 0.5, A.select(A.lt(a, b), 0, 1)),
]);

/**
 * atan2(y, x), the angle of (x, y) (y is the receiver, as `torch.atan2`);
 * ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²), written (x/h)/h with h = hypot so
 * that large or tiny operands neither overflow nor underflow. NaN at (0, 0).
 */
export const ATAN2 = binaryOp('atan2', Math.atan2, call('Math.atan2'), (A, y, x) => {
  const h = A.hypot(y, x);
  return [A.div(A.div(x, h), h), A.neg(A.div(A.div(y, h), h))];
});

/** √(a² + b²) without overflow;  ∂/∂a = a/out, ∂/∂b = b/out (NaN at (0, 0), as PyTorch). */
export const HYPOT = binaryOp('hypot', Math.hypot, call('Math.hypot'), (A, a, b, out) => [
  A.div(a, out),
  A.div(b, out),
]);

/** a for a > 0, else slope·a (b = slope);  ∂/∂a = 1 for a > 0, else slope (the left slope at 0) */
export const LEAKY_RELU = binaryOp('leakyRelu', leakyRelu, HELPER, (A, a, slope) => [
  A.select(A.gt(a, 0), 1, slope),
  A.select(A.gt(a, 0), 0, a),
]);

/** a for a > 0, else α(eᵃ − 1) (b = α);  ∂/∂a = 1 for a > 0, else α·eᵃ (left at 0) */
export const ELU = binaryOp('elu', elu, HELPER, (A, a, alpha) => [
  A.select(A.gt(a, 0), 1, A.mul(alpha, A.exp(a))),
  A.select(A.gt(a, 0), 0, A.expm1(a)),
]);

/**
 * max(a, lo) for clamp (b = lo);  ∂/∂a = 1 where a ≥ lo: the gradient passes
 * at the bound, as PyTorch's clamp. NaN stays NaN, with gradient 0.
 */
export const CLAMP_MIN = binaryOp('clampMin', clampMin, HELPER, (A, a, lo) => [
  A.select(A.ge(a, lo), 1, 0),
  A.select(A.lt(a, lo), 1, 0),
]);

/** min(a, hi) for clamp (b = hi);  ∂/∂a = 1 where a ≤ hi. */
export const CLAMP_MAX = binaryOp('clampMax', clampMax, HELPER, (A, a, hi) => [
  A.select(A.le(a, hi), 1, 0),
  A.select(A.gt(a, hi), 1, 0),
]);

// ---- unary -------------------------------------------------------------------

/** −a;  ∂/∂a = −1 */
export const NEG = unaryOp(
  'neg',
  (a) => -a,
  { kind: 'negate' },
  () => -1,
);

/** a²;  ∂/∂a = 2a */
export const SQUARE = unaryOp(
  'square',
  (a) => a * a,
  { kind: 'square' },
  (A, a) => A.mul(2, a),
);

/** eᵃ;  ∂/∂a = eᵃ */
export const EXP = unaryOp('exp', Math.exp, call('Math.exp'), (_A, _a, out) => out);

/** ln a;  ∂/∂a = 1/a */
export const LOG = unaryOp('log', Math.log, call('Math.log'), (A, a) => A.div(1, a));

/** √a;  ∂/∂a = 1/(2√a) = 0.5/out */
export const SQRT = unaryOp('sqrt', Math.sqrt, call('Math.sqrt'), (A, _a, out) => A.div(0.5, out));

/** tanh a;  ∂/∂a = 1 − tanh² a */
export const TANH = unaryOp('tanh', Math.tanh, call('Math.tanh'), (A, _a, out) =>
  A.sub(1, A.square(out)),
);

/** max(a, 0);  ∂/∂a = 1 for a > 0, 0 at 0; relu′(NaN) = 1 (PyTorch: only out ≤ 0 blocks) */
export const RELU = unaryOp('relu', relu, HELPER, (A, _a, out) => A.select(A.le(out, 0), 0, 1));

/** |a|;  ∂/∂a = sign(a), 0 at a = 0 */
export const ABS = unaryOp('abs', Math.abs, call('Math.abs'), (A, a) =>
  A.select(A.gt(a, 0), 1, A.select(A.lt(a, 0), -1, 0)),
);

/**
 * σ(a) = 1/(1 + e⁻ᵃ), stable (special-functions.ts);  ∂/∂a = σ(a)(1 − σ(a)),
 * written σ(a)·σ(−a), which keeps its precision where σ(a) rounds to 1.
 */
export const SIGMOID = unaryOp('sigmoid', stableSigmoid, HELPER, (A, a, out) =>
  A.mul(out, A.sigmoid(A.neg(a))),
);

/** softplus(a) = ln(1 + eᵃ), stable;  ∂/∂a = σ(a) */
export const SOFTPLUS = unaryOp('softplus', softplus, HELPER, (A, a) => A.sigmoid(a));

/** sin a;  ∂/∂a = cos a */
export const SIN = unaryOp('sin', Math.sin, call('Math.sin'), (A, a) => A.cos(a));

/** cos a;  ∂/∂a = −sin a */
export const COS = unaryOp('cos', Math.cos, call('Math.cos'), (A, a) => A.neg(A.sin(a)));

/** tan a;  ∂/∂a = 1 + tan² a */
export const TAN = unaryOp('tan', Math.tan, call('Math.tan'), (A, _a, out) =>
  A.add(1, A.square(out)),
);

/** asin a;  ∂/∂a = 1/√(1 − a²), as 1/√((1 − a)(1 + a)) for precision near ±1, where it is +∞ */
export const ASIN = unaryOp('asin', Math.asin, call('Math.asin'), (A, a) =>
  A.div(1, A.sqrt(A.mul(A.sub(1, a), A.add(1, a)))),
);

/** acos a;  ∂/∂a = −1/√((1 − a)(1 + a)), −∞ at ±1 */
export const ACOS = unaryOp('acos', Math.acos, call('Math.acos'), (A, a) =>
  A.div(-1, A.sqrt(A.mul(A.sub(1, a), A.add(1, a)))),
);

/** atan a;  ∂/∂a = 1/(1 + a²) */
export const ATAN = unaryOp('atan', Math.atan, call('Math.atan'), (A, a) =>
  A.div(1, A.add(1, A.square(a))),
);

/** sinh a;  ∂/∂a = cosh a */
export const SINH = unaryOp('sinh', Math.sinh, call('Math.sinh'), (A, a) => A.cosh(a));

/** cosh a;  ∂/∂a = sinh a */
export const COSH = unaryOp('cosh', Math.cosh, call('Math.cosh'), (A, a) => A.sinh(a));

/** asinh a;  ∂/∂a = 1/√(a² + 1) = 1/hypot(a, 1), which does not overflow for huge a */
export const ASINH = unaryOp('asinh', Math.asinh, call('Math.asinh'), (A, a) =>
  A.div(1, A.hypot(a, 1)),
);

/** acosh a;  ∂/∂a = 1/√((a − 1)(a + 1)), +∞ at 1 */
export const ACOSH = unaryOp('acosh', Math.acosh, call('Math.acosh'), (A, a) =>
  A.div(1, A.sqrt(A.mul(A.sub(a, 1), A.add(a, 1)))),
);

/** atanh a;  ∂/∂a = 1/((1 − a)(1 + a)) */
export const ATANH = unaryOp('atanh', Math.atanh, call('Math.atanh'), (A, a) =>
  A.div(1, A.mul(A.sub(1, a), A.add(1, a))),
);

/** ln(1 + a);  ∂/∂a = 1/(1 + a) */
export const LOG1P = unaryOp('log1p', Math.log1p, call('Math.log1p'), (A, a) =>
  A.div(1, A.add(1, a)),
);

/** eᵃ − 1;  ∂/∂a = eᵃ (not out + 1, which loses eᵃ where it is below ulp(1)) */
export const EXPM1 = unaryOp('expm1', Math.expm1, call('Math.expm1'), (A, a) => A.exp(a));

/** log₂ a;  ∂/∂a = 1/(a·ln 2) */
export const LOG2 = unaryOp('log2', Math.log2, call('Math.log2'), (A, a) =>
  A.div(1, A.mul(a, Math.LN2)),
);

/** log₁₀ a;  ∂/∂a = 1/(a·ln 10) */
export const LOG10 = unaryOp('log10', Math.log10, call('Math.log10'), (A, a) =>
  A.div(1, A.mul(a, Math.LN10)),
);

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

/** erf a (fdlibm's rational approximations);  ∂/∂a = (2/√π)·e^(−a²) */
export const ERF = unaryOp('erf', erf, HELPER, (A, a) =>
  A.mul(TWO_OVER_SQRT_PI, A.exp(A.neg(A.square(a)))),
);

/** erfc a = 1 − erf a, exact in the right tail;  ∂/∂a = −(2/√π)·e^(−a²) */
export const ERFC = unaryOp('erfc', erfc, HELPER, (A, a) =>
  A.mul(-TWO_OVER_SQRT_PI, A.exp(A.neg(A.square(a)))),
);

/** gelu a = a·Φ(a), exact erf form;  ∂/∂a = Φ(a) + a·φ(a), Φ(a) = ½erfc(−a/√2), φ(a) = e^(−a²/2)/√(2π) */
export const GELU = unaryOp('gelu', gelu, HELPER, (A, a) =>
  A.add(
    A.mul(0.5, A.erfc(A.mul(a, -Math.SQRT1_2))),
    A.mul(a, A.mul(ONE_OVER_SQRT_2PI, A.exp(A.mul(-0.5, A.square(a))))),
  ),
);

/** silu a = a·σ(a);  ∂/∂a = σ(a)·(1 + a·σ(−a)) (σ(−a) = 1 − σ(a), precise as σ(a) → 1) */
export const SILU = unaryOp('silu', silu, HELPER, (A, a) =>
  A.mul(A.sigmoid(a), A.add(1, A.mul(a, A.sigmoid(A.neg(a))))),
);

// Piecewise constant: the derivative is 0 wherever it exists (PyTorch's choice at the jumps too).
/** sign a: −1, 0 (at ±0) or 1;  ∂/∂a = 0 */
export const SIGN = unaryOp('sign', sign, HELPER, () => 0);
/** ⌊a⌋;  ∂/∂a = 0 */
export const FLOOR = unaryOp('floor', Math.floor, call('Math.floor'), () => 0);
/** ⌈a⌉;  ∂/∂a = 0 */
export const CEIL = unaryOp('ceil', Math.ceil, call('Math.ceil'), () => 0);
/** a rounded to the nearest integer, ties to even;  ∂/∂a = 0 */
export const ROUND = unaryOp('round', roundHalfEven, HELPER, () => 0);

// ---- n-ary -----------------------------------------------------------------
// Their operands live in arrays; operand-layout.ts is the one place that reads them.

/** Σ vᵢ, added left to right: ((v₀ + v₁) + v₂) + …;  ∂/∂vᵢ = 1 */
export const SUM = define({
  name: 'sum',
  arity: 'n',
  forward: none,
  js: HELPER,
  partials: () => [1],
});

/**
 * Σ wᵢ·xᵢ + bias, accumulated left to right, bias added last:
 * ((w₀x₀ + w₁x₁) + …) + bias;  ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂bias = 1.
 * The partials are one pair's, then the bias's.
 */
export const DOT = define({
  name: 'dot',
  arity: 'n',
  forward: none,
  js: HELPER,
  partials: (_A, w, x) => [x, w, 1],
});

/**
 * Codes from here up are the n-ary ops (sum, dot), defined last: below it, a
 * node's operands are `_a` and `_b` themselves, so a walk over the graph tells
 * the common case apart with one comparison.
 */
export const FIRST_NARY = SUM.code;
if (DOT.code !== OPS.length - 1 || FIRST_NARY !== DOT.code - 1)
  throw new Error('ops.ts: the n-ary ops must be defined last');

/** The op of a name as `Value.op` shows it. */
export const OP_BY_NAME: ReadonlyMap<string, Op> = new Map(OPS.map((op) => [op.name, op]));

export { stableSigmoid };
