import { describe, expect, it } from 'vitest';
import { fitMinibatchMlp, floorMinibatchMlp, w6Setup } from './w6-minibatch-mlp.js';

describe('floorMinibatchMlp', () => {
  // 100 samples: batches of 32, 32, 32 and a remainder of 4; 33: 32 and a batch of one.
  for (const samples of [100, 33]) {
    it(`is matched bit for bit by fit, eager and without a compile option (${samples} samples)`, () => {
      const setup = w6Setup(2, samples);
      const floor = floorMinibatchMlp(setup);
      for (const other of [fitMinibatchMlp(setup, false), fitMinibatchMlp(setup, 'default')]) {
        expect(other.loss).toBe(floor.loss);
        expect(other.checks).toEqual(floor.checks);
      }
    });
  }

  it('starts from the cross-entropy of a net that outputs 0: ln 2 per sample', () => {
    // All weights 0: both logits are 0 before the first update, each term is
    // softplus(0) = ln 2 whatever its label, and the one batch's mean is ln 2.
    const setup = { ...w6Setup(1, 2), initial: new Float64Array(1185) };
    expect(floorMinibatchMlp(setup).loss).toBeCloseTo(Math.LN2, 15);
  });

  it('lowers the epoch loss over the epochs', () => {
    expect(floorMinibatchMlp(w6Setup(4, 200)).loss).toBeLessThan(
      floorMinibatchMlp(w6Setup(1, 200)).loss,
    );
  });
});
