import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  affine,
  compile,
  gradgradcheck,
  gradients,
  grad,
  hessian,
  hvp,
  jacobian,
  jvp,
  sum,
  Value,
} from './index.js';

const SEED = 20261205;

/** Derivatives 1 to 4 of f at x, each from `gradients` of the one before. */
function derivatives(f: (x: Value) => Value, x0: number): number[] {
  const x = new Value(x0);
  let d = f(x);
  const out: number[] = [];
  for (let k = 0; k < 4; k++) {
    d = gradients(d, [x], { createGraph: true })[0] as Value;
    out.push(d.data);
  }
  return out;
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const C = 2 / Math.sqrt(Math.PI);
const phi = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
/** σ's derivatives 1 to 4 as polynomials in s = σ(x) (worked out by hand). */
const sigD = (x: number): number[] => {
  const s = sig(x);
  const d1 = s * (1 - s);
  return [
    d1,
    d1 * (1 - 2 * s),
    d1 * (1 - 6 * s + 6 * s * s),
    d1 * (1 - 2 * s) * (1 - 12 * s + 12 * s * s),
  ];
};

interface Case {
  f: (x: Value) => Value;
  min: number;
  max: number;
  d: (x: number) => number[];
}
/** Every unary op's derivatives 1–4 in closed form (derived by hand; see the comments in ops.ts). */
const CASES: Record<string, Case> = {
  neg: { f: (x) => x.neg(), min: -3, max: 3, d: () => [-1, 0, 0, 0] },
  square: { f: (x) => x.square(), min: -3, max: 3, d: (x) => [2 * x, 2, 0, 0] },
  exp: { f: (x) => x.exp(), min: -3, max: 3, d: (x) => Array(4).fill(Math.exp(x)) as number[] },
  log: {
    f: (x) => x.log(),
    min: 0.2,
    max: 5,
    d: (x) => [1 / x, -1 / x ** 2, 2 / x ** 3, -6 / x ** 4],
  },
  sqrt: {
    f: (x) => x.sqrt(),
    min: 0.2,
    max: 5,
    d: (x) => [0.5 * x ** -0.5, -0.25 * x ** -1.5, 0.375 * x ** -2.5, -0.9375 * x ** -3.5],
  },
  tanh: {
    f: (x) => x.tanh(),
    min: -2,
    max: 2,
    d: (x) => {
      const t = Math.tanh(x);
      const s = 1 - t * t;
      return [s, -2 * t * s, (6 * t * t - 2) * s, (16 * t - 24 * t ** 3) * s];
    },
  },
  relu: { f: (x) => x.relu(), min: 0.1, max: 3, d: () => [1, 0, 0, 0] },
  abs: { f: (x) => x.abs(), min: -3, max: -0.1, d: () => [-1, 0, 0, 0] },
  sigmoid: { f: (x) => x.sigmoid(), min: -4, max: 4, d: sigD },
  softplus: {
    f: (x) => x.softplus(),
    min: -4,
    max: 4,
    d: (x) => [sig(x), ...sigD(x).slice(0, 3)],
  },
  sin: {
    f: (x) => x.sin(),
    min: -3,
    max: 3,
    d: (x) => [Math.cos(x), -Math.sin(x), -Math.cos(x), Math.sin(x)],
  },
  cos: {
    f: (x) => x.cos(),
    min: -3,
    max: 3,
    d: (x) => [-Math.sin(x), -Math.cos(x), Math.sin(x), Math.cos(x)],
  },
  tan: {
    f: (x) => x.tan(),
    min: -1.2,
    max: 1.2,
    d: (x) => {
      const t = Math.tan(x);
      const s = 1 + t * t;
      return [s, 2 * t * s, (2 + 6 * t * t) * s, 8 * t * (2 + 3 * t * t) * s];
    },
  },
  asin: {
    f: (x) => x.asin(),
    min: -0.9,
    max: 0.9,
    d: (x) => {
      const u = 1 - x * x;
      return [
        u ** -0.5,
        x * u ** -1.5,
        (1 + 2 * x * x) * u ** -2.5,
        (6 * x ** 3 + 9 * x) * u ** -3.5,
      ];
    },
  },
  acos: {
    f: (x) => x.acos(),
    min: -0.9,
    max: 0.9,
    d: (x) => {
      const u = 1 - x * x;
      return [
        -(u ** -0.5),
        -x * u ** -1.5,
        -(1 + 2 * x * x) * u ** -2.5,
        -(6 * x ** 3 + 9 * x) * u ** -3.5,
      ];
    },
  },
  atan: {
    f: (x) => x.atan(),
    min: -3,
    max: 3,
    d: (x) => {
      const u = 1 + x * x;
      return [1 / u, (-2 * x) / u ** 2, (6 * x * x - 2) / u ** 3, (24 * x * (1 - x * x)) / u ** 4];
    },
  },
  sinh: {
    f: (x) => x.sinh(),
    min: -3,
    max: 3,
    d: (x) => [Math.cosh(x), Math.sinh(x), Math.cosh(x), Math.sinh(x)],
  },
  cosh: {
    f: (x) => x.cosh(),
    min: -3,
    max: 3,
    d: (x) => [Math.sinh(x), Math.cosh(x), Math.sinh(x), Math.cosh(x)],
  },
  asinh: {
    f: (x) => x.asinh(),
    min: -3,
    max: 3,
    d: (x) => {
      const u = 1 + x * x;
      return [
        u ** -0.5,
        -x * u ** -1.5,
        (2 * x * x - 1) * u ** -2.5,
        (9 * x - 6 * x ** 3) * u ** -3.5,
      ];
    },
  },
  acosh: {
    f: (x) => x.acosh(),
    min: 1.2,
    max: 5,
    d: (x) => {
      const u = x * x - 1;
      return [
        u ** -0.5,
        -x * u ** -1.5,
        (2 * x * x + 1) * u ** -2.5,
        -(6 * x ** 3 + 9 * x) * u ** -3.5,
      ];
    },
  },
  atanh: {
    f: (x) => x.atanh(),
    min: -0.9,
    max: 0.9,
    d: (x) => {
      const u = 1 - x * x;
      return [1 / u, (2 * x) / u ** 2, (2 + 6 * x * x) / u ** 3, (24 * x + 24 * x ** 3) / u ** 4];
    },
  },
  log1p: {
    f: (x) => x.log1p(),
    min: -0.8,
    max: 4,
    d: (x) => {
      const u = 1 + x;
      return [1 / u, -1 / u ** 2, 2 / u ** 3, -6 / u ** 4];
    },
  },
  expm1: { f: (x) => x.expm1(), min: -3, max: 3, d: (x) => Array(4).fill(Math.exp(x)) as number[] },
  log2: {
    f: (x) => x.log2(),
    min: 0.2,
    max: 5,
    d: (x) => [1 / x, -1 / x ** 2, 2 / x ** 3, -6 / x ** 4].map((v) => v / Math.LN2),
  },
  log10: {
    f: (x) => x.log10(),
    min: 0.2,
    max: 5,
    d: (x) => [1 / x, -1 / x ** 2, 2 / x ** 3, -6 / x ** 4].map((v) => v / Math.LN10),
  },
  erf: {
    f: (x) => x.erf(),
    min: -3,
    max: 3,
    d: (x) => {
      const e = C * Math.exp(-x * x);
      return [e, -2 * x * e, (4 * x * x - 2) * e, (12 * x - 8 * x ** 3) * e];
    },
  },
  erfc: {
    f: (x) => x.erfc(),
    min: -3,
    max: 3,
    d: (x) => {
      const e = -C * Math.exp(-x * x);
      return [e, -2 * x * e, (4 * x * x - 2) * e, (12 * x - 8 * x ** 3) * e];
    },
  },
  gelu: {
    f: (x) => x.gelu(),
    min: -4,
    max: 4,
    d: (x) => {
      // Φ′ = φ, φ′ = −xφ: g′ = Φ + xφ, g″ = φ(2 − x²), g‴ = φ(x³ − 4x), g⁗ = φ(−x⁴ + 7x² − 4).
      const p = phi(x);
      const Phi = 0.5 * erfcRef(-x / Math.SQRT2);
      return [Phi + x * p, p * (2 - x * x), p * (x ** 3 - 4 * x), p * (-(x ** 4) + 7 * x * x - 4)];
    },
  },
  silu: {
    f: (x) => x.silu(),
    min: -4,
    max: 4,
    d: (x) => {
      // (x·s)⁽ᵏ⁾ = k·s⁽ᵏ⁻¹⁾ + x·s⁽ᵏ⁾ (Leibniz).
      const [s1, s2, s3, s4] = sigD(x) as [number, number, number, number];
      return [sig(x) + x * s1, 2 * s1 + x * s2, 3 * s2 + x * s3, 4 * s3 + x * s4];
    },
  },
  sign: { f: (x) => x.sign(), min: 0.1, max: 3, d: () => [0, 0, 0, 0] },
  floor: { f: (x) => x.floor(), min: 0.1, max: 0.9, d: () => [0, 0, 0, 0] },
  ceil: { f: (x) => x.ceil(), min: 0.1, max: 0.9, d: () => [0, 0, 0, 0] },
  round: { f: (x) => x.round(), min: 0.1, max: 0.4, d: () => [0, 0, 0, 0] },
  leakyRelu: { f: (x) => x.leakyRelu(0.2), min: -3, max: -0.1, d: () => [0.2, 0, 0, 0] },
  elu: {
    f: (x) => x.elu(1.5),
    min: -3,
    max: -0.1,
    d: (x) => Array(4).fill(1.5 * Math.exp(x)) as number[],
  },
  clamp: { f: (x) => x.clamp(-1, 1), min: -0.9, max: 0.9, d: () => [1, 0, 0, 0] },
};

/** erfc by its continued fraction / series, independent of the engine's (for Φ in gelu's closed form). */
function erfcRef(x: number): number {
  // erf by its Maclaurin series, accurate for |x| ≤ 3 with 80 terms.
  let term = x;
  let total = x;
  for (let k = 1; k < 80; k++) {
    term *= (-x * x) / k;
    total += term / (2 * k + 1);
  }
  return 1 - C * total;
}

describe('derivatives of order 2, 3 and 4 of every unary op against closed forms', () => {
  for (const [name, { f, min, max, d }] of Object.entries(CASES)) {
    it(name, () => {
      fc.assert(
        fc.property(fc.double({ min, max, noNaN: true }), (x) => {
          const got = derivatives(f, x);
          const want = d(x);
          got.forEach((g, k) => {
            const w = want[k] as number;
            expect(
              Math.abs(g - w),
              `${name}^(${k + 1})(${x}) = ${g}, expected ${w}`,
            ).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w)));
          });
        }),
        { seed: SEED, numRuns: 40 },
      );
    });
  }
});

const rosenbrock = ([a, b]: Value[]): Value =>
  (a as Value)
    .neg()
    .add(1)
    .square()
    .add(
      (b as Value)
        .sub((a as Value).square())
        .square()
        .mul(100),
    );

/** Central differences of `gradients`: column j of the Hessian. */
function numericHessian(fn: (x: Value[]) => Value, x: number[], h = 1e-5): number[][] {
  const g = (p: number[]): number[] => {
    const leaves = p.map((v) => new Value(v));
    return gradients(fn(leaves), leaves).map((v) => v.data);
  };
  const H = x.map(() => x.map(() => 0));
  x.forEach((_, j) => {
    const up = g(x.map((v, k) => (k === j ? v + h : v)));
    const down = g(x.map((v, k) => (k === j ? v - h : v)));
    up.forEach((u, i) => ((H[i] as number[])[j] = (u - (down[i] as number)) / (2 * h)));
  });
  return H;
}

const expectClose = (got: number[][], want: number[][], tol: number): void =>
  got.forEach((row, i) =>
    row.forEach((v, j) => {
      const w = (want[i] as number[])[j] as number;
      expect(Math.abs(v - w)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
    }),
  );

/** A 2-3-1 tanh MLP's squared error on two samples, from core Values; x = its 13 parameters. */
function mlpLoss(p: Value[]): Value {
  const data = [
    [0.5, -1, 0.3],
    [-0.2, 0.8, -0.6],
  ] as const;
  const terms = data.map(([x0, x1, y]) => {
    const hidden = [0, 1, 2].map((k) => affine(p.slice(3 * k, 3 * k + 3), [x0, x1]).tanh());
    const out = affine(p.slice(9, 13), hidden);
    return out.sub(y).square();
  });
  return sum(terms);
}

describe('Hessians, hvp and jvp', () => {
  it('Rosenbrock: the known Hessian at (−1.2, 1), and central differences of gradients elsewhere', () => {
    // ∂²/∂a² = 2 − 400(b − a²) + 800a², ∂²/∂a∂b = −400a, ∂²/∂b² = 200.
    expect(hessian(rosenbrock, [-1.2, 1])).toEqual([
      [1330, 480],
      [480, 200],
    ]);
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -1, max: 3, noNaN: true }),
        (a, b) => {
          expectClose(hessian(rosenbrock, [a, b]), numericHessian(rosenbrock, [a, b]), 1e-6);
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
  });
  it("an MLP's loss: the Hessian against central differences of gradients", () => {
    const x = Array.from({ length: 13 }, (_, i) => Math.sin(3 * i + 1) * 0.8);
    const H = hessian(mlpLoss, x);
    expectClose(H, numericHessian(mlpLoss, x), 1e-6);
    H.forEach((row, i) =>
      row.forEach((v, j) => expect(v).toBeCloseTo((H[j] as number[])[i] as number, 12)),
    );
  });
  it('hvp equals hessian · v; jvp equals jacobian · v', () => {
    const x = Array.from({ length: 13 }, (_, i) => Math.cos(2 * i) * 0.7);
    const v = x.map((_, i) => Math.sin(i + 0.5));
    const H = hessian(mlpLoss, x);
    const Hv = H.map((row) => row.reduce((s, h, j) => s + h * (v[j] as number), 0));
    hvp(mlpLoss, x, v).forEach((got, i) => expect(got).toBeCloseTo(Hv[i] as number, 10));

    const fn = ([a, b, c]: Value[]): Value[] => [
      (a as Value).mul(b as Value).sin(),
      (b as Value).div(c as Value).add((a as Value).exp()),
      (c as Value).gelu().mul(a as Value),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (p, dir) => {
          if (Math.abs(p[2] as number) < 0.1) return;
          const J = jacobian(fn, p);
          const { values, tangents } = jvp(fn, p, dir);
          J.forEach((row, i) => {
            const jv = row.reduce((s, jij, j) => s + jij * (dir[j] as number), 0);
            expect(tangents[i] as number).toBeCloseTo(jv, 10);
          });
          expect(values).toEqual(fn(p.map((q) => new Value(q))).map((o) => o.data));
        },
      ),
      { seed: SEED, numRuns: 30 },
    );
  });
  it('jacobian of a single output is one row; grad composes', () => {
    expect(jacobian(([a, b]) => (a as Value).mul(b as Value), [2, 3])).toEqual([[3, 2]]);
    const f = (x: Value[]): Value => (x[0] as Value).mul(x[0] as Value).mul(x[0] as Value); // x³
    const d2 = grad((x) => grad(f)(x)[0] as Value);
    const d3 = grad((x) => d2(x)[0] as Value);
    expect(d2([1.5])[0]?.data).toBe(9); // 6x
    expect(d3([1.5])[0]?.data).toBe(6);
  });
  it('gradgradcheck: second derivatives agree with differences of gradients, and finds a wrong one', () => {
    expect(gradgradcheck((a, b) => a.mul(b).sin().add(b.gelu()), [0.3, -1.2]).ok).toBe(true);
    // floor's derivative is 0 everywhere it exists, so its numeric Hessian across a jump is not.
    const r = gradgradcheck((a) => a.square().mul(a.mul(10).floor()), [0.1]);
    expect(r.ok).toBe(false);
  });
});

describe('gradients: what it leaves alone, and bad input', () => {
  it('leaves every .grad untouched, with and without createGraph', () => {
    const a = new Value(2);
    const b = new Value(-3);
    a.grad = 0.25;
    const y = a.mul(b).add(a.square());
    gradients(y, [a, b]);
    gradients(y, [a, b], { createGraph: true });
    expect([a.grad, b.grad, y.grad]).toEqual([0.25, 0, 0]);
  });
  it('without createGraph the results carry no history; with it they do', () => {
    const a = new Value(2);
    const y = a.mul(a).mul(a);
    const [plain] = gradients(y, [a]);
    expect(plain?.isLeaf).toBe(true);
    expect(plain?.requiresGrad).toBe(false);
    expect(plain?.data).toBe(12);
    const [graph] = gradients(y, [a], { createGraph: true });
    expect(graph?.isLeaf).toBe(false);
    expect(graph?.requiresGrad).toBe(true);
    // The same number as backward() gives.
    y.backward();
    expect(plain?.data).toBe(a.grad);
  });
  it('an input the output does not depend on gets 0 (as PyTorch with allow_unused, materialized)', () => {
    const a = new Value(1);
    const unused = new Value(5);
    const frozen = new Value(3, { requiresGrad: false });
    const g = gradients(a.exp().mul(frozen), [a, unused, frozen]);
    expect(g.map((v) => v.data)).toEqual([3 * Math.E, 0, 0]);
  });
  it('bad input: TypeError or RangeError naming the argument', () => {
    const a = new Value(1);
    expect(() => gradients(1 as unknown as Value, [a])).toThrow(/gradients\(output\)/);
    expect(() => gradients(a, [a, 2 as unknown as Value])).toThrow(/inputs\[1\]/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => gradients(a, [a, , a] as Value[])).toThrow(/hole/);
    expect(() => gradients(a, [a], { createGraf: true } as never)).toThrow(
      /unknown option 'createGraf'/,
    );
    expect(() => hvp(rosenbrock, [1, 2], [1])).toThrow(RangeError);
    expect(() => hvp(rosenbrock, [1, 2], [1])).toThrow(/hvp\(v\)/);
    expect(() => jvp(rosenbrock, [1, 2], [1, 2, 3])).toThrow(/jvp\(v\)/);
    expect(() => hessian(rosenbrock, [1, NaN])).toThrow(RangeError);
    expect(() => hessian(rosenbrock, [1, Infinity])).toThrow(/hessian\(x\)/);
    expect(() => jacobian(rosenbrock, [1, '2' as unknown as number])).toThrow(TypeError);
    expect(() => jacobian(() => 3 as unknown as Value, [1])).toThrow(/jacobian\(fn\)/);
    expect(() => grad(rosenbrock)([1, 'x' as unknown as number])).toThrow(/x\[1\]/);
  });
});

describe('compile records gradients(…, { createGraph: true })', () => {
  it('a gradient-penalty loss replays bit for bit (Object.is), value and parameter gradients', () => {
    const w = [0.3, -0.7, 0.2].map((v) => new Value(v));
    // loss = f(x) + (∂f/∂x)², f(x) = tanh(w0·x + w1)·w2: the penalty on the input gradient.
    const loss = (x: Value): Value => {
      const f = x
        .mul(w[0] as Value)
        .add(w[1] as Value)
        .tanh()
        .mul(w[2] as Value);
      const [dx] = gradients(f, [x], { createGraph: true });
      return f.add((dx as Value).square());
    };
    for (const mode of ['codegen', 'interpreter'] as const) {
      const compiled = compile(
        ({ x }) => {
          const input = x;
          input.requiresGrad = true; // the input is differentiated, as torch's requires_grad_()
          return loss(input);
        },
        { inputs: ['x'], mode },
      );
      for (const xv of [0.5, -1.25, 2, 0]) {
        const eagerOut = loss(new Value(xv));
        w.forEach((p) => (p.grad = 0));
        eagerOut.backward();
        const eagerGrads = w.map((p) => p.grad);
        w.forEach((p) => (p.grad = 0));
        const got = compiled.backward({ x: xv });
        expect(Object.is(got, eagerOut.data)).toBe(true);
        w.forEach((p, i) => expect(Object.is(p.grad, eagerGrads[i])).toBe(true));
        expect(Object.is(compiled.run({ x: xv }), eagerOut.data)).toBe(true);
      }
    }
  });
});
