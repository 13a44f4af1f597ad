import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear.js';
import { MLP } from './mlp.js';
import { Layer } from './layer.js';
import { Module, type ModuleEntry } from './module.js';
import { Neuron } from './neuron.js';
import { seededRandom } from './random.js';

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

describe('custom modules', () => {
  it('list tensors and sub-modules in declaration order, depth first', () => {
    class Scaled extends Module {
      readonly scale = new Value(2);
      readonly inner = new Linear(2, 1);
      readonly shift = [new Value(0.5), new Value(-0.5)];
      constructor() {
        super();
        this.labelParameters();
      }
      protected entries(): readonly ModuleEntry[] {
        return [
          ['scale', this.scale],
          ['inner', this.inner],
          ['shift', this.shift],
        ];
      }
      forward(x: readonly (number | Value)[]): Value[] {
        const [y] = this.inner.forward(x) as [Value];
        return this.shift.map((s) => y.mul(this.scale).add(s));
      }
    }
    const m = new Scaled();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'inner.weight.0.0',
      'inner.weight.0.1',
      'inner.bias.0',
      'shift.0',
      'shift.1',
    ]);
    expect(m.inner.bias[0]?.label).toBe('inner.bias.0');
    expect(m.numParameters).toBe(6);
    // parameters() walks without names, in the same order: the Values themselves.
    const expected = [
      m.scale,
      m.inner.weight[0]?.[0],
      m.inner.weight[0]?.[1],
      m.inner.bias[0],
      ...m.shift,
    ];
    const params = m.parameters();
    expect(params).toHaveLength(expected.length);
    params.forEach((p, i) => expect(p).toBe(expected[i]));
    expect(params).not.toBe(m.parameters()); // a new array each call: the caller may change it
    m.loadStateDict({ scale: 3, 'inner.weight': [[1, 1]], 'inner.bias': [0], shift: [1, 2] });
    // y = 1 + 2 = 3; 3·3 + [1, 2]
    expect(m.forward([1, 2]).map((v) => v.data)).toEqual([10, 11]);
    expect(m.stateDict()).toEqual({
      scale: 3,
      'inner.weight': [[1, 1]],
      'inner.bias': [0],
      shift: [1, 2],
    });
  });
});

describe('parameters()', () => {
  it('passes over a hole in a tensor, as namedParameters does', () => {
    class Holey extends Module {
      // eslint-disable-next-line no-sparse-arrays
      readonly row = [new Value(1), , new Value(3)] as Value[];
      protected entries(): readonly ModuleEntry[] {
        return [['row', this.row]];
      }
      forward(): Value {
        return this.row[0] as Value;
      }
    }
    const m = new Holey();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['row.0', 'row.2']);
    expect(m.parameters()).toEqual([m.row[0], m.row[2]]);
    expect(m.numParameters).toBe(2);
  });

  it('follows a subclass that lists its parameters its own way', () => {
    class Frozen extends Linear {
      // hides the bias from optimizers
      override namedParameters(): [string, Value][] {
        return super.namedParameters().filter(([n]) => !n.startsWith('bias'));
      }
    }
    const m = new Frozen(2, 1);
    expect(m.parameters()).toEqual([m.weight[0]?.[0], m.weight[0]?.[1]]);
    m.bias[0]!.grad = 5;
    m.zeroGrad();
    expect(m.bias[0]!.grad).toBe(5); // not among its parameters
  });
});

describe('loadStateDict is atomic when a parameter cannot be written (issue 18)', () => {
  it('a frozen bias: a TypeError naming it, and the weights are not written either', () => {
    const model = new Linear(2, 1);
    Object.freeze(model.bias[0]);
    const w = model.weight[0]!.map((v) => v.data);
    expect(() => model.loadStateDict({ weight: [[5, 6]], bias: [7] })).toThrow(TypeError);
    expect(() => model.loadStateDict({ weight: [[5, 6]], bias: [7] })).toThrow(
      /'bias\[0\]' cannot be written/,
    );
    expect(model.weight[0]!.map((v) => v.data)).toEqual(w);
    expect(model.bias[0]!.data).toBe(0);
  });

  it('a read-only data property counts as well', () => {
    const model = new Linear(1, 2);
    Object.defineProperty(model.bias[1], 'data', { value: 0, writable: false });
    expect(() => model.loadStateDict({ weight: [[1], [2]], bias: [3, 4] })).toThrow(
      /'bias\[1\]' cannot be written/,
    );
    expect(model.bias[0]!.data).toBe(0);
  });
});

describe('predict: plain numbers in and out, no graph (issue 18)', () => {
  it('Linear and Neuron by hand', () => {
    const line = new Linear(1, 1);
    line.loadStateDict({ weight: [[3]], bias: [2] });
    expect(line.predict([4])).toEqual([14]); // 3·4 + 2
    const n = new Neuron(2, { activation: 'relu' });
    n.loadStateDict({ w: [1, -2], b: 0.5 });
    expect(n.predict([3, 1])).toBe(1.5); // relu(3 − 2 + 0.5)
    expect(n.predict([0, 1])).toBe(0); // relu(−1.5)
  });

  it("Layer and MLP give forward's numbers bit for bit, leaving no gradient behind", () => {
    const mlp = new MLP(2, [3, 2], { activation: 'tanh', random: seededRandom(4) });
    const layer = new Layer(2, 3, { activation: 'sigmoid', random: seededRandom(5) });
    for (const m of [mlp, layer]) {
      const x = [0.3, -1.7];
      const want = m.forward(x).map((v) => v.data);
      const got = m.predict(x);
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expect(Object.is(g, want[i])).toBe(true));
    }
    // By hand for the layer's first neuron: σ(w·x + b), b = 0.
    const [w0, w1] = layer.neurons[0]!.w.map((v) => v.data) as [number, number];
    expect(layer.predict([0.3, -1.7])[0]).toBeCloseTo(
      1 / (1 + Math.exp(-(0.3 * w0 - 1.7 * w1))),
      15,
    );
  });

  it('rejects Values, holes and wrong lengths', () => {
    const line = new Linear(2, 1);
    expect(() => line.predict([1, new Value(2)] as never)).toThrow(
      /Linear\.predict\(x\): expected x\[1\] to be a number/,
    );
    expect(() => line.predict([1])).toThrow(RangeError);
    expect(() => line.predict(new Array<number>(2))).toThrow(/x\[0\] is missing/);
  });
});
