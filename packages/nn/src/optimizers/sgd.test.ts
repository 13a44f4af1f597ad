import { describe, expect, it } from 'vitest';
import { P0, expectClose, grad, run } from './quadratic.test-support.js';
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
