import { ACTIVATIONS } from '@ag/nn';
import { MICROGRAD_EXPRESSION } from './expression-examples.js';

/**
 * The whole setup of a run. Everything random is derived from `seed`, so the same state
 * gives the same data, the same initial weights and the same sequence of updates.
 */
export interface PlaygroundState {
  dataset: DatasetName;
  samples: number;
  noise: number;
  seed: number;
  /** Fraction of the samples held out as the test set. */
  testRatio: number;
  /** Slope and intercept of the `line` data set, y = m·x + c. */
  m: number;
  c: number;
  /** Widths of the hidden layers; empty for a plain linear model. */
  hidden: number[];
  activation: ActivationName;
  loss: LossName;
  optimizer: OptimizerName;
  /** `online` updates after every sample, `batch` after a pass over all, `minibatch` after `batchSize`. */
  mode: TrainingMode;
  batchSize: number;
  learningRate: number;
  /** Weight of the L2 penalty on the parameters (0 for none). */
  l2: number;
  view: ViewName;
  expression: string;
}

export const DATASETS = ['moons', 'circles', 'spirals', 'xor', 'blobs', 'line'] as const;
export type DatasetName = (typeof DATASETS)[number];
export { ACTIVATIONS };
export type ActivationName = (typeof ACTIVATIONS)[number];
export const LOSSES = ['hinge', 'bce', 'mse', 'mae', 'huber'] as const;
export type LossName = (typeof LOSSES)[number];
export const OPTIMIZERS = ['adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const MODES = ['minibatch', 'online', 'batch'] as const;
export type TrainingMode = (typeof MODES)[number];
export const VIEWS = ['train', 'graph'] as const;
export type ViewName = (typeof VIEWS)[number];

/** Losses that make sense for each task; the first is the default when switching task. */
export const CLASSIFICATION_LOSSES: readonly LossName[] = ['hinge', 'bce', 'mse'];
export const REGRESSION_LOSSES: readonly LossName[] = ['mse', 'mae', 'huber'];

export function isRegression(dataset: DatasetName): boolean {
  return dataset === 'line';
}

export const DEFAULT_STATE: Readonly<PlaygroundState> = Object.freeze({
  dataset: 'moons',
  samples: 200,
  noise: 0.1,
  seed: 1,
  testRatio: 0.25,
  m: 5,
  c: 7,
  hidden: [16, 16],
  activation: 'tanh',
  loss: 'hinge',
  optimizer: 'adam',
  mode: 'minibatch',
  batchSize: 16,
  learningRate: 0.01,
  l2: 0.0001,
  view: 'train',
  expression: MICROGRAD_EXPRESSION,
} satisfies PlaygroundState);

/** Bounds that keep a run small enough to train live in a page. */
export const LIMITS = {
  samples: { min: 10, max: 1000 },
  noise: { min: 0, max: 2 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  testRatio: { min: 0.05, max: 0.9 },
  coefficient: { min: -1000, max: 1000 },
  hiddenLayers: { max: 6 },
  width: { min: 1, max: 64 },
  batchSize: { min: 1, max: 1000 },
  learningRate: { min: 1e-6, max: 10 },
  l2: { min: 0, max: 1 },
  expressionLength: { max: 4000 },
} as const;

export function cloneState(state: Readonly<PlaygroundState>): PlaygroundState {
  return { ...state, hidden: [...state.hidden] };
}
