import { add, Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { evaluate, fit, type StepInfo } from './fit.js';
import { Linear } from './linear.js';
import { hinge, l2Penalty, mse } from './losses.js';
import { MLP } from './mlp.js';
import { SGD } from './optimizers/sgd.js';
import { seededRandom } from './random.js';
import { linearDecay } from './schedules.js';

// The notebook's problem: y = m·x + c with m = 5, c = 7, two samples x ∈ {2, 5},
// learning rate 0.02, squared error summed. The start is m = 0, c = 5: from
// m = c = 0 batch descent needs ~700 epochs to show 7.00 (its slow direction
// shrinks by 1 − 0.02·0.586 per epoch), so 500 epochs would not reach it.
const X = [2, 5];
const M_TRUE = 5;
const C_TRUE = 7;
const Y = X.map((x) => M_TRUE * x + C_TRUE);
const LR = 0.02;
const START = { m: 0, c: 5 };
const EPOCHS = 500;

/** The notebook's hand-derived updates, in plain arithmetic; (m, c) after each epoch. */
function handDerived(mode: 'online' | 'batch'): { m: number; c: number }[] {
  let { m, c } = START;
  const out: { m: number; c: number }[] = [];
  for (let e = 0; e < EPOCHS; e++) {
    if (mode === 'online') {
      for (let i = 0; i < X.length; i++) {
        const x = X[i] as number;
        const pred = m * x + c;
        // L = (pred − y)²: dL/dm = 2(pred − y)·x, dL/dc = 2(pred − y)
        const dm = 2 * (pred - (Y[i] as number)) * x;
        const dc = 2 * (pred - (Y[i] as number));
        m -= LR * dm;
        c -= LR * dc;
      }
    } else {
      let dm = 0;
      let dc = 0;
      for (let i = 0; i < X.length; i++) {
        const x = X[i] as number;
        const pred = m * x + c;
        dm += 2 * (pred - (Y[i] as number)) * x;
        dc += 2 * (pred - (Y[i] as number));
      }
      m -= LR * dm;
      c -= LR * dc;
    }
    out.push({ m, c });
  }
  return out;
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('fit on the notebook two-sample problem', () => {
  for (const mode of ['online', 'batch'] as const) {
    it(`${mode} SGD gives the hand-derived m and c at every epoch and reaches m = 5.00, c = 7.00`, () => {
      const model = new Linear(1, 1);
      model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
      const m = model.weight[0]?.[0] as Value;
      const c = model.bias[0] as Value;
      const expected = handDerived(mode);
      const seen: { m: number; c: number }[] = [];
      const { history, steps } = fit({
        model,
        data: { x: X.map((x) => [x]), y: Y },
        loss: (out, y) => mse(out, y, { reduction: 'sum' }),
        optimizer: new SGD(model.parameters(), { lr: LR }),
        mode,
        epochs: EPOCHS,
        onEpoch: () => seen.push({ m: m.data, c: c.data }),
      });
      expect(history).toHaveLength(EPOCHS);
      expect(steps).toBe(mode === 'online' ? 2 * EPOCHS : EPOCHS);
      expect(seen).toHaveLength(EPOCHS);
      let worst = 0;
      seen.forEach((got, e) => {
        const want = expected[e] as { m: number; c: number };
        worst = Math.max(worst, relErr(got.m, want.m), relErr(got.c, want.c));
      });
      expect(worst).toBeLessThan(1e-12);
      expect(m.data.toFixed(2)).toBe('5.00');
      expect(c.data.toFixed(2)).toBe('7.00');
      // The batch loss of the first epoch is Σ(m·x + c − y)² at the start.
      if (mode === 'batch') {
        const l0 = X.reduce((s, x, i) => s + (START.m * x + START.c - (Y[i] as number)) ** 2, 0);
        expect(history[0]).toBe(l0);
      }
    });
  }

  it('mini-batches of 1 are the online run, and a mini-batch of 2 is the batch run', () => {
    const run = (mode: 'online' | 'batch' | { batchSize: number }): number[] => {
      const model = new Linear(1, 1);
      model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
      fit({
        model,
        data: { x: X.map((x) => [x]), y: Y },
        loss: (out, y) => mse(out, y, { reduction: 'sum' }),
        optimizer: new SGD(model.parameters(), { lr: LR }),
        mode,
        epochs: 20,
      });
      return model.parameters().map((p) => p.data);
    };
    expect(run({ batchSize: 1 })).toEqual(run('online'));
    expect(run({ batchSize: 2 })).toEqual(run('batch'));
  });
});

/** sklearn's make_moons(n, noise) with a tiny seeded generator (mulberry32 + Box–Muller), written here. */
function makeMoons(n: number, noise: number, seed: number): { x: number[][]; y: number[] } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = (Math.PI * i) / (nOut - 1);
    x.push([Math.cos(t) + noise * gauss(), Math.sin(t) + noise * gauss()]);
    y.push(-1); // micrograd: y*2 - 1, the outer moon is class 0
  }
  for (let i = 0; i < nIn; i++) {
    const t = (Math.PI * i) / (nIn - 1);
    x.push([1 - Math.cos(t) + noise * gauss(), 1 - Math.sin(t) - 0.5 + noise * gauss()]);
    y.push(1);
  }
  return { x, y };
}

describe("fit on micrograd's moons demo", () => {
  it('an MLP 2-16-16-1 with hinge loss and L2 reaches 100% training accuracy', () => {
    const data = makeMoons(100, 0.1, 1);
    const model = new MLP(2, [16, 16, 1], { random: seededRandom(1337) });
    expect(model.numParameters).toBe(2 * 16 + 16 + 16 * 16 + 16 + 16 + 1); // 337, as micrograd
    const params = model.parameters();
    const loss = (out: Value[][], y: number[]): Value =>
      add(hinge(out, y), l2Penalty(params, 1e-4));
    const accuracies: number[] = [];
    const { history } = fit({
      model,
      data,
      loss,
      optimizer: new SGD(params, { lr: 1 }),
      mode: 'batch',
      epochs: 100,
      schedule: linearDecay(1, { steps: 100 }), // 1 − 0.9·k/100
      onEpoch: () => accuracies.push(evaluate({ model, data, loss }).accuracy),
    });
    expect(accuracies[99]).toBe(1);
    expect(history[99]).toBeLessThan(history[0] as number);
  });
});

describe('fit and evaluate', () => {
  const data = { x: [[1], [2], [3], [4], [5]], y: [3, 5, 7, 9, 11] };

  it('reports progress on every step and epoch, and stops early when asked', () => {
    const model = new Linear(1, 1, { random: seededRandom(3) });
    const steps: StepInfo[] = [];
    const result = fit({
      model,
      data,
      loss: mse,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      mode: { batchSize: 2 },
      epochs: 4,
      onStep: (info) => {
        steps.push(info);
        if (info.globalStep === 7) info.stop();
      },
    });
    // 5 samples in batches of 2: 3 updates per epoch (2, 2, 1 samples).
    expect(steps.map((s) => s.samples).slice(0, 3)).toEqual([2, 2, 1]);
    expect(steps[0]).toMatchObject({
      epoch: 1,
      epochs: 4,
      step: 1,
      stepsPerEpoch: 3,
      totalSteps: 12,
    });
    expect(steps.map((s) => s.progress)).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => k / 12));
    expect(result).toMatchObject({ steps: 7, stopped: true, epochs: 3 });
    // epoch loss = Σ samples·loss / samples
    const [a, b, c] = steps;
    expect(result.history[0]).toBeCloseTo(
      ((a?.loss ?? 0) * 2 + (b?.loss ?? 0) * 2 + (c?.loss ?? 0) * 1) / 5,
      14,
    );
  });

  it('onEpoch can stop training', () => {
    const model = new Linear(1, 1, { random: seededRandom(3) });
    const result = fit({
      model,
      data,
      loss: mse,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      epochs: 10,
      onEpoch: (info) => {
        if (info.epoch === 2) info.stop();
      },
    });
    expect(result).toMatchObject({ epochs: 2, steps: 10, stopped: true });
  });

  it('shuffles deterministically from a seed, and the schedule sets lr per update', () => {
    const run = (shuffle: number | undefined): { order: number[]; lrs: number[] } => {
      const order: number[] = [];
      const lrs: number[] = [];
      const model = new Linear(1, 1, { random: seededRandom(3) });
      fit({
        forward: (x) => {
          order.push(x[0] as number);
          return model.forward(x);
        },
        parameters: model.parameters(),
        data,
        loss: mse,
        optimizer: new SGD(model.parameters(), { lr: 0.01 }),
        epochs: 2,
        ...(shuffle === undefined ? {} : { shuffle }),
        schedule: (k) => 0.01 / (k + 1),
        onStep: (info) => lrs.push(info.lr),
      });
      return { order, lrs };
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(undefined).order).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(a.order.slice(0, 5).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(a.order).not.toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(a.lrs).toEqual(Array.from({ length: 10 }, (_, k) => 0.01 / (k + 1)));
  });

  it('evaluate computes loss and accuracy without building a graph', () => {
    const model = new Linear(2, 1);
    model.loadStateDict({ weight: [[1, -1]], bias: [0] });
    const x = [
      [2, 1],
      [0, 3],
      [1, 0.5],
      [1, 2],
    ];
    const y = [1, -1, -1, 1]; // scores 1, −3, 0.5, −1: right, right, wrong, wrong
    let root: Value | undefined;
    const result = evaluate({
      model,
      data: { x, y },
      loss: (out, t) => {
        root = hinge(out, t);
        return root;
      },
    });
    expect(result.accuracy).toBe(0.5);
    // hinge terms relu(1 − y·s): 0, 0, 1.5, 2 → mean 0.875
    expect(result.loss).toBe(0.875);
    expect(root?.isLeaf).toBe(true);
    expect(root?.requiresGrad).toBe(false);
    const multi = evaluate({
      forward: (v) => [new Value(v[0] as number), new Value(v[1] as number)],
      data: { x, y: [0, 1, 0, 1] },
      loss: () => new Value(0),
    });
    expect(multi.accuracy).toBe(1); // argmax 0, 1, 0, 1
  });

  it('rejects bad input with messages naming the argument, and a failed update changes nothing', () => {
    const model = new Linear(1, 1, { random: seededRandom(3) });
    const optimizer = new SGD(model.parameters(), { lr: 0.01 });
    const base = { model, data, loss: mse, optimizer, epochs: 1 };
    expect(() => fit({ ...base, mode: { batchSize: 6 } })).toThrow(
      /batchSize.*\[1, 5\].*received 6/,
    );
    expect(() => fit({ ...base, mode: { batchSize: 0 } })).toThrow(RangeError);
    expect(() => fit({ ...base, mode: 'full' as never })).toThrow(/options\.mode/);
    expect(() => fit({ ...base, epochs: 0 })).toThrow(/epochs.*received 0/);
    expect(() => fit({ ...base, data: { x: [[1], [2]], y: [1] } })).toThrow(
      /2 inputs and 1 targets/,
    );
    expect(() => fit({ ...base, data: { x: [[1, 2]], y: [1] } })).toThrow(
      /length 1.*received length 2/,
    );
    expect(() => fit({ ...base, forward: (x: readonly number[]) => model.forward(x) })).toThrow(
      /exactly one/,
    );
    expect(() => fit({ ...base, lr: 0.1 } as never)).toThrow(/unknown option 'lr'/);
    const before = model.parameters().map((p) => p.data);
    expect(() => fit({ ...base, data: { x: [[1e200]], y: [0] } })).toThrow(
      /gradient of parameter 0 \('weight\.0\.0'\)/,
    );
    expect(model.parameters().map((p) => p.data)).toEqual(before);
  });
});
