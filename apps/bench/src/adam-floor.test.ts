import { Value } from '@ag/core';
import { Adam } from '@ag/nn';
import { describe, expect, it } from 'vitest';
import { FloorAdam } from './adam-floor.js';

describe('FloorAdam', () => {
  it('moves each parameter by about lr·sign(g) on its first step (m̂ = g, v̂ = g²)', () => {
    const params = Float64Array.from([1, -2, 0.5]);
    const grads = Float64Array.from([3, -0.01, 1e-3]);
    new FloorAdam(3, { lr: 0.1 }).step(params, grads);
    // p − lr·g/(|g| + ε): ε = 1e-8 shifts the move by lr·ε/|g| at most 1e-6 here.
    expect(params[0]).toBeCloseTo(1 - 0.1, 9);
    expect(params[1]).toBeCloseTo(-2 + 0.1, 6);
    expect(params[2]).toBeCloseTo(0.5 - 0.1, 5);
  });

  it('gives @ag/nn’s Adam’s parameters bit for bit over many steps', () => {
    const start = [0.3, -1.2, 2.5, 0];
    const values = start.map((x) => new Value(x));
    const adam = new Adam(values, { lr: 0.01 });
    const params = Float64Array.from(start);
    const floor = new FloorAdam(4, { lr: 0.01 });
    const grads = new Float64Array(4);
    for (let t = 1; t <= 50; t++) {
      values.forEach((v, i) => {
        // Gradients that change sign and size from step to step.
        v.grad = Math.sin(7 * t + i) * 10 ** (((t + i) % 5) - 2);
        grads[i] = v.grad;
      });
      adam.step();
      floor.step(params, grads);
    }
    expect(Array.from(params)).toEqual(values.map((v) => v.data));
  });
});
