import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { Layer } from './layer.js';
import { Linear } from './linear.js';
import { MLP } from './mlp.js';
import { Neuron } from './neuron.js';
import { seededRandom } from './random.js';

/**
 * The nodes a forward pass builds keep their operand arrays (affine of
 * @ag/core): each model must hand them arrays the caller cannot change, and
 * its parameter lists must not change under them.
 */
describe("forward: the graph does not see later changes to the caller's array", () => {
  const models = {
    Neuron: () => new Neuron(2, { activation: 'linear', random: seededRandom(3) }),
    Layer: () => new Layer(2, 3, { activation: 'linear', random: seededRandom(3) }),
    'Linear(2, 1)': () => new Linear(2, 1, { random: seededRandom(3) }),
    'Linear(2, 3)': () => new Linear(2, 3, { random: seededRandom(3) }),
    MLP: () => new MLP(2, [3, 1], { activation: 'linear', random: seededRandom(3) }),
  };
  for (const [name, make] of Object.entries(models)) {
    it(`${name}: refilling the input array after forward leaves the graph and its gradients as they were`, () => {
      const model = make();
      const x0 = new Value(1.5);
      const x1 = new Value(-0.5);
      const x = [x0, x1];
      const out = model.forward(x);
      const y = Array.isArray(out) ? (out[0] as Value) : out;
      const before = y.data;
      x[0] = new Value(100);
      x[1] = new Value(100);
      y.backward();
      // Every model here is linear in x, so ∂y/∂x is the same at any x: a
      // finite difference of the same model checks the gradient reached x0 and x1.
      const at = (a: number, b: number): number => {
        const o = model.forward([a, b]);
        return (Array.isArray(o) ? (o[0] as Value) : o).data;
      };
      expect(y.data).toBe(before);
      expect(x0.grad).toBeCloseTo(at(2.5, -0.5) - at(1.5, -0.5), 12);
      expect(x1.grad).toBeCloseTo(at(1.5, 0.5) - at(1.5, -0.5), 12);
      expect(x[0].grad).toBe(0);
    });
  }

  it('the parameter arrays are frozen, so a graph can keep them', () => {
    const n = new Neuron(2);
    expect(Object.isFrozen(n.w)).toBe(true);
    expect(() => (n.w as Value[]).push(new Value(0))).toThrow(TypeError);
    const l = new Linear(2, 2);
    expect(Object.isFrozen(l.weight)).toBe(true);
    expect(Object.isFrozen(l.weight[0])).toBe(true);
    expect(Object.isFrozen(l.bias)).toBe(true);
  });
});
