import { readFileSync } from 'node:fs';
import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { fit } from '../fit.js';
import { Linear } from '../linear.js';
import { mse } from '../losses.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

// PyTorch 1.13 (float64), written by scripts/torch-fixtures.py: five steps on
// 0.5·Σ cᵢ·(pᵢ − tᵢ)² with two parameter groups.
const { p0, c, t, trajectories } = (
  JSON.parse(
    readFileSync(new URL('../fixtures/torch-reference.json', import.meta.url), 'utf8'),
  ) as {
    paramGroups: {
      p0: number[];
      c: number[];
      t: number[];
      trajectories: Record<string, number[][]>;
    };
  }
).paramGroups;

function run(make: (ps: Value[]) => Optimizer): number[][] {
  const ps = p0.map((x) => new Value(x));
  const opt = make(ps);
  const out: number[][] = [];
  for (let step = 0; step < 5; step++) {
    opt.zeroGrad();
    // ∂/∂pᵢ of 0.5·cᵢ·(pᵢ − tᵢ)², set directly: the optimizer is what is under test.
    ps.forEach((p, i) => (p.grad = c[i]! * (p.data - t[i]!)));
    opt.step();
    out.push(ps.map((p) => p.data));
  }
  return out;
}

function expectTrajectory(got: number[][], want: number[][]): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, k) => row.forEach((x, i) => expect(x).toBeCloseTo(want[k]![i]!, 14)));
}

describe('parameter groups, as torch.optim (issue 18)', () => {
  it('SGD: weight decay on one group, its own lr and momentum on the other', () => {
    expectTrajectory(
      run(
        (ps) =>
          new SGD(
            [
              { params: ps.slice(0, 2), weightDecay: 0.1 },
              { params: ps.slice(2), lr: 0.05, momentum: 0.5 },
            ],
            { lr: 0.1, momentum: 0.9 },
          ),
      ),
      trajectories.SGD!,
    );
  });

  it('Adam: weight decay on one group, its own lr and betas on the other', () => {
    expectTrajectory(
      run(
        (ps) =>
          new Adam(
            [
              { params: ps.slice(0, 2), weightDecay: 0.1 },
              { params: ps.slice(2), lr: 0.01, betas: [0.8, 0.99] },
            ],
            { lr: 0.05 },
          ),
      ),
      trajectories.Adam!,
    );
  });

  it('AdamW: biases exempt from weight decay', () => {
    expectTrajectory(
      run(
        (ps) =>
          new AdamW([{ params: ps.slice(0, 2) }, { params: ps.slice(2), weightDecay: 0 }], {
            lr: 0.05,
            weightDecay: 0.3,
          }),
      ),
      trajectories.AdamW!,
    );
  });

  it('a step by hand: biases exempt from SGD weight decay', () => {
    const w = new Value(2);
    const b = new Value(2);
    const opt = new SGD([{ params: [w] }, { params: [b], weightDecay: 0 }], {
      lr: 0.1,
      weightDecay: 0.5,
    });
    w.grad = 1;
    b.grad = 1;
    opt.step();
    expect(w.data).toBeCloseTo(2 - 0.1 * (1 + 0.5 * 2), 15); // 1.8
    expect(b.data).toBeCloseTo(2 - 0.1 * 1, 15); // 1.9
  });

  it('state round-trips with its groups; bad groups are rejected', () => {
    const ps = p0.map((x) => new Value(x));
    const opt = new Adam([{ params: ps.slice(0, 2) }, { params: ps.slice(2), weightDecay: 0.2 }]);
    ps.forEach((p) => (p.grad = 1));
    opt.step();
    const saved = JSON.parse(JSON.stringify(opt.stateDict())) as ReturnType<Adam['stateDict']>;
    expect(saved.paramGroups?.map((g) => [g.size, g.weightDecay])).toEqual([
      [2, 0],
      [2, 0.2],
    ]);
    const again = new Adam([{ params: ps.slice(0, 2) }, { params: ps.slice(2), weightDecay: 0.2 }]);
    again.loadStateDict(saved);
    expect(JSON.stringify(again.stateDict())).toBe(JSON.stringify(saved));
    const { paramGroups: _groups, ...flat } = saved;
    expect(() => again.loadStateDict(flat)).toThrow(/has parameter groups, the state has none/);
    expect(() => new SGD([{ params: [new Value(1)], lerningRate: 1 } as never])).toThrow(
      /new SGD\(params\[0\]\): unknown option 'lerningRate'/,
    );
    const shared = new Value(1);
    expect(() => new SGD([{ params: [shared] }, { params: [shared] }])).toThrow(/appears twice/);
  });

  it('fit does not fuse a grouped SGD, and a schedule moves only groups without their own lr', () => {
    const model = new Linear(1, 1);
    model.loadStateDict({ weight: [[0]], bias: [0] });
    const opt = new SGD([{ params: model.weight[0]! }, { params: model.bias, lr: 0.05 }], {
      lr: 0.1,
    });
    const r = fit({
      model,
      data: { x: [[1]], y: [1] },
      loss: mse,
      optimizer: opt,
      epochs: 1,
      compile: true,
    });
    expect(r.fusedEpochs).toBe(0);
    // loss (w + b − 1)², gradient −2 for both at 0: w = 0.2, b = 0.1
    expect(model.weight[0]![0]!.data).toBeCloseTo(0.2, 15);
    expect(model.bias[0]!.data).toBeCloseTo(0.1, 15);
  });
});
