import type { Value } from '@ag/core';
import { l2Penalty, mse } from '@ag/nn';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE } from './playground-state.js';
import type { PlaygroundState } from './playground-state.js';
import { TrainingSession, chunkSize, softThreshold } from './training-session.js';
import { planeTarget } from './regression-sets.js';

const state = (patch: Partial<PlaygroundState>): PlaygroundState => ({
  ...DEFAULT_STATE,
  hidden: [8],
  ...patch,
});

describe('TrainingSession', () => {
  it('splits the samples into test and training sets by the test share', () => {
    const s = new TrainingSession(state({ samples: 200, testRatio: 0.25 }));
    expect(s.test.x).toHaveLength(50);
    expect(s.train.x).toHaveLength(150);
    // Every sample lands in exactly one set.
    const key = (p: number[]) => p.join(',');
    const all = new Set([...s.train.x, ...s.test.x].map(key));
    expect(all.size).toBe(200);
  });

  it('is reproducible: the same state gives the same weights after the same updates', () => {
    const a = new TrainingSession(state({}));
    const b = new TrainingSession(state({}));
    for (let i = 0; i < 20; i++) expect(a.step()).toBe(b.step());
    expect(a.model.parameters().map((p) => p.data)).toEqual(
      b.model.parameters().map((p) => p.data),
    );
    const c = new TrainingSession(state({ seed: 2 }));
    expect(c.model.parameters().map((p) => p.data)).not.toEqual(
      new TrainingSession(state({})).model.parameters().map((p) => p.data),
    );
  });

  it('counts an epoch after a pass: 150 online updates, ceil(150 / 16) = 10 mini-batches, 1 batch', () => {
    const online = new TrainingSession(state({ mode: 'online' }));
    for (let i = 0; i < 149; i++) online.step();
    expect(online.epochs).toBe(0);
    online.step();
    expect(online.epochs).toBe(1);

    const mini = new TrainingSession(state({ mode: 'minibatch', batchSize: 16 }));
    for (let i = 0; i < 10; i++) mini.step();
    expect([mini.steps, mini.epochs]).toEqual([10, 1]);

    const batch = new TrainingSession(state({ mode: 'batch', optimizer: 'sgd' }));
    batch.step();
    expect([batch.batchSize, batch.epochs]).toEqual([150, 1]);
  });

  it('moves the weights against the gradient: one SGD step on a batch lowers that loss', () => {
    const s = new TrainingSession(
      state({ mode: 'batch', optimizer: 'sgd', learningRate: 0.01, l2: 0 }),
    );
    const before = s.metrics().trainLoss;
    const reported = s.step();
    expect(reported).toBeCloseTo(before, 12); // the step reports the loss it started from
    expect(s.metrics().trainLoss).toBeLessThan(before);
  });

  it('trains moons past 95% training accuracy with the default setup', () => {
    const s = new TrainingSession(DEFAULT_STATE);
    const start = s.metrics();
    let m = start;
    for (let i = 0; i < 60 && (m.trainAccuracy ?? 0) < 0.97; i++) {
      for (let k = 0; k < 10; k++) s.step();
      m = s.metrics();
    }
    expect(m.trainAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(m.trainLoss).toBeLessThan(start.trainLoss);
  });

  it('fits the line y = 5x + 7 with a linear model', () => {
    const s = new TrainingSession(
      state({
        dataset: 'line',
        hidden: [],
        loss: 'mse',
        mode: 'batch',
        learningRate: 0.5,
        optimizer: 'adam',
        l2: 0,
        noise: 0,
      }),
    );
    for (let i = 0; i < 400; i++) s.step();
    const [w, b] = s.model.parameters().map((p) => p.data);
    expect(w).toBeCloseTo(5, 2);
    expect(b).toBeCloseTo(7, 2);
    expect(s.metrics().trainAccuracy).toBeUndefined();
  });

  it('spreads a large batch over chunks and still makes the whole-batch update', () => {
    const setup = state({
      mode: 'batch',
      optimizer: 'sgd',
      loss: 'mse',
      learningRate: 0.1,
      l2: 0.01,
    });
    const chunked = new TrainingSession(setup);
    const reference = new TrainingSession(setup);
    expect(chunked.chunkSize).toBe(32);
    expect(chunked.batchSize).toBe(150);

    // The first chunks make no update; the last one does.
    const chunks = Math.ceil(150 / 32);
    for (let k = 1; k < chunks; k++) expect(chunked.advance()).toBeUndefined();
    const loss = chunked.advance();
    expect(chunked.steps).toBe(1);

    // Reference: the textbook full-batch step, one mean over all 150 samples (±1 targets).
    const model = reference.model;
    const outputs = reference.train.x.map((x) => model.forward(x)[0] as Value);
    const targets = reference.train.y.map((y) => (y === 1 ? 1 : -1));
    const full = mse(outputs, targets).add(l2Penalty(model.parameters(), 0.01));
    reference.optimizer.zeroGrad();
    full.backward();
    reference.optimizer.step();

    expect(loss).toBeCloseTo(full.data, 12);
    const a = chunked.model.parameters().map((p) => p.data);
    const b = model.parameters().map((p) => p.data);
    a.forEach((x, i) => expect(x).toBeCloseTo(b[i] as number, 12));
  });

  it('gives small models chunks of 32 samples and large ones chunks of fewer, down to 1', () => {
    expect(chunkSize(337)).toBe(32);
    expect(chunkSize(4417)).toBe(3); // ⌊16000 / 4417⌋
    expect(chunkSize(21057)).toBe(1);
  });

  it('takes one update per runFor when the budget is spent at once', () => {
    const s = new TrainingSession(state({}));
    let t = 0;
    expect(s.runFor(5, () => (t += 10))).toBe(1);
    t = 0;
    // The clock reads 10 at the start and 10 more at each check: 10, 20, 30 ms after 1, 2, 3 updates.
    expect(s.runFor(25, () => (t += 10))).toBe(3);
  });

  it('feeds the chosen features to the model: 3 inputs for x1, x1², sin x2', () => {
    const s = new TrainingSession(state({ features: ['x1', 'x1sq', 'sinx2'] }));
    expect(s.model.nin).toBe(3);
    const p = s.train.x[0] ?? [];
    const [x1 = NaN, x2 = NaN] = p;
    expect(s.trainInputs[0]).toEqual([x1, x1 * x1, Math.sin(x2)]);
  });

  it('soft-thresholds: shrinks by τ and stops at exactly 0', () => {
    expect(softThreshold(0.3, 0.1)).toBeCloseTo(0.2, 15);
    expect(softThreshold(-0.3, 0.1)).toBeCloseTo(-0.2, 15);
    expect(softThreshold(0.05, 0.1)).toBe(0);
    expect(softThreshold(-0.1, 0.1)).toBe(0);
  });

  it('with L1, drives the weights of useless inputs to exactly 0 on a noisy set', () => {
    // sin x1, sin x2, x1x2 add little to moons; L1 with SGD (exact proximal gradient) zeroes many.
    const s = new TrainingSession(
      state({
        dataset: 'moons',
        noise: 0.3,
        features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'],
        hidden: [4],
        optimizer: 'sgd',
        learningRate: 0.1,
        regularization: 'l1',
        l2: 0.01,
      }),
    );
    const weights = () => s.model.layers.flatMap((l) => l.neurons.flatMap((n) => n.w));
    expect(weights().filter((w) => w.data === 0)).toHaveLength(0);
    for (let i = 0; i < 300; i++) s.step();
    const zeros = weights().filter((w) => w.data === 0).length;
    expect(zeros).toBeGreaterThanOrEqual(3);
    // The same run without the penalty leaves no weight at exactly 0.
    const free = new TrainingSession({ ...s.state, regularization: 'none' });
    for (let i = 0; i < 300; i++) free.step();
    expect(free.model.parameters().filter((w) => w.data === 0)).toHaveLength(0);
  });

  it('fits the plane t = 0.6·x1 − 0.4·x2 to a loss near the noise floor', () => {
    const s = new TrainingSession(
      state({ dataset: 'plane', loss: 'mse', noise: 0.1, hidden: [], learningRate: 0.05 }),
    );
    for (let i = 0; i < 400; i++) s.step();
    // Noise of std 0.1 leaves a mean squared error of about 0.01.
    expect(s.metrics().trainLoss).toBeLessThan(0.015);
    const neuron = s.model.layers[0]?.neurons[0];
    expect(neuron?.w[0]?.data).toBeCloseTo(0.6, 1);
    expect(neuron?.w[1]?.data).toBeCloseTo(-0.4, 1);
    expect(planeTarget(1, 0)).toBeCloseTo(0.6, 15);
  });

  it('sets a weight by hand and the output follows: a linear model with w = (1, 2), b = 3', () => {
    const s = new TrainingSession(state({ hidden: [], loss: 'mse' }));
    s.setWeight(0, 0, 0, 1);
    s.setWeight(0, 0, 1, 2);
    s.setWeight(0, 0, -1, 3);
    expect(s.forward([0.5, -1])).toBe(0.5 - 2 + 3);
    expect(() => s.setWeight(0, 0, 2, 1)).toThrow(RangeError);
    expect(() => s.setWeight(0, 0, 0, NaN)).toThrow(RangeError);
    expect(s.forward([0.5, -1])).toBe(1.5);
  });
});
