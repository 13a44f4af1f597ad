import { Rng } from '@ag/data';
import { describe, expect, it } from 'vitest';
import { FloorMlp, initialParameters, parameterCount } from './mlp-floor.js';
import { disagreements } from './outcome.js';
import { TFJS_TOLERANCE } from './tfjs-mlp.js';
import {
  defaultIdiomaticFit,
  eagerIdiomatic,
  eagerIdiomaticFit,
  eagerMicrograd,
  floorTraining,
  tfjsIdiomatic,
  w1Setup,
  w1Tensors,
} from './w1-micrograd-demo.js';

const SIZES = [2, 3, 4, 1];

describe('FloorMlp', () => {
  it('counts parameters as (nin + 1) · nout per layer', () => {
    expect(parameterCount([2, 16, 16, 1])).toBe(3 * 16 + 17 * 16 + 17 * 1);
    expect(parameterCount(SIZES)).toBe(9 + 16 + 5);
  });

  for (const [order, activation] of [
    ['first', 'relu'],
    ['last', 'relu'],
    ['last', 'tanh'],
  ] as const) {
    it(`gives the gradient of the score that central differences give (bias ${order}, ${activation})`, () => {
      const rng = new Rng(7);
      const params = initialParameters(SIZES, 3);
      // Non-zero biases, so both orders of the sum are exercised.
      for (let i = 0; i < params.length; i++) params[i] = rng.uniform(-1, 1);
      const xs = Float64Array.from([0.7, -0.4]);
      const net = new FloorMlp(SIZES, params, order, activation);
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

  it('computes a tanh net’s score as written out by hand', () => {
    // 2-1-1: h = tanh(w₀x₀ + w₁x₁ + b), score = v·h + c
    const params = Float64Array.from([0.5, -0.25, 0.1, 2, -0.3]);
    const net = new FloorMlp([2, 1, 1], params, 'last', 'tanh');
    const h = Math.tanh(0.5 * 0.8 + -0.25 * 0.4 + 0.1);
    expect(net.forward(Float64Array.from([0.8, 0.4]), 0)).toBe(2 * h + -0.3);
  });

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

  it('reproduces fit without a compile option, its history’s last loss (loss·n)/n', () => {
    const setup = w1Setup(3);
    const floor = floorTraining(setup, 'nn', 'epoch');
    const step = floorTraining(setup, 'nn');
    expect(floor.loss).toBe((step.loss * 100) / 100);
    const byDefault = defaultIdiomaticFit(setup);
    expect(byDefault.loss).toBe(floor.loss);
    expect(byDefault.checks).toEqual(floor.checks);
  });

  it('is matched by the TensorFlow.js peer within the float32 tolerance, not to 1e-9', () => {
    const setup = w1Setup(5);
    const floor = floorTraining(setup, 'nn');
    const tensors = w1Tensors(setup);
    const peer = tfjsIdiomatic(setup, tensors);
    expect(disagreements(peer, floor, TFJS_TOLERANCE)).toEqual([]);
    expect(disagreements(peer, floor)).not.toEqual([]);
    // One step fewer is a different training: the tolerance tells them apart.
    const shorter = tfjsIdiomatic(w1Setup(4), tensors);
    expect(disagreements(shorter, floor, TFJS_TOLERANCE)).not.toEqual([]);
    tensors.x.dispose();
    tensors.y.dispose();
  });

  it('lowers the loss over the steps of micrograd’s schedule', () => {
    const first = floorTraining(w1Setup(1), 'nn');
    const later = floorTraining(w1Setup(20), 'nn');
    expect(later.loss).toBeLessThan(first.loss);
  });
});
