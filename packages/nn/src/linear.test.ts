import { describe, expect, it } from 'vitest';
import { Linear } from './linear.js';

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
        /^Linear\.forward\(x\): expected x\[0\] to be a number or a Value, received "a"$/,
      );
    }
  });
});
