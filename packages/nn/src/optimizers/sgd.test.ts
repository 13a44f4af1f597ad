import { describe, expect, it } from 'vitest';
import { Value } from '@ag/core';
import { P0, expectClose, grad, run } from './quadratic.test-support.js';
import { Adam } from './adam.js';
import { SGD } from './sgd.js';

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

describe('SGD declares plain descent, for a fused loop, only when its step is exactly that', () => {
  it('plain SGD: { lr, the parameters that require a gradient }; momentum, weight decay, groups, a subclass or a replaced step: null', () => {
    const a = new Value(1);
    const b = new Value(2);
    const frozen = new Value(3, { requiresGrad: false });
    const plain = new SGD([a, frozen, b], { lr: 0.1 }).plainDescent();
    expect(plain?.lr).toBe(0.1);
    expect(plain?.params).toEqual([a, b]);
    expect(plain?.params[0]).toBe(a);
    class Clipped extends SGD {}
    const replaced = new SGD([a, b], { lr: 0.1 });
    replaced.step = () => undefined;
    for (const optimizer of [
      new SGD([a, b], { lr: 0.1, momentum: 0.9 }),
      new SGD([a, b], { lr: 0.1, weightDecay: 0.01 }),
      new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 }),
      new Clipped([a, b], { lr: 0.1 }),
      replaced,
      // step() refuses a frozen parameter that is not finite; a fused loop would not.
      new SGD([a, new Value(Number.NaN, { requiresGrad: false })], { lr: 0.1 }),
    ])
      expect(optimizer.plainDescent()).toBe(null);
    expect(new Adam([a, b], { lr: 0.1 }).plainDescent()).toBe(null);
  });

  it('countFusedSteps adds to stepCount, and refuses what is not a count, naming it', () => {
    const optimizer = new SGD([new Value(1)], { lr: 0.1 });
    optimizer.countFusedSteps(200);
    optimizer.countFusedSteps(0);
    expect(optimizer.stepCount).toBe(200);
    expect(() => optimizer.countFusedSteps(1.5)).toThrow(
      new RangeError('SGD.countFusedSteps(steps): expected an integer >= 0, received 1.5'),
    );
    expect(() => optimizer.countFusedSteps('2' as never)).toThrow(TypeError);
    expect(optimizer.stepCount).toBe(200);
  });
});
