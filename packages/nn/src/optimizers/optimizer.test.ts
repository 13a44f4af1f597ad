import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { backwardQuadratic, params, run } from './quadratic.test-support.js';
import { SGD } from './sgd.js';

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

    it(`${name}: an update that fails after computing leaves state and parameters as they were`, () => {
      const want = run(make, 3);
      const ps = params();
      const opt = make(ps);
      for (let k = 0; k < 3; k++) {
        opt.zeroGrad();
        backwardQuadratic(ps);
        if (k === 1) {
          // Every new value is computed before the check finds it infinite.
          const lr = opt.lr;
          opt.lr = 1e308;
          (ps[0] as Value).grad = 1e300;
          expect(() => opt.step()).toThrow(/would make parameter 0/);
          expect(opt.stepCount).toBe(1);
          opt.lr = lr;
          opt.zeroGrad();
          backwardQuadratic(ps);
        }
        opt.step();
        expect(ps.map((p) => p.data)).toEqual(want[k]);
      }
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
      /params\[0\]\): expected a Value, received number 1/,
    );
    const p = new Value(1);
    expect(() => new SGD([p, p], { lr: 0.1 })).toThrow(/twice/);
    expect(() => new SGD([p.mul(2)], { lr: 0.1 })).toThrow(/params\[0\].*leaf.*'\*'/);
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
