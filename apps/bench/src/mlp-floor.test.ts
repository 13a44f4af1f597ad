import { Rng } from '@ag/data';
import { describe, expect, it } from 'vitest';
import { FloorMlp, initialParameters, parameterCount } from './mlp-floor.js';
import {
  eagerIdiomatic,
  eagerIdiomaticFit,
  eagerMicrograd,
  floorTraining,
  w1Setup,
} from './w1-micrograd-demo.js';

const SIZES = [2, 3, 4, 1];

describe('FloorMlp', () => {
  it('counts parameters as (nin + 1) · nout per layer', () => {
    expect(parameterCount([2, 16, 16, 1])).toBe(3 * 16 + 17 * 16 + 17 * 1);
    expect(parameterCount(SIZES)).toBe(9 + 16 + 5);
  });

  for (const order of ['first', 'last'] as const) {
    it(`gives the gradient of the score that central differences give (bias ${order})`, () => {
      const rng = new Rng(7);
      const params = initialParameters(SIZES, 3);
      // Non-zero biases, so both orders of the sum are exercised.
      for (let i = 0; i < params.length; i++) params[i] = rng.uniform(-1, 1);
      const xs = Float64Array.from([0.7, -0.4]);
      const net = new FloorMlp(SIZES, params, order);
      net.forward(xs, 0);
      net.backward(1);
      const eps = 1e-6;
      for (let j = 0; j < params.length; j++) {
        const saved = params[j] as number;
        params[j] = saved + eps;
        const up = net.forward(xs, 0);
        params[j] = saved - eps;
        const down = net.forward(xs, 0);
        params[j] = saved;
        expect(net.grads[j]).toBeCloseTo((up - down) / (2 * eps), 6);
      }
    });
  }

  it('accumulates: two backward calls give twice one call', () => {
    const params = initialParameters(SIZES, 5);
    const xs = Float64Array.from([0.3, 0.9]);
    const once = new FloorMlp(SIZES, params.slice(), 'last');
    once.forward(xs, 0);
    once.backward(0.5);
    const twice = new FloorMlp(SIZES, params.slice(), 'last');
    twice.forward(xs, 0);
    twice.backward(0.5);
    twice.backward(0.5);
    for (let j = 0; j < params.length; j++)
      expect(twice.grads[j]).toBe(2 * (once.grads[j] as number));
  });
});

describe('floorTraining', () => {
  it('reproduces the eager micrograd-style training bit for bit', () => {
    const setup = w1Setup(3);
    const floor = floorTraining(setup, 'micrograd');
    const eager = eagerMicrograd(setup);
    expect(floor.loss).toBe(eager.loss);
    expect(floor.checks).toEqual(eager.checks);
  });

  it('reproduces the @ag/nn training bit for bit, loop written out and through fit', () => {
    const setup = w1Setup(3);
    const floor = floorTraining(setup, 'nn');
    for (const eager of [eagerIdiomatic(setup), eagerIdiomaticFit(setup)]) {
      expect(eager.loss).toBe(floor.loss);
      expect(eager.checks).toEqual(floor.checks);
    }
  });

  it('lowers the loss over the steps of micrograd’s schedule', () => {
    const first = floorTraining(w1Setup(1), 'nn');
    const later = floorTraining(w1Setup(20), 'nn');
    expect(later.loss).toBeLessThan(first.loss);
  });
});
