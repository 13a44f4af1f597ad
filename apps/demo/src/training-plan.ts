import type { FitMode } from '@ag/nn';
import type { TrainMode } from './args.js';

/**
 * How `fit` runs a mode, and how many updates one epoch makes: one per sample online,
 * one per pass in batch mode, one per batch of `batchSize` (the last may be short).
 *
 * @example
 * trainingPlan('minibatch', 100, 32); // { fitMode: { batchSize: 32 }, stepsPerEpoch: 4 }
 * trainingPlan('online', 100, 32);    // { fitMode: 'online', stepsPerEpoch: 100 }
 */
export function trainingPlan(
  mode: TrainMode,
  samples: number,
  batchSize: number,
): { fitMode: FitMode; stepsPerEpoch: number } {
  switch (mode) {
    case 'online':
      return { fitMode: 'online', stepsPerEpoch: samples };
    case 'batch':
      return { fitMode: 'batch', stepsPerEpoch: 1 };
    case 'minibatch':
      return { fitMode: { batchSize }, stepsPerEpoch: Math.ceil(samples / batchSize) };
  }
}
