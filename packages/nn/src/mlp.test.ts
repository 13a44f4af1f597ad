import { Value } from '@ag/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Layer } from './layer.js';
import { MLP } from './mlp.js';
import { Neuron } from './neuron.js';
import { seededRandom } from './random.js';

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
    expect(() => model.forward([1, 'a', 3] as never)).toThrow(
      /MLP\.forward\(x\): expected x\[1\] to be a number or a Value, received string "a"/,
    );
    expect(() => new Layer(2, 2).forward([1, null] as never)).toThrow(/Layer\.forward.*x\[1\]/);
    expect(() => new MLP(2, [3], { activation: 'gelu' as never })).toThrow(
      /activation.*'relu'.*received string "gelu"/,
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

describe('MLP gradients', () => {
  it('match central differences with respect to inputs and weights (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (input, seed) => {
          const model = new MLP(3, [4, 2], {
            activation: 'tanh',
            outputActivation: 'sigmoid',
            random: seededRandom(seed),
          });
          const params = model.parameters();
          // f = out₀ + 2·out₁, a scalar that depends on both outputs
          const f = (x: (number | Value)[]): Value => {
            const [a, b] = model.forward(x) as [Value, Value];
            return a.add(b.mul(2));
          };
          const xs = input.map((v) => new Value(v));
          model.zeroGrad();
          f(xs).backward();
          const h = 1e-6;
          // Central difference of f along one coordinate, restoring it exactly afterwards.
          const numeric = (get: () => number, set: (v: number) => void): number => {
            const x0 = get();
            set(x0 + h);
            const up = f(input).data;
            set(x0 - h);
            const down = f(input).data;
            set(x0);
            return (up - down) / (2 * h);
          };
          input.forEach((_, i) => {
            const n = numeric(
              () => input[i] as number,
              (v) => {
                input[i] = v;
              },
            );
            expect(Math.abs((xs[i] as Value).grad - n)).toBeLessThan(1e-6);
          });
          for (const p of [params[0], params[5], params.at(-1)] as Value[]) {
            const n = numeric(
              () => p.data,
              (v) => {
                p.data = v;
              },
            );
            expect(Math.abs(p.grad - n)).toBeLessThan(1e-6);
          }
        },
      ),
      { seed: 42, numRuns: 50 },
    );
  });

  it('prints like micrograd', () => {
    expect(String(new Neuron(2))).toBe('ReLUNeuron(2)');
    expect(String(new MLP(2, [3, 1]))).toBe(
      'MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(3)]]',
    );
  });

  it("shares one constant per input number among a layer's neurons, with the same numbers", () => {
    const layer = new Layer(2, 3, { activation: 'linear', random: seededRandom(4) });
    const params = new Set(layer.parameters());
    const out = layer.forward([0.5, -2]);
    const inputsOf = (v: Value): Value[] => v.operands.filter((o) => !params.has(o));
    const first = inputsOf(out[0] as Value);
    expect(first.map((c) => [c.data, c.requiresGrad])).toEqual([
      [0.5, false],
      [-2, false],
    ]);
    for (const v of out) expect(inputsOf(v)).toEqual(first);
    for (const v of out) inputsOf(v).forEach((c, i) => expect(c).toBe(first[i]));
    // Each output is w·x + b worked out here.
    layer.neurons.forEach((n, i) => {
      const [w0, w1] = n.w.map((w) => w.data) as [number, number];
      expect(out[i]?.data).toBe(w0 * 0.5 + w1 * -2 + n.b.data);
    });
  });
});
