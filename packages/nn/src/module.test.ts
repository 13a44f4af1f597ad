import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear.js';
import { MLP } from './mlp.js';
import { Module, type ModuleEntry } from './module.js';
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
