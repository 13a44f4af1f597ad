import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  acos,
  asin,
  atan2,
  clamp,
  compile,
  elu,
  erf,
  gelu,
  hypot,
  leakyRelu,
  max,
  min,
  pow,
  round,
  sign,
  silu,
  sin,
  Value,
} from './index.js';

type Fixture = number | 'NaN' | 'Infinity' | '-Infinity';
// Written once by scripts/ops-reference.py (mpmath, PyTorch); see there.
const reference = JSON.parse(
  readFileSync(new URL('./ops-reference.json', import.meta.url), 'utf8'),
) as {
  unary: Record<string, { x: number; value: Fixture; slope: Fixture }[]>;
  binary: {
    hypot: { a: number; b: number; value: number; da: number; db: number }[];
    atan2: { y: number; x: number; value: number; dy: number; dx: number }[];
  };
  torch: Record<string, Fixture[]>;
};

const n = (x: Fixture): number =>
  x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x;

/** The distance in units in the last place between two doubles of one sign. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Math.abs(Number(buf.getBigInt64(0) - buf.getBigInt64(8)));
}

type Unary = (x: Value) => Value;
const UNARY: Record<string, Unary> = {
  sin: (x) => x.sin(),
  cos: (x) => x.cos(),
  tan: (x) => x.tan(),
  asin: (x) => x.asin(),
  acos: (x) => x.acos(),
  atan: (x) => x.atan(),
  sinh: (x) => x.sinh(),
  cosh: (x) => x.cosh(),
  asinh: (x) => x.asinh(),
  acosh: (x) => x.acosh(),
  atanh: (x) => x.atanh(),
  log1p: (x) => x.log1p(),
  expm1: (x) => x.expm1(),
  log2: (x) => x.log2(),
  log10: (x) => x.log10(),
  erf: (x) => x.erf(),
  erfc: (x) => x.erfc(),
  gelu: (x) => x.gelu(),
  silu: (x) => x.silu(),
};
// Where the result itself is ill-conditioned in x (a large |x|·f′/f), the
// reference is exact for the double x but one rounding of an intermediate
// (x/√2 in gelu, x in tan near π/2) moves the result by more than an ulp.
const VALUE_ULPS: Record<string, number> = { gelu: 64, tan: 8 };

describe('new unary ops: values and slopes against mpmath (60 digits)', () => {
  for (const [name, rows] of Object.entries(reference.unary)) {
    it(`${name}`, () => {
      const f = UNARY[name] as Unary;
      for (const row of rows as { x: number; value: Fixture; slope: Fixture }[]) {
        const x = new Value(row.x);
        const y = f(x);
        y.backward();
        const value = n(row.value);
        expect(
          ulps(y.data, value),
          `${name}(${row.x}) = ${y.data}, expected ${value}`,
        ).toBeLessThanOrEqual(VALUE_ULPS[name] ?? 2);
        const slope = n(row.slope);
        if (!Number.isFinite(slope) || slope === 0)
          expect(x.grad === slope, `${name}′(${row.x})`).toBe(true);
        else expect(Math.abs(x.grad - slope) / Math.abs(slope)).toBeLessThan(1e-13);
      }
    });
  }
});

describe('new ops: gradients against central differences at ordinary points', () => {
  const central = (f: (x: number) => number, x: number, h = 1e-6): number =>
    (f(x + h) - f(x - h)) / (2 * h);
  for (const [name, f] of Object.entries(UNARY)) {
    it(name, () => {
      const points =
        name === 'acosh'
          ? [1.3, 2, 5]
          : name.startsWith('log')
            ? [0.2, 0.7, 3]
            : [-0.7, -0.2, 0.3, 0.6];
      for (const p of points) {
        const x = new Value(p);
        f(x).backward();
        const numeric = central((t) => f(new Value(t)).data, p);
        expect(Math.abs(x.grad - numeric)).toBeLessThan(1e-7 * Math.max(1, Math.abs(numeric)));
      }
    });
  }
});

describe('binary ops: hypot and atan2 against mpmath, without overflow', () => {
  it('hypot', () => {
    for (const r of reference.binary.hypot) {
      const a = new Value(r.a);
      const b = new Value(r.b);
      const h = a.hypot(b);
      h.backward();
      expect(ulps(h.data, r.value)).toBeLessThanOrEqual(2);
      expect(Math.abs(a.grad - r.da)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(r.da)));
      expect(Math.abs(b.grad - r.db)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(r.db)));
      expect(hypot(r.a, b).data).toBe(h.data);
    }
  });
  it('atan2 (the receiver is y, as torch.atan2)', () => {
    for (const r of reference.binary.atan2) {
      const y = new Value(r.y);
      const x = new Value(r.x);
      const t = y.atan2(x);
      t.backward();
      expect(ulps(t.data, r.value)).toBeLessThanOrEqual(2);
      for (const [got, want] of [
        [y.grad, r.dy],
        [x.grad, r.dx],
      ] as const)
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-15 * Math.abs(want));
      expect(atan2(r.y, x).data).toBe(t.data);
    }
    expect(Math.atan2(1, -1)).toBe(atan2(1, -1).data);
  });
});

describe("conventions at kinks, ties and edges, as PyTorch's (fixtures from torch 1.13, float64)", () => {
  const t = reference.torch;
  const valueAndGrads = (f: (...xs: Value[]) => Value, ...xs: number[]): number[] => {
    const vs = xs.map((x) => new Value(x));
    const y = f(...vs);
    y.backward();
    return [y.data, ...vs.map((v) => v.grad)];
  };
  // ±0 compared as equal (PyTorch's printed sign of a zero gradient is not a convention).
  const norm = (x: number): number | string => (Number.isNaN(x) ? 'NaN' : x === 0 ? 0 : x);
  const same = (got: number[], want: Fixture[] | undefined): void =>
    expect(got.map(norm)).toEqual((want as Fixture[]).map((x) => norm(n(x))));
  it('pow: ∂/∂b at a = ±0, b < 0 is −∞ (the limit); 1ᵇ = 1 also for b NaN', () => {
    same(
      valueAndGrads((a, b) => a.pow(b), 0, -2),
      t.pow_zero_negative,
    );
    same(
      valueAndGrads((a, b) => a.pow(b), -0, -2),
      t.pow_negzero_negative,
    );
    same(
      valueAndGrads((a, b) => a.pow(b), 0, 2),
      t.pow_zero_positive,
    );
    same(
      valueAndGrads((a, b) => pow(a, b), 1, NaN),
      t.pow_one_nan,
    );
  });
  it('NaN: relu′(NaN) = 1, max/min with a NaN operand give each the whole gradient', () => {
    same(
      valueAndGrads((a) => a.relu(), NaN),
      t.relu_nan,
    );
    same(
      valueAndGrads((a, b) => max(a, b), NaN, 1),
      t.max_nan_left,
    );
    same(
      valueAndGrads((a, b) => a.max(b), 1, NaN),
      t.max_nan_right,
    );
    same(
      valueAndGrads((a, b) => min(a, b), NaN, 1),
      t.min_nan_left,
    );
    same(
      valueAndGrads((a, b) => a.max(b), 2, 2),
      t.max_tie,
    );
  });
  it('round ties to even; sign(0) = 0', () => {
    const ties = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5].map((x) => round(x).data);
    expect(ties).toEqual((t.round_ties as number[]).map(n));
    expect(Object.is(round(-0.5).data, -0)).toBe(true);
    expect(round(0.49999999999999994).data).toBe(0);
    expect(round(2 ** 53 + 2).data).toBe(2 ** 53 + 2);
    same(
      valueAndGrads((a) => a.sign(), 0),
      t.sign_zero,
    );
    expect(sign(-3).data).toBe(-1);
  });
  it('clamp passes the gradient at its bounds; leakyRelu and elu take the left slope at 0', () => {
    same(
      valueAndGrads((a) => a.clamp(-1, 1), -1),
      t.clamp_at_min,
    );
    same(
      valueAndGrads((a) => clamp(a, -1, 1), 1),
      t.clamp_at_max,
    );
    same(
      valueAndGrads((a) => a.clamp(-1, 1), 2),
      t.clamp_outside,
    );
    same(
      valueAndGrads((a) => a.leakyRelu(), 0),
      t.leaky_relu_zero,
    );
    same(
      valueAndGrads((a) => elu(a), 0),
      t.elu_zero,
    );
    expect(leakyRelu(-2, 0.2).data).toBe(-0.4);
    expect(elu(-1, 2).data).toBe(2 * Math.expm1(-1));
  });
  it('asin′(±1) = +∞, acos′(±1) = −∞', () => {
    same(
      valueAndGrads((a) => asin(a), 1),
      t.asin_one,
    );
    same(
      valueAndGrads((a) => a.asin(), -1),
      t.asin_minus_one,
    );
    same(
      valueAndGrads((a) => acos(a), 1),
      t.acos_one,
    );
    same(
      valueAndGrads((a) => a.acos(), -1),
      t.acos_minus_one,
    );
  });
  it('gelu and silu in the far left tail: 0 and no NaN', () => {
    same(
      valueAndGrads((a) => gelu(a), -40),
      t.gelu_minus_40,
    );
    same(
      valueAndGrads((a) => silu(a), -800),
      t.silu_minus_800,
    );
    for (const x of [-1e300, -1e5, -745, -40]) {
      for (const f of [gelu, silu]) {
        const v = new Value(x);
        const y = f(v);
        y.backward();
        expect(Number.isNaN(y.data) || Number.isNaN(v.grad)).toBe(false);
      }
    }
    expect(erf(1e-300).data).toBeGreaterThan(0);
    expect(hypot(1e308, 1e308).data).toBe(Math.SQRT2 * 1e308);
  });
  it('bad parameters: a TypeError or RangeError naming the argument', () => {
    const x = new Value(1);
    expect(() => x.leakyRelu(Infinity)).toThrow(/leakyRelu\(slope\)/);
    expect(() => x.elu('1' as unknown as number)).toThrow(TypeError);
    expect(() => x.clamp(2, 1)).toThrow(RangeError);
    expect(() => x.clamp(NaN, 1)).toThrow(/clamp\(min\)/);
    expect(() => sin('x' as unknown as number)).toThrow(/sin\(x\)/);
    expect(() => x.atan2('y' as unknown as number)).toThrow(/atan2\(x\)/);
  });
});

describe('new ops compiled: the same bits as eager, in codegen and interpreter', () => {
  it('every new op, value and gradient, at ordinary and edge points', () => {
    const ops: ((x: Value, p: Value) => Value)[] = [
      ...Object.values(UNARY).map((f) => (x: Value, p: Value) => f(x.mul(p))),
      (x, p) => x.mul(p).sign(),
      (x, p) => x.mul(p).floor().add(x.mul(p).ceil()).add(x.mul(p).round()),
      (x, p) => x.mul(p).leakyRelu(0.3).add(x.elu(0.7)),
      (x, p) => x.mul(p).clamp(-0.25, 0.5),
      (x, p) => x.atan2(p).add(p.hypot(x)),
      (x, p) => x.mul(p).pow(p),
    ];
    const points = [0.3, -0.45, 0.9, 1, -1, 0, 2.5, 0.5, -1e-9];
    for (const [i, op] of ops.entries()) {
      for (const mode of ['codegen', 'interpreter'] as const) {
        const p = new Value(1);
        const f = compile(({ x }) => op(x, p), { inputs: ['x'], mode });
        for (const xv of points) {
          const eagerP = new Value(1);
          const out = op(new Value(xv, { requiresGrad: false }), eagerP);
          if (out.requiresGrad) out.backward();
          p.grad = 0;
          const got = out.requiresGrad ? f.backward({ x: xv }) : f.run({ x: xv });
          expect(Object.is(got, out.data), `op ${i} ${mode} at ${xv}`).toBe(true);
          expect(Object.is(p.grad, eagerP.grad), `op ${i} ${mode} grad at ${xv}`).toBe(true);
        }
      }
    }
  });
});
