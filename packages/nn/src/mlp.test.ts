import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { Layer } from './layer.js';
import { Linear } from './linear.js';
import { MLP } from './mlp.js';
import { Neuron } from './neuron.js';
import { seededRandom } from './random.js';

describe('Neuron', () => {
  it('is act(w·x + b) with one dot node under the activation', () => {
    const n = new Neuron(3, { activation: 'tanh', random: seededRandom(5) });
    n.loadStateDict({ w: [0.5, -1, 2], b: 0.25 });
    const y = n.forward([1, 2, 3]);
    // 0.5 − 2 + 6 + 0.25 = 4.75
    expect(y.op).toBe('tanh');
    expect(y.data).toBe(Math.tanh(4.75));
    const [d] = y.operands;
    expect(d?.op).toBe('dot');
    expect(d?.data).toBe(4.75);
    // relu(negative) = 0, linear is the dot node itself
    const lin = new Neuron(3, { activation: 'linear' });
    lin.loadStateDict({ w: [0.5, -1, 2], b: 0.25 });
    expect(lin.forward([1, 2, 3]).op).toBe('dot');
    const relu = new Neuron(1);
    relu.loadStateDict({ w: [-1], b: 0 });
    expect(relu.forward([3]).data).toBe(0);
  });

  it('accepts Value inputs and backpropagates into them', () => {
    const n = new Neuron(2, { activation: 'linear' });
    n.loadStateDict({ w: [3, -2], b: 1 });
    const x = [new Value(1), new Value(4)];
    const y = n.forward(x);
    y.backward();
    expect(y.data).toBe(3 - 8 + 1);
    expect(x.map((v) => v.grad)).toEqual([3, -2]);
    expect(n.w.map((w) => w.grad)).toEqual([1, 4]);
    expect(n.b.grad).toBe(1);
    n.zeroGrad();
    expect([...n.w, n.b].map((p) => p.grad)).toEqual([0, 0, 0]);
  });
});

describe('MLP', () => {
  it("has micrograd's structure: parameter count, names and labels", () => {
    const model = new MLP(2, [16, 16, 1], { random: seededRandom(1) });
    expect(model.numParameters).toBe(337);
    expect(model.parameterCount).toBe(337);
    expect(model.parameters()).toHaveLength(337);
    const names = model.namedParameters().map(([n]) => n);
    expect(names.slice(0, 3)).toEqual([
      'layers.0.neurons.0.w.0',
      'layers.0.neurons.0.w.1',
      'layers.0.neurons.0.b',
    ]);
    expect(names.at(-1)).toBe('layers.2.neurons.0.b');
    expect(new Set(names).size).toBe(337);
    expect(model.parameters()[1]?.label).toBe('layers.0.neurons.0.w.1');
    expect(Object.keys(model.stateDict())).toHaveLength(2 * 33);
  });

  it('applies a hidden activation per layer and a linear output by default', () => {
    const model = new MLP(2, [3, 3, 2], { activation: ['tanh', 'sigmoid'] });
    const out = model.forward([0.5, -0.5]);
    expect(out).toHaveLength(2);
    expect(out.map((v) => v.op)).toEqual(['dot', 'dot']);
    // A dot's operands are [w0, x0, w1, x1, ..., bias]: the xs are layer 1's sigmoids.
    expect(out[0]?.operands.map((v) => v.op)).toEqual([
      '',
      'sigmoid',
      '',
      'sigmoid',
      '',
      'sigmoid',
      '',
    ]);
    expect(model.layers.map((l) => l.activation)).toEqual(['tanh', 'sigmoid', 'linear']);
    const all = new MLP(2, [4, 1], { activation: 'linear', outputActivation: 'sigmoid' });
    expect(all.layers.map((l) => l.activation)).toEqual(['linear', 'sigmoid']);
  });

  it('computes the same numbers as the layers written out by hand', () => {
    const model = new MLP(2, [2, 1], { activation: 'relu' });
    model.loadStateDict({
      'layers.0.neurons.0.w': [1, 2],
      'layers.0.neurons.0.b': -1,
      'layers.0.neurons.1.w': [-1, 1],
      'layers.0.neurons.1.b': 0,
      'layers.1.neurons.0.w': [3, 5],
      'layers.1.neurons.0.b': 0.5,
    });
    // h = relu([1 + 4 − 1, −1 + 2]) = [4, 1]; y = 12 + 5 + 0.5
    const [y] = model.forward([1, 2]);
    expect(y?.data).toBe(17.5);
  });

  it('draws initial weights from the scheme, deterministically from the seed', () => {
    const weights = (m: MLP): number[] =>
      m
        .namedParameters()
        .filter(([n]) => !n.endsWith('.b'))
        .map(([, p]) => p.data);
    const a = weights(new MLP(4, [8, 2], { random: seededRandom(9) }));
    expect(weights(new MLP(4, [8, 2], { random: seededRandom(9) }))).toEqual(a);
    expect(weights(new MLP(4, [8, 2], { random: seededRandom(10) }))).not.toEqual(a);
    expect(weights(new MLP(4, [8, 2]))).toEqual(weights(new MLP(4, [8, 2]))); // the documented default seed
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.8); // uniform fills [−1, 1]
    // Layer 0 of MLP(100, [50]): xavier bound √(6/150) = 0.2, he bound √(6/100) ≈ 0.245
    const xavier = weights(new MLP(100, [50], { init: 'xavier', random: seededRandom(2) }));
    expect(Math.max(...xavier.map(Math.abs))).toBeLessThanOrEqual(0.2);
    expect(Math.max(...xavier.map(Math.abs))).toBeGreaterThan(0.19);
    const he = weights(new MLP(100, [50], { init: 'he', random: seededRandom(2) }));
    expect(Math.max(...he.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(0.06));
    expect(Math.max(...he.map(Math.abs))).toBeGreaterThan(0.24);
    expect(
      new MLP(2, [3])
        .namedParameters()
        .filter(([n]) => n.endsWith('.b'))
        .map(([, p]) => p.data),
    ).toEqual([0, 0, 0]);
  });

  it('rejects bad input with messages naming the argument and the values', () => {
    const model = new MLP(3, [4, 1]);
    expect(() => model.forward([1, 2])).toThrow(RangeError);
    expect(() => model.forward([1, 2])).toThrow(
      /MLP\.forward\(x\): expected x of length 3.*received length 2/,
    );
    expect(() => new Layer(3, 2).forward([1])).toThrow(/length 3.*received length 1/);
    expect(() => new Neuron(2).forward([1, 2, 3])).toThrow(/length 2.*received length 3/);
    expect(() => model.forward('abc' as never)).toThrow(TypeError);
    expect(() => new MLP(2, [3], { activation: 'gelu' as never })).toThrow(
      /activation.*'relu'.*received "gelu"/,
    );
    expect(() => new MLP(2, [3], { outputActivation: 'softmax' as never })).toThrow(
      /outputActivation.*"softmax"/,
    );
    expect(() => new MLP(2, [3, 1], { activation: ['relu', 'relu'] })).toThrow(
      /expected 1 activations.*received 2/,
    );
    expect(() => new MLP(2, [3], { init: 'normal' as never })).toThrow(/init.*"normal"/);
    expect(() => new MLP(0, [3])).toThrow(/nin.*received 0/);
    expect(() => new MLP(2, [])).toThrow(/sizes/);
    expect(() => new MLP(2, [3, 0])).toThrow(/sizes\[1\].*received 0/);
    expect(() => new MLP(2, [3], { random: () => 1 })).toThrow(/\[0, 1\).*returned 1/);
    expect(() => new MLP(2, [3], { random: 42 as never })).toThrow(TypeError);
  });
});

describe('Linear', () => {
  it('is y = m·x + c for Linear(1, 1), PyTorch shapes for more', () => {
    const model = new Linear(1, 1);
    model.loadStateDict({ weight: [[5]], bias: [7] });
    expect(model.forward([2])[0]?.data).toBe(17);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['weight.0.0', 'bias.0']);
    const wide = new Linear(3, 2);
    wide.loadStateDict({
      weight: [
        [1, 2, 3],
        [-1, 0, 1],
      ],
      bias: [0.5, -0.5],
    });
    expect(wide.forward([1, 1, 2]).map((v) => v.data)).toEqual([9.5, 0.5]);
    expect(wide.numParameters).toBe(8);
  });
});

describe('stateDict / loadStateDict', () => {
  it('saves as plain JSON and loads into a fresh model: identical predictions', () => {
    const trained = new MLP(2, [5, 3], { activation: 'tanh', random: seededRandom(1) });
    const text = JSON.stringify(trained.stateDict());
    const fresh = new MLP(2, [5, 3], { activation: 'tanh', random: seededRandom(2) });
    const x = [0.3, -1.7];
    expect(fresh.forward(x).map((v) => v.data)).not.toEqual(trained.forward(x).map((v) => v.data));
    fresh.loadStateDict(JSON.parse(text));
    expect(fresh.forward(x).map((v) => v.data)).toEqual(trained.forward(x).map((v) => v.data));
    expect(fresh.parameters().map((p) => p.data)).toEqual(trained.parameters().map((p) => p.data));
  });

  it('a corrupt state throws and leaves every parameter untouched', () => {
    const model = new MLP(2, [3, 1], { random: seededRandom(4) });
    const before = model.parameters().map((p) => p.data);
    const good = model.stateDict();
    const w0 = 'layers.0.neurons.0.w';
    // The bad entry comes last in the model's order, so everything before it was checked and staged.
    const last = 'layers.1.neurons.0.b';
    const changed = Object.fromEntries(
      Object.entries(good).map(([k, v]) => [k, typeof v === 'number' ? 9 : v]),
    );
    const variants: [unknown, RegExp][] = [
      [
        { ...changed, [last]: Number.NaN },
        /'layers\.1\.neurons\.0\.b' must be finite, received NaN/,
      ],
      [{ ...good, [last]: '1' }, /must be a number/],
      [
        { ...good, [w0]: [1, 2, 3] },
        /'layers\.0\.neurons\.0\.w' must be an array of length 2, received an array of length 3/,
      ],
      [{ ...good, [w0]: 1 }, /array of length 2/],
      [{ ...good, extra: [1] }, /unexpected tensor 'extra'/],
      [
        Object.fromEntries(Object.entries(good).filter(([k]) => k !== last)),
        /missing tensor 'layers\.1\.neurons\.0\.b'/,
      ],
      [[1, 2], /plain object/],
      [null, /plain object/],
    ];
    for (const [state, message] of variants) {
      expect(() => model.loadStateDict(state)).toThrow(message);
      expect(model.parameters().map((p) => p.data)).toEqual(before);
    }
    const linear = new Linear(2, 2);
    expect(() => linear.loadStateDict({ weight: [[1, 2], [3]], bias: [0, 0] })).toThrow(
      /'weight\[1\]' must be an array of length 2/,
    );
    expect(() => linear.loadStateDict({ weight: [[1, 2]], bias: [0, 0] })).toThrow(
      /'weight' must be an array of 2 rows/,
    );
  });
});
