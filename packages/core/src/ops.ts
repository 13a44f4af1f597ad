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
}
export interface BinaryOp extends Op {
  forward(a: number, b: number): number;
}

/** Every op, indexed by its code. */
export const OPS: Op[] = [];

function define<T extends Omit<Op, 'code'>>(op: T): T & Op {
  const registered = { ...op, code: OPS.length };
  OPS.push(registered);
  return registered;
}

// A leaf has nothing to pass its gradient to.
export const LEAF = define({ name: '', backward(): void {} });

// ---- binary ----------------------------------------------------------------

/** a + b;  ∂/∂a = 1, ∂/∂b = 1 */
export const ADD = define({
  name: '+',
  forward: (a: number, b: number) => a + b,
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += out.grad;
    if (b._f & RG) b.grad += out.grad;
  },
});

/** a − b;  ∂/∂a = 1, ∂/∂b = −1 */
export const SUB = define({
  name: '-',
  forward: (a: number, b: number) => a - b,
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += out.grad;
    if (b._f & RG) b.grad -= out.grad;
  },
});

/** a · b;  ∂/∂a = b, ∂/∂b = a */
export const MUL = define({
  name: '*',
  forward: (a: number, b: number) => a * b,
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += b.data * out.grad;
    if (b._f & RG) b.grad += a.data * out.grad;
  },
});

/** a / b;  ∂/∂a = 1/b, ∂/∂b = −a/b² */
export const DIV = define({
  name: '/',
  forward: (a: number, b: number) => a / b,
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += out.grad / b.data;
    if (b._f & RG) b.grad -= (out.grad * a.data) / (b.data * b.data);
  },
});

/**
 * aᵇ;  ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a.
 * For a ≤ 0, ln a is not real: ∂/∂b is 0 where a = 0 (the limit of aᵇ·ln a for
 * b > 0, PyTorch's convention) and NaN where a < 0 (aᵇ is not differentiable in
 * b there). With a plain-number exponent only ∂/∂a is ever computed.
 */
export const POW = define({
  name: '**',
  forward: (a: number, b: number) => Math.pow(a, b),
  backward(out: Value): void {
    const a = out._a as Value;
    const b = out._b as Value;
    if (a._f & RG) a.grad += b.data * Math.pow(a.data, b.data - 1) * out.grad;
    if (b._f & RG) {
      const lnA = a.data > 0 ? Math.log(a.data) : a.data === 0 ? 0 : Number.NaN;
      b.grad += out.data * lnA * out.grad;
    }
  },
});

/** max(a, b);  the gradient goes to the larger operand, half to each on a tie */
export const MAX = define({
  name: 'max',
  forward: (a: number, b: number) => Math.max(a, b),
  backward(out: Value): void {
    routeToChosen(out, (out._a as Value).data > (out._b as Value).data);
  },
});

/** min(a, b);  the gradient goes to the smaller operand, half to each on a tie */
export const MIN = define({
  name: 'min',
  forward: (a: number, b: number) => Math.min(a, b),
  backward(out: Value): void {
    routeToChosen(out, (out._a as Value).data < (out._b as Value).data);
  },
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

// ---- unary -----------------------------------------------------------------

/** −a;  ∂/∂a = −1 */
export const NEG = define({
  name: 'neg',
  forward: (a: number) => -a,
  backward(out: Value): void {
    (out._a as Value).grad -= out.grad;
  },
});

/** a²;  ∂/∂a = 2a */
export const SQUARE = define({
  name: 'square',
  forward: (a: number) => a * a,
  backward(out: Value): void {
    const a = out._a as Value;
    a.grad += 2 * a.data * out.grad;
  },
});

/** eᵃ;  ∂/∂a = eᵃ */
export const EXP = define({
  name: 'exp',
  forward: Math.exp,
  backward(out: Value): void {
    (out._a as Value).grad += out.data * out.grad;
  },
});

/** ln a;  ∂/∂a = 1/a */
export const LOG = define({
  name: 'log',
  forward: Math.log,
  backward(out: Value): void {
    const a = out._a as Value;
    a.grad += out.grad / a.data;
  },
});

/** √a;  ∂/∂a = 1/(2√a) */
export const SQRT = define({
  name: 'sqrt',
  forward: Math.sqrt,
  backward(out: Value): void {
    (out._a as Value).grad += (0.5 * out.grad) / out.data;
  },
});

/** tanh a;  ∂/∂a = 1 − tanh² a */
export const TANH = define({
  name: 'tanh',
  forward: Math.tanh,
  backward(out: Value): void {
    (out._a as Value).grad += (1 - out.data * out.data) * out.grad;
  },
});

/** max(a, 0);  ∂/∂a = 1 for a > 0, else 0 */
export const RELU = define({
  name: 'relu',
  forward: (a: number) => (a <= 0 ? 0 : a), // NaN stays NaN
  backward(out: Value): void {
    if (out.data > 0) (out._a as Value).grad += out.grad;
  },
});

/** |a|;  ∂/∂a = sign(a), 0 at a = 0 */
export const ABS = define({
  name: 'abs',
  forward: Math.abs,
  backward(out: Value): void {
    const a = out._a as Value;
    if (a.data > 0) a.grad += out.grad;
    else if (a.data < 0) a.grad -= out.grad;
  },
});

/**
 * σ(a) = 1/(1 + e⁻ᵃ);  ∂/∂a = σ(a)(1 − σ(a)).
 * For a < 0 it is computed as eᵃ/(1 + eᵃ), so e⁻ᵃ never overflows.
 */
export const SIGMOID = define({
  name: 'sigmoid',
  forward: stableSigmoid,
  backward(out: Value): void {
    (out._a as Value).grad += out.data * (1 - out.data) * out.grad;
  },
});

/**
 * softplus(a) = ln(1 + eᵃ) = max(a, 0) + ln(1 + e^−|a|), the second form never
 * overflows;  ∂/∂a = σ(a).
 */
export const SOFTPLUS = define({
  name: 'softplus',
  forward: (a: number) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))),
  backward(out: Value): void {
    const a = out._a as Value;
    a.grad += stableSigmoid(a.data) * out.grad;
  },
});

export function stableSigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

// ---- n-ary -----------------------------------------------------------------

/**
 * Σ vᵢ, added left to right: ((v₀ + v₁) + v₂) + …;  ∂/∂vᵢ = 1.
 * Operands live in `_a` as an array.
 */
export const SUM = define({
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
 * Operands live in `_a` interleaved as [w₀, x₀, w₁, x₁, …], the bias in `_b`.
 */
export const DOT = define({
  name: 'dot',
  backward(out: Value): void {
    const pairs = out._a as readonly Value[];
    const g = out.grad;
    for (let i = 0; i < pairs.length; i += 2) {
      const w = pairs[i] as Value;
      const x = pairs[i + 1] as Value;
      if (w._f & RG) w.grad += x.data * g;
      if (x._f & RG) x.grad += w.data * g;
    }
    const bias = out._b;
    if (bias !== null && bias._f & RG) bias.grad += g;
  },
});
