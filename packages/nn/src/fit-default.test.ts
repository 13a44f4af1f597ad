import { add, TraceError, Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { fit, fitAsync, type FitMode, type FitResult, type Steppable } from './fit.js';
import { MIN_COMPILED_UPDATES } from './fit-plan.js';
import { Linear } from './linear.js';
import { binaryCrossEntropyWithLogits, hinge, mse } from './losses.js';
import { MLP } from './mlp.js';
import { Adam } from './optimizers/adam.js';
import { SGD } from './optimizers/sgd.js';
import { seededRandom } from './random.js';

/** Two interleaved half-moons, labels ±1 (or 0/1 with `zeroOne`), a little noise. */
function moons(n: number, seed: number, zeroOne = false): { x: number[][]; y: number[] } {
  const r = seededRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const upper = i % 2 === 0;
    const t = Math.PI * r();
    const [cx, cy] = upper ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    x.push([cx + 0.1 * (r() - 0.5), cy + 0.1 * (r() - 0.5)]);
    y.push(upper ? 1 : zeroOne ? 0 : -1);
  }
  return { x, y };
}

/** Two interleaved spirals, labels 0/1. */
function spirals(n: number, seed: number): { x: number[][]; y: number[] } {
  const r = seededRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const arm = i % 2;
    const t = (3 * Math.PI * (Math.floor(i / 2) + r())) / (n / 2);
    const s = arm === 0 ? 1 : -1;
    x.push([(s * t * Math.cos(t)) / 10, (s * t * Math.sin(t)) / 10]);
    y.push(arm);
  }
  return { x, y };
}

interface Problem {
  name: string;
  data: { x: number[][]; y: number[] };
  /** A fresh model (the same initial weights every call), its loss and optimizer. */
  make: () => {
    params: Value[];
    model: Linear | MLP;
    loss: (out: Value[][], y: (number | Value)[]) => Value;
    optimizer: Steppable;
  };
}

const PROBLEMS: Problem[] = [
  {
    name: 'the line (Linear(1, 1), mse)',
    data: {
      x: [2, 5, -1, 3, 0.5, 1.5, -2, 4, 1, -0.5, 2.5, 0].map((v) => [v]),
      y: [17, 32, 2, 22, 9.5, 14.5, -3, 27, 12, 4.5, 19.5, 7],
    },
    make: () => {
      const model = new Linear(1, 1);
      model.loadStateDict({ weight: [[0]], bias: [5] });
      const params = model.parameters();
      return { model, params, loss: mse, optimizer: new SGD(params, { lr: 0.01 }) };
    },
  },
  {
    name: 'the moons MLP (2-16-16-1 relu, hinge)',
    data: moons(12, 4),
    make: () => {
      const model = new MLP(2, [16, 16, 1], { random: seededRandom(1337) });
      const params = model.parameters();
      return { model, params, loss: hinge, optimizer: new SGD(params, { lr: 0.05 }) };
    },
  },
  {
    name: 'a spirals MLP (2-8-8-1 tanh, BCE with logits, Adam)',
    data: spirals(12, 9),
    make: () => {
      const model = new MLP(2, [8, 8, 1], { activation: 'tanh', random: seededRandom(2) });
      const params = model.parameters();
      return {
        model,
        params,
        loss: binaryCrossEntropyWithLogits,
        optimizer: new Adam(params, { lr: 0.01 }),
      };
    },
  },
];

// 12 samples: online (12 updates an epoch), batches of 5 (two and a remainder of 2),
// of 4 (three, no remainder), and the whole batch.
const MODES: [string, FitMode, number][] = [
  ['online', 'online', 12],
  ['mini-batches of 5, with a remainder of 2', { batchSize: 5 }, 3],
  ['mini-batches of 4, no remainder', { batchSize: 4 }, 3],
  ['batch', 'batch', 1],
];

/** Enough epochs that every batch size, the remainder's included, is compiled by default. */
function epochsFor(perEpoch: number, remainder: boolean): number {
  return remainder ? MIN_COMPILED_UPDATES : Math.ceil(MIN_COMPILED_UPDATES / perEpoch);
}

function train(
  problem: Problem,
  mode: FitMode,
  epochs: number,
  compile: false | undefined,
): { result: FitResult; params: number[]; losses: number[] } {
  const { model, params, loss, optimizer } = problem.make();
  const losses: number[] = [];
  const result = fit({
    model,
    data: problem.data,
    loss,
    optimizer,
    mode,
    epochs,
    shuffle: 3,
    ...(compile === undefined ? {} : { compile }),
    onEpoch: (info) => losses.push(info.loss),
  });
  return { result, params: params.map((p) => p.data), losses };
}

function expectSameBits(got: number[], want: number[], what: string): void {
  expect(got).toHaveLength(want.length);
  const differing = got.filter((v, i) => !Object.is(v, want[i]));
  expect(differing, what).toEqual([]);
}

describe('fit compiles by default (issue 17)', () => {
  for (const problem of PROBLEMS) {
    for (const [modeName, mode, perEpoch] of MODES) {
      it(`${problem.name}, ${modeName}: compiled by default, every parameter and history entry bit for bit those of compile: false`, () => {
        const epochs = epochsFor(perEpoch, typeof mode === 'object' && 12 % mode.batchSize !== 0);
        const eager = train(problem, mode, epochs, false);
        const auto = train(problem, mode, epochs, undefined);
        expect(eager.result).toMatchObject({ compiled: false, reason: 'compile: false' });
        expect(auto.result.compiled).toBe(true);
        expect(auto.result).not.toHaveProperty('reason');
        // It trained: the last epoch's loss is below the first's.
        expect(eager.result.history.at(-1)).toBeLessThan(eager.result.history[0] as number);
        expectSameBits(auto.result.history, eager.result.history, 'history');
        expectSameBits(auto.losses, eager.losses, 'onEpoch losses');
        expectSameBits(auto.params, eager.params, 'parameters');
        expect(auto.result.steps).toBe(eager.result.steps);
      });
    }
  }

  it('fitAsync compiles by default too, with fit’s numbers; evaluate reads the trained model', async () => {
    const problem = PROBLEMS[1] as Problem;
    const epochs = epochsFor(12, false);
    const eager = train(problem, 'online', epochs, false);
    const { model, params, loss, optimizer } = problem.make();
    const result = await fitAsync({
      model,
      data: problem.data,
      loss,
      optimizer,
      epochs,
      shuffle: 3,
      yieldEveryMs: 0,
    });
    expect(result.compiled).toBe(true);
    expectSameBits(result.history, eager.result.history, 'history');
    expectSameBits(
      params.map((p) => p.data),
      eager.params,
      'parameters',
    );
    // The trained moons are mostly on the right side of 0: hinge's margin is met.
    const { accuracy, loss: l } = evaluate({ model, data: problem.data, loss: hinge });
    expect(accuracy).toBeGreaterThanOrEqual(0.75);
    expect(l).toBeLessThan(eager.result.history[0] as number);
  });

  it('a loss that reads .data while it is recorded trains eagerly, with compiled: false and the TraceError as the reason', () => {
    // |out − y| written with a JavaScript if on .data: its graph depends on the data.
    const branching = (out: Value[][], y: (number | Value)[]): Value => {
      const d = add(out[0]?.[0] as Value, 0).sub(y[0] as Value);
      return d.data >= 0 ? d : d.neg();
    };
    const run = (compile: false | undefined) => {
      const model = new Linear(1, 1);
      model.loadStateDict({ weight: [[0]], bias: [5] });
      const result = fit({
        model,
        data: { x: [[2], [5], [-1]], y: [17, 32, 2] },
        loss: branching,
        optimizer: new SGD(model.parameters(), { lr: 0.01 }),
        epochs: MIN_COMPILED_UPDATES,
        ...(compile === undefined ? {} : { compile }),
      });
      return { result, params: model.parameters().map((p) => p.data) };
    };
    const auto = run(undefined);
    const eager = run(false);
    expect(auto.result.compiled).toBe(false);
    // The message compile's TraceError gives: it names .data.
    expect(auto.result.reason).toMatch(/\.data/);
    expect(auto.result.fusedEpochs).toBe(0);
    expectSameBits(auto.result.history, eager.result.history, 'history');
    expectSameBits(auto.params, eager.params, 'parameters');
    // |1·0 + 5 − 17| = 12 for the first sample: the first epoch's mean is over 12, 27, 7.
    expect(eager.result.history[0]).toBeLessThan((12 + 27 + 7) / 3);
    // compile: true insists, and throws before the first update, naming the option.
    expect(() =>
      fit({
        model: new Linear(1, 1),
        data: { x: [[2]], y: [17] },
        loss: branching,
        optimizer: new SGD([new Value(0)], { lr: 0.01 }),
        epochs: 1,
        compile: true,
      }),
    ).toThrow(/^fit\(options\.compile\): could not compile the loss over a batch of 1 samples: /);
  });

  /** The line, trained with `loss`, by default or with compile: false. */
  function line(
    loss: (out: Value[][], y: (number | Value)[]) => Value,
    compile: false | undefined,
    epochs = MIN_COMPILED_UPDATES,
  ) {
    const model = new Linear(1, 1);
    model.loadStateDict({ weight: [[0]], bias: [5] });
    const result = fit({
      model,
      data: { x: [[2], [5], [-1]], y: [17, 32, 2] },
      loss,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      epochs,
      ...(compile === undefined ? {} : { compile }),
    });
    return { result, params: model.parameters().map((p) => p.data) };
  }

  it('a TraceError thrown from inside the loss while it is recorded (a read trap) is a fallback, with its message as the reason', () => {
    const trapped = (out: Value[][], y: (number | Value)[]): Value => {
      if (y[0] instanceof Value) throw new TraceError('fit: read .data of a target', '.data');
      return mse(out, y);
    };
    const auto = line(trapped, undefined);
    expect(auto.result).toMatchObject({ compiled: false, reason: 'fit: read .data of a target' });
    const eager = line(mse, false);
    expectSameBits(auto.result.history, eager.result.history, 'history');
    expectSameBits(auto.params, eager.params, 'parameters');
  });

  it('a loss that refuses Value targets (as a class index must be a number) trains eagerly by default, and compile: true names the option', () => {
    const numbersOnly = (out: Value[][], y: (number | Value)[]): Value => {
      if (typeof y[0] !== 'number') throw new TypeError('myLoss(targets[0]): expected a number');
      return mse(out, y);
    };
    const auto = line(numbersOnly, undefined);
    expect(auto.result.compiled).toBe(false);
    expect(auto.result.reason).toBe(
      'the forward pass or the loss threw when recorded with Value inputs: myLoss(targets[0]): expected a number',
    );
    const eager = line(mse, false);
    expectSameBits(auto.result.history, eager.result.history, 'history');
    expectSameBits(auto.params, eager.params, 'parameters');
    expect(() =>
      fit({
        model: new Linear(1, 1),
        data: { x: [[2]], y: [17] },
        loss: numbersOnly,
        optimizer: new SGD([new Value(0)], { lr: 0.01 }),
        epochs: 1,
        compile: true,
      }),
    ).toThrow(
      /^fit\(options\.compile\): could not compile the loss over a batch of 1 samples: myLoss\(targets\[0\]\): expected a number$/,
    );
  });

  it('a run too short to repay compiling stays eager, and says so', () => {
    // 3 samples online: 3 updates an epoch.
    const epochs = Math.floor((MIN_COMPILED_UPDATES - 1) / 3);
    const short = line(mse, undefined, epochs);
    expect(short.result.compiled).toBe(false);
    expect(short.result.reason).toBe(
      `too few updates to repay compiling: ${3 * epochs} of 1 sample (compile: 'auto' compiles from ${MIN_COMPILED_UPDATES})`,
    );
    expect(line(mse, undefined, epochs + 1).result.compiled).toBe(true);
    // compile: true compiles whatever the length.
    const model = new Linear(1, 1);
    const once = fit({
      model,
      data: { x: [[2]], y: [17] },
      loss: mse,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      epochs: 1,
      compile: true,
    });
    expect(once.compiled).toBe(true);
  });

  it('an optimizer that does not declare plain descent is stepped, compiled, with the numbers of compile: false', () => {
    /** Plain SGD written by hand: a user's optimizer, which declares nothing. */
    const handSGD = (params: Value[]): Steppable => ({
      lr: 0.01,
      zeroGrad() {
        for (const p of params) p.grad = 0;
      },
      step() {
        for (const p of params) p.data -= this.lr * p.grad;
      },
    });
    const run = (compile: false | undefined) => {
      const model = new Linear(1, 1);
      model.loadStateDict({ weight: [[0]], bias: [5] });
      const result = fit({
        model,
        data: { x: [[2], [5], [-1]], y: [17, 32, 2] },
        loss: mse,
        optimizer: handSGD(model.parameters()),
        epochs: MIN_COMPILED_UPDATES,
        ...(compile === undefined ? {} : { compile }),
      });
      return { result, params: model.parameters().map((p) => p.data) };
    };
    const auto = run(undefined);
    expect(auto.result).toMatchObject({ compiled: true, fusedEpochs: 0 });
    const eager = run(false);
    expectSameBits(auto.result.history, eager.result.history, 'history');
    expectSameBits(auto.params, eager.params, 'parameters');
    // This package's plain SGD declares it, and runs fused: the same numbers again.
    const fused = line(mse, undefined);
    expect(fused.result.fusedEpochs).toBe(MIN_COMPILED_UPDATES);
    expectSameBits(fused.params, eager.params, 'parameters');
  });
});
