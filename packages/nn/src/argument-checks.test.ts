import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from './activation.js';
import { checkFinite, checkOneOf, describe as describeValue } from './argument-checks.js';
import { fit } from './fit.js';
import { Linear } from './linear.js';
import { binaryCrossEntropyWithLogits, l2Penalty, mse, softmaxCrossEntropy } from './losses.js';
import { MLP } from './mlp.js';
import { Neuron } from './neuron.js';
import { Adam } from './optimizers/adam.js';
import { SGD } from './optimizers/sgd.js';

// A hole is a missing element (`[a, , b]`): forEach, map and every skip it, so
// each boundary that takes an array must find it and name it.
const hole = /is missing \(a hole in a sparse array\)/;

/** A copy of `xs` with element `at` deleted: a hole, not an undefined. */
function withHole<T>(xs: readonly T[], at: number): T[] {
  const out = xs.slice();
  // eslint-disable-next-line @typescript-eslint/no-array-delete
  delete out[at];
  return out;
}

describe('sparse arrays are rejected at every boundary (issue 18)', () => {
  it('optimizers: new SGD([a, , b]) and holes in saved state', () => {
    const a = new Value(1);
    const b = new Value(2);
    expect(() => new SGD(withHole([a, a, b], 1))).toThrow(TypeError);
    expect(() => new SGD(withHole([a, a, b], 1))).toThrow(
      /new SGD\(params\): params\[1\] is missing/,
    );
    const sgd = new SGD([a, b], { momentum: 0.9 });
    const saved = sgd.stateDict();
    const before = JSON.stringify(saved);
    const momentumBuffer: (number | null)[] = [0.5];
    momentumBuffer.length = 2; // [0.5, <hole>]
    expect(() => sgd.loadStateDict({ ...saved, momentumBuffer })).toThrow(
      /state\.momentumBuffer\[1\] is missing/,
    );
    expect(JSON.stringify(sgd.stateDict())).toBe(before);
    const adam = new Adam([a, b]);
    const expAvg = [0];
    expAvg.length = 2;
    expect(() => adam.loadStateDict({ ...adam.stateDict(), expAvg })).toThrow(
      /state\.expAvg\[1\] is missing/,
    );
    expect(() => new Adam([a], { betas: withHole([0.9, 0.9], 0) as never })).toThrow(
      /betas\[0\] is missing/,
    );
  });

  it('modules: MLP sizes and activations, forward inputs, loadStateDict', () => {
    expect(() => new MLP(2, withHole([4, 4, 1], 1))).toThrow(/sizes\[1\] is missing/);
    expect(() => new MLP(2, [4, 4, 1], { activation: new Array(2) as never })).toThrow(
      /activation\[0\] is missing/,
    );
    expect(() => new Neuron(2).forward(withHole([1, 1], 1))).toThrow(/x\[1\] is missing/);
    const model = new Linear(2, 1);
    const w = model.weight[0]!.map((v) => v.data);
    const row = [0.5];
    row.length = 2;
    expect(() => model.loadStateDict({ weight: [row], bias: [1] })).toThrow(
      /'weight\[0\]'\[1\] is missing/,
    );
    expect(() => model.loadStateDict({ weight: new Array(1), bias: [1] })).toThrow(
      /'weight'\[0\] is missing/,
    );
    expect(model.weight[0]!.map((v) => v.data)).toEqual(w);
  });

  it('losses and fit: predictions, targets, logits rows, params, data', () => {
    const a0 = new Value(0);
    expect(() => mse(withHole([1, 2, 3], 1), [1, 2, 3])).toThrow(/predictions\[1\] is missing/);
    expect(() => binaryCrossEntropyWithLogits([1, 2], withHole([1, 1], 1))).toThrow(hole);
    expect(() => softmaxCrossEntropy([withHole([1, 2, 3], 1)], [0])).toThrow(/logits\[0\]\[1\]/);
    expect(() => l2Penalty(withHole([new Value(1), a0, new Value(2)], 1), 1)).toThrow(hole);
    const model = new Linear(1, 1);
    const optimizer = new SGD(model.parameters());
    const x = [[1], [2]];
    x.length = 3;
    expect(() =>
      fit({ model, data: { x, y: [1, 2, 3] }, loss: mse, optimizer, epochs: 1 }),
    ).toThrow(/data\.x\[2\] is missing/);
    expect(() =>
      fit({
        model,
        data: { x: [[1], [2]], y: withHole([1, 1], 1) },
        loss: mse,
        optimizer,
        epochs: 1,
      }),
    ).toThrow(/data\.y\[1\] is missing/);
    const f = (v: readonly number[]) => model.forward(v);
    expect(() =>
      fit({
        forward: f,
        parameters: new Array(2) as Value[],
        data: { x: [[1]], y: [1] },
        loss: mse,
        optimizer,
        epochs: 1,
      }),
    ).toThrow(/parameters\[0\] is missing/);
  });
});

// One style with @ag/core and @ag/data (issue 18): checkX(value, arg), messages
// "arg: expected …, received …", and one wording for an unknown option.
describe('argument checks read as in @ag/core and @ag/data', () => {
  it('value first, then the argument; "expected …, received …"', () => {
    expect(() => checkFinite(NaN, 'huber(options.delta)')).toThrow(
      /^huber\(options\.delta\): expected a finite number, received NaN$/,
    );
    expect(() => checkFinite('1', 'huber(options.delta)')).toThrow(
      /^huber\(options\.delta\): expected a number, received string "1"$/,
    );
    expect(() => checkOneOf('x', 'new Neuron(options.activation)', ACTIVATIONS)).toThrow(
      /^new Neuron\(options\.activation\): expected 'linear', 'relu', 'tanh' or 'sigmoid', received string "x"$/,
    );
  });

  it("an unknown option reads \"unknown option 'key' (expected …)\", as in @ag/data's generators", () => {
    const model = new Linear(1, 1);
    expect(() =>
      fit({
        model,
        data: { x: [[1]], y: [1] },
        loss: mse,
        optimizer: new SGD(model.parameters()),
        epochs: 1,
        epoch: 3,
      } as never),
    ).toThrow(
      /^fit\(options\): unknown option 'epoch' \(expected 'model', .*'onEpoch' or 'compile'\)$/,
    );
    expect(() => new SGD(model.parameters(), { learningRate: 1 } as never)).toThrow(
      /^new SGD\(params, options\): unknown option 'learningRate' \(expected 'lr', 'momentum', 'dampening', 'nesterov' or 'weightDecay'\)$/,
    );
  });

  it("describes values as @ag/core's describe does", () => {
    expect(describeValue(2)).toBe('number 2');
    expect(describeValue('a')).toBe('string "a"');
    expect(describeValue(new Map())).toBe('an object (Map)');
    expect(describeValue(undefined)).toBe('undefined');
  });
});
