import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
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

  it('reports a bad input element as Neuron.forward, not as the dot inside it', () => {
    const n = new Neuron(2);
    expect(() => n.forward(['a', 1] as never)).toThrow(TypeError);
    expect(() => n.forward(['a', 1] as never)).toThrow(
      /^Neuron\.forward\(x\): expected x\[0\] to be a number or a Value, received string "a"$/,
    );
    expect(() => n.forward([1, null] as never)).toThrow(/^Neuron\.forward\(x\): expected x\[1\]/);
  });
});
