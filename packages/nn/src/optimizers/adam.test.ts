import type { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from './adam.js';
import { P0, backwardQuadratic, expectClose, grad, params, run } from './quadratic.test-support.js';
import { SGD } from './sgd.js';

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

describe('Adam and AdamW state that would overflow', () => {
  const makers: [string, (ps: Value[]) => Adam][] = [
    ['Adam', (ps) => new Adam(ps, { lr: 0.1 })],
    ['Adam with AMSGrad', (ps) => new Adam(ps, { lr: 0.1, amsgrad: true })],
    ['AdamW', (ps) => new AdamW(ps, { lr: 0.1 })],
  ];

  for (const [name, make] of makers) {
    it(`${name}: a gradient whose square overflows throws naming the parameter and changes nothing`, () => {
      const ps = params();
      const opt = make(ps);
      backwardQuadratic(ps);
      opt.step();
      const data = ps.map((p) => p.data);
      const state = JSON.stringify(opt.stateDict());
      // 1e200 is finite, but (1 − β₂)·g² = 1e-3·1e400 is not.
      opt.zeroGrad();
      backwardQuadratic(ps);
      (ps[1] as Value).grad = 1e200;
      const type = name.startsWith('AdamW') ? 'AdamW' : 'Adam';
      expect(() => opt.step()).toThrow(RangeError);
      expect(() => opt.step()).toThrow(
        `${type}.step: the update would make parameter 1 ('p1') hold a running mean square (expAvgSq) of Infinity, from its gradient 1e+200; no parameter was changed`,
      );
      expect(ps.map((p) => p.data)).toEqual(data);
      expect(JSON.stringify(opt.stateDict())).toBe(state);
      expect(opt.stepCount).toBe(1);
      // The state it kept is one its own loadStateDict accepts.
      expect(() => opt.loadStateDict(opt.stateDict())).not.toThrow();
    });
  }

  it('a running mean that would overflow is named too', () => {
    const ps = params();
    const opt = new Adam(ps, { lr: 0.1 });
    // m − g overflows for m = −1.7e308, g = 1.7e308: m + (1 − β₁)·(g − m) = ∞.
    opt.loadStateDict({ ...opt.stateDict(), expAvg: [0, -1.7e308] });
    const state = JSON.stringify(opt.stateDict());
    backwardQuadratic(ps);
    (ps[1] as Value).grad = 1.7e308;
    expect(() => opt.step()).toThrow(
      /parameter 1 \('p1'\) hold a running mean \(expAvg\) of Infinity/,
    );
    expect(JSON.stringify(opt.stateDict())).toBe(state);
    expect(ps.map((p) => p.data)).toEqual(P0);
  });
});
