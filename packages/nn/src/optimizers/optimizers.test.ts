import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

// The quadratic f(p) = Σ aᵢ·(pᵢ − tᵢ)², gradient 2aᵢ(pᵢ − tᵢ).
const A = [1, 3];
const T = [2, -1];
const P0 = [0.5, 0.25];

function params(): Value[] {
  return P0.map((p, i) => new Value(p, { label: `p${i}` }));
}

function backwardQuadratic(ps: Value[]): void {
  const terms = ps.map((p, i) =>
    p
      .sub(T[i] as number)
      .square()
      .mul(A[i] as number),
  );
  const f = terms.slice(1).reduce((s, t) => s.add(t), terms[0] as Value);
  f.backward();
}

function grad(p: number, i: number): number {
  return 2 * (A[i] as number) * (p - (T[i] as number));
}

/** Runs `steps` steps with the optimizer; the (p0, p1) after each. */
function run(make: (ps: Value[]) => Optimizer, steps = 3): number[][] {
  const ps = params();
  const opt = make(ps);
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    opt.zeroGrad();
    backwardQuadratic(ps);
    opt.step();
    out.push(ps.map((p) => p.data));
  }
  return out;
}

function expectClose(got: number[][], want: number[][]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((row, k) =>
    row.forEach((g, i) => {
      const w = (want[k] as number[])[i] as number;
      expect(Math.abs(g - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    }),
  );
}

describe('SGD against its update worked by hand', () => {
  it('plain: p ← p − lr·g', () => {
    // p0: 0.5 → g = 2(0.5−2) = −3 → 0.53; g = 2(0.53−2) = −2.94 → 0.5594; g = −2.8812 → 0.588212
    // p1: 0.25 → g = 6(1.25) = 7.5 → 0.175; g = 7.05 → 0.1045; g = 6.627 → 0.03823
    expectClose(
      run((ps) => new SGD(ps, { lr: 0.01 })),
      [
        [0.53, 0.175],
        [0.5594, 0.1045],
        [0.588212, 0.03823],
      ],
    );
  });

  for (const [label, o] of [
    ['momentum and dampening', { lr: 0.01, momentum: 0.9, dampening: 0.5 }],
    ['Nesterov', { lr: 0.01, momentum: 0.9, nesterov: true }],
    ['weight decay with momentum', { lr: 0.05, momentum: 0.5, weightDecay: 0.1 }],
  ] as const) {
    it(`${label}: PyTorch's rule written out`, () => {
      const { lr, momentum: mu } = o;
      const tau = 'dampening' in o ? o.dampening : 0;
      const wd = 'weightDecay' in o ? o.weightDecay : 0;
      const nesterov = 'nesterov' in o;
      const want: number[][] = [];
      const p = P0.slice();
      const b: (number | null)[] = [null, null];
      for (let k = 0; k < 3; k++) {
        for (let i = 0; i < 2; i++) {
          let g = grad(p[i] as number, i) + wd * (p[i] as number);
          const prev = b[i] ?? null;
          const bi = prev === null ? g : mu * prev + (1 - tau) * g;
          b[i] = bi;
          g = nesterov ? g + mu * bi : bi;
          p[i] = (p[i] as number) - lr * g;
        }
        want.push(p.slice());
      }
      expectClose(
        run((ps) => new SGD(ps, o)),
        want,
      );
    });
  }

  it('momentum, three steps by hand for p0', () => {
    // lr 0.1, μ 0.5: g₁ = −3, b₁ = −3, p = 0.8; g₂ = −2.4, b₂ = −3.9, p = 1.19;
    // g₃ = −1.62, b₃ = −3.57, p = 1.547
    const got = run((ps) => new SGD(ps, { lr: 0.1, momentum: 0.5 })).map((r) => r[0] as number);
    [0.8, 1.19, 1.547].forEach((w, k) => expect(got[k]).toBeCloseTo(w, 12));
  });
});

describe('Adam and AdamW against their updates worked by hand', () => {
  function reference(o: {
    lr: number;
    b1: number;
    b2: number;
    eps: number;
    wd: number;
    decoupled: boolean;
    amsgrad: boolean;
  }): number[][] {
    const p = P0.slice();
    const m = [0, 0];
    const v = [0, 0];
    const vmax = [0, 0];
    const out: number[][] = [];
    for (let t = 1; t <= 3; t++) {
      for (let i = 0; i < 2; i++) {
        let pi = p[i] as number;
        let g = grad(pi, i);
        if (o.decoupled) pi = pi * (1 - o.lr * o.wd);
        else g = g + o.wd * pi;
        m[i] = o.b1 * (m[i] as number) + (1 - o.b1) * g;
        v[i] = o.b2 * (v[i] as number) + (1 - o.b2) * g * g;
        vmax[i] = Math.max(vmax[i] as number, v[i] as number);
        const mHat = (m[i] as number) / (1 - o.b1 ** t);
        const vHat = (o.amsgrad ? (vmax[i] as number) : (v[i] as number)) / (1 - o.b2 ** t);
        // PyTorch puts ε outside the bias-corrected root: √v̂ + ε, with v̂ = v/(1 − β₂ᵗ)
        p[i] = pi - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
      }
      out.push(p.slice());
    }
    return out;
  }

  it('Adam with defaults (β = 0.9, 0.999, ε = 1e-8)', () => {
    const want = reference({
      lr: 0.1,
      b1: 0.9,
      b2: 0.999,
      eps: 1e-8,
      wd: 0,
      decoupled: false,
      amsgrad: false,
    });
    expectClose(
      run((ps) => new Adam(ps, { lr: 0.1 })),
      want,
    );
    // The first Adam step moves each parameter by lr·sign(g) (m̂/√v̂ = g/|g|, up to ε).
    expect(want[0]?.[0]).toBeCloseTo(0.6, 7);
    expect(want[0]?.[1]).toBeCloseTo(0.15, 7);
  });

  it('Adam with L2 weight decay, custom betas and eps', () => {
    const want = reference({
      lr: 0.05,
      b1: 0.8,
      b2: 0.99,
      eps: 1e-3,
      wd: 0.1,
      decoupled: false,
      amsgrad: false,
    });
    expectClose(
      run((ps) => new Adam(ps, { lr: 0.05, betas: [0.8, 0.99], eps: 1e-3, weightDecay: 0.1 })),
      want,
    );
  });

  it('Adam with AMSGrad', () => {
    const want = reference({
      lr: 0.5,
      b1: 0.9,
      b2: 0.5,
      eps: 1e-8,
      wd: 0,
      decoupled: false,
      amsgrad: true,
    });
    expectClose(
      run((ps) => new Adam(ps, { lr: 0.5, betas: [0.9, 0.5], amsgrad: true })),
      want,
    );
    const plain = reference({
      lr: 0.5,
      b1: 0.9,
      b2: 0.5,
      eps: 1e-8,
      wd: 0,
      decoupled: false,
      amsgrad: false,
    });
    expect(want[2]).not.toEqual(plain[2]); // the max made a difference here
  });

  it('AdamW decays the weights directly (default λ = 0.01)', () => {
    const opt = new AdamW(params());
    expect([opt.lr, opt.betas, opt.eps, opt.weightDecay, opt.amsgrad]).toEqual([
      1e-3,
      [0.9, 0.999],
      1e-8,
      0.01,
      false,
    ]);
    const want = reference({
      lr: 0.1,
      b1: 0.9,
      b2: 0.999,
      eps: 1e-8,
      wd: 0.5,
      decoupled: true,
      amsgrad: false,
    });
    expectClose(
      run((ps) => new AdamW(ps, { lr: 0.1, weightDecay: 0.5 })),
      want,
    );
  });

  it('defaults follow PyTorch', () => {
    const adam = new Adam(params());
    expect([adam.lr, adam.betas, adam.eps, adam.weightDecay, adam.amsgrad]).toEqual([
      1e-3,
      [0.9, 0.999],
      1e-8,
      0,
      false,
    ]);
    const sgd = new SGD(params());
    expect([sgd.lr, sgd.momentum, sgd.dampening, sgd.nesterov, sgd.weightDecay]).toEqual([
      1e-3,
      0,
      0,
      false,
      0,
    ]);
  });
});

describe('optimizer behaviour shared by all', () => {
  const makers: [string, (ps: Value[]) => Optimizer][] = [
    ['SGD', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (ps) => new Adam(ps, { lr: 0.1 })],
    ['AdamW', (ps) => new AdamW(ps, { lr: 0.1 })],
  ];

  for (const [name, make] of makers) {
    it(`${name}: a non-finite gradient throws naming the parameter and changes nothing`, () => {
      const ps = params();
      const opt = make(ps);
      backwardQuadratic(ps);
      opt.step();
      const data = ps.map((p) => p.data);
      const state = JSON.stringify(opt.stateDict());
      opt.zeroGrad();
      backwardQuadratic(ps);
      (ps[1] as Value).grad = Number.NaN;
      expect(() => opt.step()).toThrow(RangeError);
      expect(() => opt.step()).toThrow(/parameter 1 \('p1'\) is NaN/);
      (ps[1] as Value).grad = Number.POSITIVE_INFINITY;
      expect(() => opt.step()).toThrow(/parameter 1 \('p1'\) is Infinity/);
      expect(ps.map((p) => p.data)).toEqual(data);
      expect(JSON.stringify(opt.stateDict())).toBe(state);
      expect(opt.stepCount).toBe(1);
    });

    it(`${name}: state saved after two steps and loaded into a fresh optimizer continues identically`, () => {
      const continued = run(make, 3);
      const ps = params();
      const opt = make(ps);
      for (let k = 0; k < 2; k++) {
        opt.zeroGrad();
        backwardQuadratic(ps);
        opt.step();
      }
      const saved = JSON.parse(JSON.stringify(opt.stateDict())) as unknown;
      const ps2 = ps.map((p) => new Value(p.data));
      const fresh = make(ps2);
      fresh.loadStateDict(saved);
      backwardQuadratic(ps2);
      fresh.step();
      expect(ps2.map((p) => p.data)).toEqual(continued[2]);
      expect(fresh.stepCount).toBe(3);
    });

    it(`${name}: a corrupt state is rejected and changes nothing`, () => {
      const ps = params();
      const opt = make(ps);
      backwardQuadratic(ps);
      opt.step();
      const before = JSON.stringify(opt.stateDict());
      const good = opt.stateDict() as unknown as Record<string, unknown>;
      const vectorKey = name === 'SGD' ? 'momentumBuffer' : 'expAvg';
      const corrupt = [
        { ...good, type: 'Other' },
        { ...good, lr: -1 },
        { ...good, [vectorKey]: [1] },
        { ...good, [vectorKey]: [1, Number.NaN] },
        { ...good, [vectorKey]: [1, '2'] },
        null,
      ];
      for (const c of corrupt) expect(() => opt.loadStateDict(c)).toThrow();
      expect(JSON.stringify(opt.stateDict())).toBe(before);
    });

    it(`${name}: lr must be a positive finite number`, () => {
      for (const lr of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
        const opt = make(params());
        expect(() => {
          opt.lr = lr;
        }).toThrow(RangeError);
        expect(opt.lr).toBe(0.1);
      }
      expect(() => {
        const opt = make(params());
        opt.lr = '0.1' as never;
      }).toThrow(TypeError);
    });
  }

  it('constructors check their arguments', () => {
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty/);
    expect(() => new SGD([1] as never, { lr: 0.1 })).toThrow(
      /params\[0\]\): expected a Value, received 1/,
    );
    const p = new Value(1);
    expect(() => new SGD([p, p], { lr: 0.1 })).toThrow(/twice/);
    expect(() => new SGD(params(), { lr: -1 })).toThrow(/new SGD\(options\.lr\).*-1/);
    expect(() => new SGD(params(), { lr: 0.1, nesterov: true })).toThrow(/Nesterov.*momentum > 0/);
    expect(() => new SGD(params(), { lr: 0.1, momentum: -0.5 })).toThrow(/momentum.*-0\.5/);
    expect(() => new SGD(params(), { learningRate: 0.1 } as never)).toThrow(
      /unknown option 'learningRate'/,
    );
    expect(() => new Adam(params(), { betas: [0.9, 1] })).toThrow(/betas\[1\]/);
    expect(() => new AdamW(params(), { lr: 0 })).toThrow(/new AdamW\(options\.lr\)/);
    expect(() => new AdamW(params(), { eps: -1 })).toThrow(/eps/);
  });

  it('skips frozen parameters (requiresGrad false), weight decay included', () => {
    const ps = params();
    (ps[0] as Value).requiresGrad = false;
    const opt = new AdamW(ps, { lr: 0.1, weightDecay: 0.5 });
    backwardQuadratic(ps);
    opt.step();
    expect(ps[0]?.data).toBe(0.5);
    expect(ps[1]?.data).not.toBe(0.25);
  });

  it('an update that would overflow throws and changes nothing', () => {
    const p = new Value(1e308);
    const opt = new SGD([p], { lr: 1e10 });
    p.grad = -1e300;
    expect(() => opt.step()).toThrow(/would make parameter 0 Infinity/);
    expect(p.data).toBe(1e308);
  });
});
