import { describe, expect, it } from 'vitest';
import { MAX_PARAMETERS } from './argument-checks.js';
import { Layer } from './layer.js';
import { Linear } from './linear.js';
import { MLP } from './mlp.js';
import { Neuron } from './neuron.js';

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

  it('reports a bad input element as Linear.forward, with one output or several', () => {
    for (const nout of [1, 2]) {
      const model = new Linear(2, nout);
      expect(() => model.forward(['a', 1] as never)).toThrow(TypeError);
      expect(() => model.forward(['a', 1] as never)).toThrow(
        /^Linear\.forward\(x\): expected x\[0\] to be a number or a Value, received string "a"$/,
      );
    }
  });
});

describe('sizes past MAX_PARAMETERS fail at once (issue 18)', () => {
  it('new Linear(1e9, 1e9) is a RangeError naming the size, before allocating', () => {
    expect(MAX_PARAMETERS).toBe(16_777_216);
    expect(() => new Linear(1e9, 1e9)).toThrow(RangeError);
    // (1e9 + 1)·1e9 = 1.000000001e18 parameters
    expect(() => new Linear(1e9, 1e9)).toThrow(
      /\(1000000000 \+ 1\) × 1000000000 is 1000000001000000000 parameters, more than the 16777216/,
    );
    // 4095 inputs and a bias, 4096 outputs: exactly 2^24 is allowed (not built here); one more row is not.
    expect(() => new Linear(4095, 4097)).toThrow(/16781312 parameters/);
  });

  it('Neuron, Layer and MLP count their parameters the same way', () => {
    expect(() => new Neuron(2 ** 24)).toThrow(/16777217 parameters/);
    expect(() => new Layer(1e6, 100)).toThrow(/100000100 parameters/);
    // (2 + 1)·1e7 + (1e7 + 1)·1 = 40000001
    expect(() => new MLP(2, [1e7, 1])).toThrow(/\[2, 10000000, 1\] is 40000001 parameters/);
  });
});

describe('new Linear() requires its sizes (issue 18)', () => {
  it('no silent 1×1 layer', () => {
    // @ts-expect-error -- nin and nout are required
    expect(() => new Linear()).toThrow(/new Linear\(nin\): expected a number, received undefined/);
    // @ts-expect-error -- nout is required
    expect(() => new Linear(3)).toThrow(/new Linear\(nin, nout\): expected a number/);
  });
});
