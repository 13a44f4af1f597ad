import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { max, min, pow, Value } from './index.js';

/**
 * Each op's gradient against central differences of a reference forward
 * written here in plain Math (not the engine's), over random inputs away from
 * the op's kinks and poles. h = 1e-6 leaves a truncation error of order
 * h²·f''' and a rounding error of order ε·|f|/h, so 1e-6 relative is safe.
 */
const H = 1e-6;
const central = (f: (x: number) => number, x: number): number => (f(x + H) - f(x - H)) / (2 * H);
const close = (actual: number, expected: number, tol = 1e-6): boolean =>
  Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));

const SEED = 20261126;
const num = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

interface UnaryCase {
  name: string;
  op: (v: Value) => Value;
  ref: (x: number) => number;
  domain: fc.Arbitrary<number>;
}

const unaryCases: UnaryCase[] = [
  { name: 'neg', op: (v) => v.neg(), ref: (x) => -x, domain: num(-10, 10) },
  { name: 'square', op: (v) => v.square(), ref: (x) => x * x, domain: num(-10, 10) },
  { name: 'exp', op: (v) => v.exp(), ref: Math.exp, domain: num(-5, 5) },
  { name: 'log', op: (v) => v.log(), ref: Math.log, domain: num(0.05, 50) },
  { name: 'sqrt', op: (v) => v.sqrt(), ref: Math.sqrt, domain: num(0.05, 50) },
  {
    name: 'tanh',
    op: (v) => v.tanh(),
    ref: (x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1),
    domain: num(-4, 4),
  },
  {
    name: 'sigmoid',
    op: (v) => v.sigmoid(),
    ref: (x) => 1 / (1 + Math.exp(-x)),
    domain: num(-10, 10),
  },
  {
    name: 'softplus',
    op: (v) => v.softplus(),
    ref: (x) => Math.log(1 + Math.exp(x)),
    domain: num(-10, 10),
  },
  { name: 'relu (x > 0)', op: (v) => v.relu(), ref: (x) => x, domain: num(1e-3, 10) },
  { name: 'relu (x < 0)', op: (v) => v.relu(), ref: () => 0, domain: num(-10, -1e-3) },
  {
    name: 'abs',
    op: (v) => v.abs(),
    ref: (x) => (x < 0 ? -x : x),
    domain: num(-10, 10).filter((x) => Math.abs(x) > 1e-3),
  },
  { name: 'pow 3', op: (v) => v.pow(3), ref: (x) => x * x * x, domain: num(-5, 5) },
  {
    name: 'pow -1.5',
    op: (v) => v.pow(-1.5),
    ref: (x) => 1 / (x * Math.sqrt(x)),
    domain: num(0.2, 5),
  },
];

describe.each(unaryCases)('$name', ({ op, ref, domain }) => {
  it('has the gradient of central differences', () => {
    fc.assert(
      fc.property(domain, (x) => {
        const v = new Value(x);
        const out = op(v);
        out.backward();
        return close(out.data, ref(x), 1e-12) && close(v.grad, central(ref, x));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

interface BinaryCase {
  name: string;
  op: (a: Value, b: Value) => Value;
  ref: (a: number, b: number) => number;
  a: fc.Arbitrary<number>;
  b: fc.Arbitrary<number>;
}

const binaryCases: BinaryCase[] = [
  { name: 'add', op: (a, b) => a.add(b), ref: (a, b) => a + b, a: num(-10, 10), b: num(-10, 10) },
  { name: 'sub', op: (a, b) => a.sub(b), ref: (a, b) => a - b, a: num(-10, 10), b: num(-10, 10) },
  { name: 'mul', op: (a, b) => a.mul(b), ref: (a, b) => a * b, a: num(-10, 10), b: num(-10, 10) },
  { name: 'div', op: (a, b) => a.div(b), ref: (a, b) => a / b, a: num(-10, 10), b: num(0.5, 10) },
  {
    name: 'pow (Value exponent)',
    op: (a, b) => a.pow(b),
    ref: (a, b) => Math.exp(b * Math.log(a)),
    a: num(0.1, 5),
    b: num(-3, 3),
  },
  {
    name: 'max',
    op: (a, b) => max(a, b),
    ref: (a, b) => (a > b ? a : b),
    a: num(-10, 10),
    b: num(-10, 10),
  },
  {
    name: 'min',
    op: (a, b) => min(a, b),
    ref: (a, b) => (a < b ? a : b),
    a: num(-10, 10),
    b: num(-10, 10),
  },
];

describe.each(binaryCases)('$name', ({ op, ref, a: aDomain, b: bDomain }) => {
  it('has both partial derivatives of central differences', () => {
    fc.assert(
      fc.property(aDomain, bDomain, (x, y) => {
        fc.pre(Math.abs(x - y) > 1e-3); // away from the kink of max and min
        const a = new Value(x);
        const b = new Value(y);
        const out = op(a, b);
        out.backward();
        return (
          close(out.data, ref(x, y), 1e-12) &&
          close(
            a.grad,
            central((t) => ref(t, y), x),
          ) &&
          close(
            b.grad,
            central((t) => ref(x, t), y),
          )
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('numerically stable forms', () => {
  it('sigmoid and softplus stay finite and exact for large |x|', () => {
    const big = new Value(800);
    const small = new Value(-800);
    expect(big.sigmoid().data).toBe(1);
    expect(small.sigmoid().data).toBe(0); // e^-800 underflows; the naive 1/(1+e^800) too, but e^800 overflows first
    expect(big.softplus().data).toBe(800);
    expect(small.softplus().data).toBe(0);
    const s = new Value(-40).softplus();
    expect(s.data).toBeCloseTo(Math.exp(-40), 30); // ln(1 + e^-40) = e^-40 to double precision
    const g = new Value(-800);
    g.softplus().backward();
    expect(g.grad).toBe(0);
  });
});

describe('pow with a Value exponent where the base is not positive', () => {
  it('d/db = 0 at a = 0 and NaN at a < 0, d/da as usual', () => {
    const zero = new Value(0);
    const e1 = new Value(2);
    zero.pow(e1).backward();
    expect(e1.grad).toBe(0);
    expect(zero.grad).toBe(0); // 2·0¹

    const neg = new Value(-2);
    const e2 = new Value(3);
    const out = pow(neg, e2);
    expect(out.data).toBe(-8);
    out.backward();
    expect(neg.grad).toBe(12); // 3·(-2)²
    expect(e2.grad).toBeNaN(); // (-2)^b is not real-differentiable in b
  });
});

describe('ties and edges', () => {
  it('max and min split the gradient on a tie', () => {
    const a = new Value(1);
    const b = new Value(1);
    max(a, b).backward();
    expect([a.grad, b.grad]).toEqual([0.5, 0.5]);
  });

  it('relu passes NaN through instead of hiding it', () => {
    expect(new Value(Number.NaN).relu().data).toBeNaN();
  });
});

describe('edge cases that a naive rule gets wrong', () => {
  it('div: ∂/∂b = −(a/b)/b never squares b, so it neither overflows nor underflows', () => {
    const a = new Value(1e-170);
    const b = new Value(1e-170);
    a.div(b).backward();
    // −a/b² = −1e-170/1e-340 = −1e170; b² alone would underflow to 0.
    expect(Math.abs(b.grad / -1e170 - 1)).toBeLessThan(1e-15);
    const c = new Value(3);
    const d = new Value(1e155);
    c.div(d).backward();
    // −3/1e310: b² = 1e310 would overflow to Infinity and give 0.
    expect(Math.abs(d.grad / -3e-310 - 1)).toBeLessThan(1e-9);
  });

  it('pow: ∂/∂a of a⁰ is 0, also at 0⁰ where b·aᵇ⁻¹ would be 0·∞ = NaN', () => {
    const a = new Value(0);
    a.pow(0).backward();
    expect(a.grad).toBe(0);
    const e = new Value(0);
    const base = new Value(0);
    base.pow(e).backward();
    expect([base.grad, e.grad]).toEqual([0, 0]);
  });

  it('sigmoid: the slope keeps its precision where σ rounds to 1', () => {
    // σ'(40) = e⁻⁴⁰/(1 + e⁻⁴⁰)², and (1 + e⁻⁴⁰)² rounds to 1 in doubles.
    const x = new Value(40);
    x.sigmoid().backward();
    expect(Math.abs(x.grad / Math.exp(-40) - 1)).toBeLessThan(1e-15);
    const y = new Value(-745);
    y.sigmoid().backward();
    expect(y.grad).toBe(Math.exp(-745)); // the smallest subnormal range, not 0
  });
});

describe('requiresGrad switched off on a leaf after a graph was built', () => {
  it('is respected by every op: the leaf gets no gradient', () => {
    const x = new Value(2);
    const w = new Value(3);
    const ys = [x.exp(), x.mul(w), x.tanh().add(w), x.sigmoid().mul(w)];
    x.requiresGrad = false;
    for (const y of ys) y.backward();
    expect(x.grad).toBe(0);
    expect(w.grad).toBe(3 + 1 / (1 + Math.exp(-2))); // x + 1 + σ(x), summed in that order
  });
});
