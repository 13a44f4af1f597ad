/**
 * The op table. Each op keeps its forward rule and its backward rule side by
 * side: `forward` computes the result from the operands' data, `backward` adds
 * `out.grad × ∂out/∂operand` into every operand that requires a gradient.
 *
 * A node stores only the index of its op (see flags.ts), never a closure, so
 * building a node allocates the node and nothing else.
 */
import { REQUIRES_GRAD as RG } from './flags.js';
import type { Value } from './value.js';

export interface Op {
  /** Index in {@link OPS}; stored in the low bits of a node's `_f`. */
  readonly code: number;
  /** What `Value.op` shows: a symbol for arithmetic, a name for functions. */
  readonly name: string;
  backward(out: Value): void;
}
export interface UnaryOp extends Op {
  forward(a: number): number;
  readonly emit: Emit;
}
export interface BinaryOp extends Op {
  forward(a: number, b: number): number;
  readonly emit: Emit;
}

/**
 * The same rules as JavaScript source, for the graph compiler
 * (compile/codegen.ts): it writes them out with the operands' variables in
 * place of `a.data` and `b.data`, so a compiled graph does the same arithmetic.
 */
export interface Emit {
  /** The result, from the operands' expressions `a` and `b`. */
  forward(a: string, b: string): string;
  /** Statements adding into `ga`/`gb` (null: needs no gradient); `v` is the result, `g` its gradient. */
  backward(e: EmitContext): string;
}
export interface EmitContext {
  v: string;
  g: string;
  a: string;
  b: string;
  ga: string | null;
  gb: string | null;
}

/** `to += term;`, or nothing where `to` needs no gradient (also sum's and dot's rules in codegen.ts). */
export const plus = (to: string | null, term: string): string =>
  to === null ? '' : `${to} += ${term};`;
/** `to -= term;`, or nothing where `to` needs no gradient. */
const minus = (to: string | null, term: string): string => (to === null ? '' : `${to} -= ${term};`);

/** Every op, indexed by its code. */
export const OPS: Op[] = [];

function define<T extends Op>(op: Omit<T, 'code'>): T {
  const registered = { ...op, code: OPS.length } as T;
  OPS.push(registered);
  return registered;
}

// Code 0: a leaf, which has nothing to pass its gradient to.
define<Op>({ name: '', backward(): void {} });

// ---- binary ----------------------------------------------------------------

/** a + b;  ∂/∂a = 1, ∂/∂b = 1 */
export const ADD = define<BinaryOp>({
  name: '+',
  forward: (a: number, b: number) => a + b,
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += out.grad;
    if (b._f & RG) b.grad += out.grad;
  },
  emit: {
    forward: (a, b) => `${a} + ${b}`,
    backward: ({ g, ga, gb }) => plus(ga, g) + plus(gb, g),
  },
});

/** a − b;  ∂/∂a = 1, ∂/∂b = −1 */
export const SUB = define<BinaryOp>({
  name: '-',
  forward: (a: number, b: number) => a - b,
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += out.grad;
    if (b._f & RG) b.grad -= out.grad;
  },
  emit: {
    forward: (a, b) => `${a} - ${b}`,
    backward: ({ g, ga, gb }) => plus(ga, g) + minus(gb, g),
  },
});

/** a · b;  ∂/∂a = b, ∂/∂b = a */
export const MUL = define<BinaryOp>({
  name: '*',
  forward: (a: number, b: number) => a * b,
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += b.data * out.grad;
    if (b._f & RG) b.grad += a.data * out.grad;
  },
  emit: {
    forward: (a, b) => `${a} * ${b}`,
    backward: ({ g, a, b, ga, gb }) => plus(ga, `${b} * ${g}`) + plus(gb, `${a} * ${g}`),
  },
});

/** a / b;  ∂/∂a = 1/b, ∂/∂b = −a/b² = −(a/b)/b, the last form never squares b */
export const DIV = define<BinaryOp>({
  name: '/',
  forward: (a: number, b: number) => a / b,
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += out.grad / b.data;
    if (b._f & RG) b.grad -= (out.data / b.data) * out.grad;
  },
  emit: {
    forward: (a, b) => `${a} / ${b}`,
    backward: ({ v, g, b, ga, gb }) => plus(ga, `${g} / ${b}`) + minus(gb, `(${v} / ${b}) * ${g}`),
  },
});

/**
 * aᵇ;  ∂/∂a = b·aᵇ⁻¹ (0 where b = 0, also at 0⁰), ∂/∂b = aᵇ·ln a.
 * For a ≤ 0, ln a is not real: ∂/∂b is 0 where a = 0 (the limit of aᵇ·ln a for
 * b > 0, PyTorch's convention) and NaN where a < 0 (aᵇ is not differentiable in
 * b there). With a plain-number exponent only ∂/∂a is ever computed.
 */
export const POW = define<BinaryOp>({
  name: '**',
  forward: (a: number, b: number) => Math.pow(a, b),
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += b.data === 0 ? 0 : b.data * Math.pow(a.data, b.data - 1) * out.grad;
    if (b._f & RG) {
      const lnA = a.data > 0 ? Math.log(a.data) : a.data === 0 ? 0 : Number.NaN;
      b.grad += out.data * lnA * out.grad;
    }
  },
  emit: {
    forward: (a, b) => `Math.pow(${a}, ${b})`,
    backward: ({ v, g, a, b, ga, gb }) =>
      plus(ga, `(${b} === 0 ? 0 : ${b} * Math.pow(${a}, ${b} - 1) * ${g})`) +
      plus(gb, `${v} * (${a} > 0 ? Math.log(${a}) : ${a} === 0 ? 0 : NaN) * ${g}`),
  },
});

/** max(a, b);  the gradient goes to the larger operand, half to each on a tie */
export const MAX = define<BinaryOp>({
  name: 'max',
  forward: (a: number, b: number) => Math.max(a, b),
  backward(out: Value): void {
    routeToChosen(out, (out._a as Value).data > (out._b as Value).data);
  },
  emit: { forward: (a, b) => `Math.max(${a}, ${b})`, backward: (e) => emitRouteToChosen(e, '>') },
});

/** min(a, b);  the gradient goes to the smaller operand, half to each on a tie */
export const MIN = define<BinaryOp>({
  name: 'min',
  forward: (a: number, b: number) => Math.min(a, b),
  backward(out: Value): void {
    routeToChosen(out, (out._a as Value).data < (out._b as Value).data);
  },
  emit: { forward: (a, b) => `Math.min(${a}, ${b})`, backward: (e) => emitRouteToChosen(e, '<') },
});

function routeToChosen(out: Value, aWins: boolean): void {
  const a = out._a as Value;
  const b = out._b as Value;
  if (a.data === b.data) {
    if (a._f & RG) a.grad += 0.5 * out.grad;
    if (b._f & RG) b.grad += 0.5 * out.grad;
  } else if (aWins) {
    if (a._f & RG) a.grad += out.grad;
  } else if (b._f & RG) {
    b.grad += out.grad;
  }
}

function emitRouteToChosen(e: EmitContext, wins: '>' | '<'): string {
  const { g, a, b, ga, gb } = e;
  const half = `0.5 * ${g}`;
  return `if (${a} === ${b}) { ${plus(ga, half)} ${plus(gb, half)} } else if (${a} ${wins} ${b}) { ${plus(ga, g)} } else { ${plus(gb, g)} }`;
}

// ---- unary -------------------------------------------------------------------
// A unary node needs a gradient only if its operand did when it was built; the
// operand's flag is read again here in case a leaf was switched off since.

/** −a;  ∂/∂a = −1 */
export const NEG = define<UnaryOp>({
  name: 'neg',
  forward: (a: number) => -a,
  backward(out: Value): void {
    const a = out._a as Value;
    if (a._f & RG) a.grad -= out.grad;
  },
  emit: { forward: (a) => `-${a}`, backward: ({ g, ga }) => minus(ga, g) },
});

/** a²;  ∂/∂a = 2a */
export const SQUARE = define<UnaryOp>({
  name: 'square',
  forward: (a: number) => a * a,
  backward(out: Value): void {
    const a = out._a as Value;
    if (a._f & RG) a.grad += 2 * a.data * out.grad;
  },
  emit: { forward: (a) => `${a} * ${a}`, backward: ({ g, a, ga }) => plus(ga, `2 * ${a} * ${g}`) },
});

/** eᵃ;  ∂/∂a = eᵃ */
export const EXP = define<UnaryOp>({
  name: 'exp',
  forward: Math.exp,
  backward(out: Value): void {
    const a = out._a as Value;
    if (a._f & RG) a.grad += out.data * out.grad;
  },
  emit: { forward: (a) => `Math.exp(${a})`, backward: ({ v, g, ga }) => plus(ga, `${v} * ${g}`) },
});

/** ln a;  ∂/∂a = 1/a */
export const LOG = define<UnaryOp>({
  name: 'log',
  forward: Math.log,
  backward(out: Value): void {
    const a = out._a as Value;
    if (a._f & RG) a.grad += out.grad / a.data;
  },
  emit: { forward: (a) => `Math.log(${a})`, backward: ({ g, a, ga }) => plus(ga, `${g} / ${a}`) },
});

/** √a;  ∂/∂a = 1/(2√a) */
export const SQRT = define<UnaryOp>({
  name: 'sqrt',
  forward: Math.sqrt,
  backward(out: Value): void {
    const a = out._a as Value;
    if (a._f & RG) a.grad += (0.5 * out.grad) / out.data;
  },
  emit: {
    forward: (a) => `Math.sqrt(${a})`,
    backward: ({ v, g, ga }) => plus(ga, `(0.5 * ${g}) / ${v}`),
  },
});

/** tanh a;  ∂/∂a = 1 − tanh² a */
export const TANH = define<UnaryOp>({
  name: 'tanh',
  forward: Math.tanh,
  backward(out: Value): void {
    const a = out._a as Value;
    if (a._f & RG) a.grad += (1 - out.data * out.data) * out.grad;
  },
  emit: {
    forward: (a) => `Math.tanh(${a})`,
    backward: ({ v, g, ga }) => plus(ga, `(1 - ${v} * ${v}) * ${g}`),
  },
});

/** max(a, 0);  ∂/∂a = 1 for a > 0, else 0 */
export const RELU = define<UnaryOp>({
  name: 'relu',
  forward: (a: number) => (a <= 0 ? 0 : a), // NaN stays NaN
  backward(out: Value): void {
    const a = out._a as Value;
    if (out.data > 0 && a._f & RG) a.grad += out.grad;
  },
  emit: {
    forward: (a) => `(${a} <= 0 ? 0 : ${a})`,
    backward: ({ v, g, ga }) => (ga === null ? '' : `if (${v} > 0) ${plus(ga, g)}`),
  },
});

/** |a|;  ∂/∂a = sign(a), 0 at a = 0 */
export const ABS = define<UnaryOp>({
  name: 'abs',
  forward: Math.abs,
  backward(out: Value): void {
    const a = out._a as Value;
    if (!(a._f & RG)) return;
    if (a.data > 0) a.grad += out.grad;
    else if (a.data < 0) a.grad -= out.grad;
  },
  emit: {
    forward: (a) => `Math.abs(${a})`,
    backward: ({ g, a, ga }) =>
      ga === null ? '' : `if (${a} > 0) ${plus(ga, g)} else if (${a} < 0) ${minus(ga, g)}`,
  },
});

/**
 * σ(a) = 1/(1 + e⁻ᵃ);  ∂/∂a = σ(a)(1 − σ(a)) = e/(1 + e)² with e = e^−|a|.
 * For a < 0, σ is computed as eᵃ/(1 + eᵃ), so e⁻ᵃ never overflows; the slope
 * from e keeps its precision where σ(a) rounds to 1.
 */
export const SIGMOID = define<UnaryOp>({
  name: 'sigmoid',
  forward: stableSigmoid,
  backward(out: Value): void {
    const a = out._a as Value;
    if (a._f & RG) a.grad += sigmoidSlope(a.data) * out.grad;
  },
  emit: {
    forward: (a) => `sigmoid(${a})`,
    backward: ({ g, a, ga }) => plus(ga, `sigmoidSlope(${a}) * ${g}`),
  },
});

/**
 * softplus(a) = ln(1 + eᵃ) = max(a, 0) + ln(1 + e^−|a|), the second form never
 * overflows;  ∂/∂a = σ(a).
 */
export const SOFTPLUS = define<UnaryOp>({
  name: 'softplus',
  forward: (a: number) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))),
  backward(out: Value): void {
    const a = out._a as Value;
    if (a._f & RG) a.grad += stableSigmoid(a.data) * out.grad;
  },
  emit: {
    forward: (a) => `Math.max(${a}, 0) + Math.log1p(Math.exp(-Math.abs(${a})))`,
    backward: ({ g, a, ga }) => plus(ga, `sigmoid(${a}) * ${g}`),
  },
});

export function stableSigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

/** σ'(a) = e/(1 + e)² with e = e^−|a|: exact for large |a|, where σ(1 − σ) rounds to 0. */
export function sigmoidSlope(a: number): number {
  const e = Math.exp(-Math.abs(a));
  return e / ((1 + e) * (1 + e));
}

// ---- n-ary -----------------------------------------------------------------

/**
 * Σ vᵢ, added left to right: ((v₀ + v₁) + v₂) + …;  ∂/∂vᵢ = 1.
 * Operands live in `_a` as an array.
 */
export const SUM = define<Op>({
  name: 'sum',
  backward(out: Value): void {
    const terms = out._a as readonly Value[];
    const g = out.grad;
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as Value;
      if (t._f & RG) t.grad += g;
    }
  },
});

/**
 * Σ wᵢ·xᵢ + bias, accumulated left to right, bias added last:
 * ((w₀x₀ + w₁x₁) + …) + bias;  ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂bias = 1.
 * The weights live in `_a`, followed by the bias if there is one; the inputs
 * in `_b`. Both arrays may be shared with other nodes (see `affine`).
 */
export const DOT = define<Op>({
  name: 'dot',
  backward(out: Value): void {
    const ws = out._a as readonly Value[];
    const xs = out._b as readonly Value[];
    const g = out.grad;
    const n = xs.length;
    for (let i = 0; i < n; i++) {
      const w = ws[i] as Value;
      const x = xs[i] as Value;
      if (w._f & RG) w.grad += x.data * g;
      if (x._f & RG) x.grad += w.data * g;
    }
    if (ws.length > n) {
      const bias = ws[n] as Value;
      if (bias._f & RG) bias.grad += g;
    }
  },
});

/**
 * Codes from here up are the n-ary ops (sum, dot), defined last: below it, a
 * node's operands are `_a` and `_b` themselves, so a walk over the graph tells
 * the common case apart with one comparison.
 */
export const FIRST_NARY = SUM.code;
if (DOT.code !== OPS.length - 1 || FIRST_NARY !== DOT.code - 1)
  throw new Error('ops.ts: the n-ary ops must be defined last');
