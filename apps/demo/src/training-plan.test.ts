import { describe, expect, it } from 'vitest';
import { trainingPlan } from './training-plan.js';

describe('trainingPlan', () => {
  it('counts the updates of one epoch in each mode', () => {
    expect(trainingPlan('online', 200, 10)).toEqual({ fitMode: 'online', stepsPerEpoch: 200 });
    expect(trainingPlan('batch', 200, 10)).toEqual({ fitMode: 'batch', stepsPerEpoch: 1 });
    // 100 samples in batches of 32: 32 + 32 + 32 + 4, four updates.
    expect(trainingPlan('minibatch', 100, 32)).toEqual({
      fitMode: { batchSize: 32 },
      stepsPerEpoch: 4,
    });
  });
});
