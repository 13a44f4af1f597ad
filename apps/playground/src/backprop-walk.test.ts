import { describe, expect, it } from 'vitest';
import { backpropWalk, lossAndSlope } from './backprop-walk.js';
import { copyLayers } from './mlp-snapshot.js';
import type { PlaygroundState } from './playground-state.js';
import { DEFAULT_STATE } from './playground-state.js';
import { TrainingSession } from './training-session.js';

describe('backpropWalk', () => {
  const setups: [string, Partial<PlaygroundState>][] = [
    ['tanh, hinge', { hidden: [5, 4], activation: 'tanh', loss: 'hinge' }],
    ['three wide tanh layers', { hidden: [16, 16, 8], activation: 'tanh', loss: 'hinge' }],
    ['relu, cross-entropy', { hidden: [6, 3], activation: 'relu', loss: 'bce' }],
    ['sigmoid, mse', { hidden: [4], activation: 'sigmoid', loss: 'mse' }],
    ['tanh, Huber on the Gaussians', { dataset: 'gaussians', hidden: [5, 5], loss: 'huber' }],
    [
      'linear, mae on the plane',
      { dataset: 'plane', hidden: [3], activation: 'linear', loss: 'mae' },
    ],
  ];

  it.each(setups)('gives exactly the doubles backward() gives: %s', (_, patch) => {
    const session = new TrainingSession({
      ...DEFAULT_STATE,
      features: ['x1', 'x2', 'x1x2'],
      ...patch,
    });
    for (let k = 0; k < 30; k++) session.step();
    const weights = copyLayers(session.model);
    for (const index of [0, 7, 19]) {
      const probe = session.probe(index);
      const walk = backpropWalk(weights, probe.inputs, probe.target, session.state.loss);
      expect(walk.a).toEqual(probe.activations);
      expect(walk.loss).toBe(probe.loss);
      expect(walk.da).toEqual(probe.neuronGrads);
      expect(walk.dw).toEqual(probe.weightGrads);
    }
  });

  it('agrees with central finite differences on a weight (an independent check)', () => {
    const session = new TrainingSession({ ...DEFAULT_STATE, hidden: [3] });
    const weights = copyLayers(session.model);
    const x = session.trainInputs[0] ?? [];
    const t = 1;
    const walk = backpropWalk(weights, x, t, 'mse');
    const h = 1e-6;
    const at = (delta: number): number => {
      const shifted = copyLayers(session.model);
      const layer = shifted[0];
      if (layer !== undefined) layer.w[1] = (layer.w[1] as number) + delta;
      return backpropWalk(shifted, x, t, 'mse').loss;
    };
    expect(walk.dw[0]?.[0]?.[1]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 7);
  });

  it('differentiates each loss by hand', () => {
    expect(lossAndSlope('mse', 3, 1)).toEqual([4, 4]);
    expect(lossAndSlope('hinge', 0.25, 1)).toEqual([0.75, -1]);
    expect(lossAndSlope('hinge', 2, 1)).toEqual([0, 0]);
    expect(lossAndSlope('mae', -1, 1)).toEqual([2, -1]);
    expect(lossAndSlope('huber', 3, 1)).toEqual([1.5, 1]); // δ(|d| − ½δ) = 2 − 0.5
    const [l, s] = lossAndSlope('bce', 0, 1);
    expect(l).toBeCloseTo(Math.LN2, 15);
    expect(s).toBe(-0.5);
  });
});
