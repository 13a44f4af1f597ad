import { Rng, moons } from '@ag/data';
import { MLP, SGD, fit, hinge, linearDecay, type FitOptions } from '@ag/nn';
import { describe, expect, it } from 'vitest';
import { fitInSlices } from './fit-in-slices.js';

/** A small moons run with every stateful part: a decaying schedule, a shuffle, mini-batches. */
function setup(epochs: number): { options: FitOptions; model: MLP } {
  const rng = new Rng(5);
  const data = moons({ samples: 30, noise: 0.1, seed: rng.fork(), labels: 'pm1' });
  const model = new MLP(2, [4, 1], { random: rng.fork().toFunction() });
  const optimizer = new SGD(model.parameters(), { lr: 0.5 });
  const options: FitOptions = {
    model,
    data,
    loss: hinge,
    optimizer,
    mode: { batchSize: 8 },
    epochs,
    // 30 samples in batches of 8: 4 updates an epoch.
    schedule: linearDecay(0.5, { steps: 4 * epochs }),
    shuffle: rng.fork().toFunction(),
  };
  return { options, model };
}

const weights = (model: MLP): number[] => model.parameters().map((p) => p.data);

describe('fitInSlices', () => {
  it('gives the numbers of one fit call, bit for bit, one epoch per slice', async () => {
    const whole = setup(12);
    const reference = fit(whole.options);
    const sliced = setup(12);
    const seen: [number, number, number, number][] = [];
    const result = await fitInSlices(
      {
        ...sliced.options,
        onEpoch: (info) => seen.push([info.epoch, info.epochs, info.globalStep, info.totalSteps]),
      },
      0,
    );
    expect(result.history).toEqual(reference.history);
    expect(weights(sliced.model)).toEqual(weights(whole.model));
    expect(result.steps).toBe(48);
    expect(result.epochs).toBe(12);
    // The callback sees the run, not the slice: epoch k of 12 after 4k of 48 updates.
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, 12, 4 * (i + 1), 48]));
  });

  it('lets the event loop run between slices', async () => {
    const { options } = setup(20);
    let epochsWhenIdle = -1;
    let epochsDone = 0;
    setImmediate(() => (epochsWhenIdle = epochsDone));
    await fitInSlices({ ...options, onEpoch: (info) => (epochsDone = info.epoch) }, 0);
    expect(epochsDone).toBe(20);
    // The callback queued before training ran after the first slice, not after the last.
    expect(epochsWhenIdle).toBe(1);
  });

  it('stops where a callback calls stop()', async () => {
    const { options } = setup(20);
    const result = await fitInSlices(
      {
        ...options,
        onEpoch: (info) => {
          if (info.epoch === 7) info.stop();
        },
      },
      0,
    );
    expect(result.stopped).toBe(true);
    expect(result.epochs).toBe(7);
    expect(result.steps).toBe(28);
  });
});
