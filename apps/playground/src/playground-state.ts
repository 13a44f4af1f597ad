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
  /** Penalty on the weights: none, L1 (a proximal soft-threshold step) or L2 (a loss term). */
  regularization: RegularizationName;
  /**
   * Rate of the regularization (0 for none). The name is older than L1: links made when
   * the page had only an L2 penalty keep meaning what they meant.
   */
  l2: number;
  /** Input features computed from (x₁, x₂), in the order of {@link FEATURES}; 2-D data only. */
  features: FeatureName[];
  /** Draw the test points on the plot. */
  showTest: boolean;
  /** Paint the heat map in two colours (the predicted class) instead of a gradient. */
  discretize: boolean;
  view: ViewName;
  expression: string;
}

export const DATASETS = [
  'moons',
  'circles',
  'spirals',
  'xor',
  'blobs',
  'line',
  'plane',
  'gaussians',
] as const;
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
export const REGULARIZATIONS = ['none', 'l1', 'l2'] as const;
export type RegularizationName = (typeof REGULARIZATIONS)[number];
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type FeatureName = (typeof FEATURES)[number];
export type ViewName = (typeof VIEWS)[number];

/** Losses that make sense for each task; the first is the default when switching task. */
export const CLASSIFICATION_LOSSES: readonly LossName[] = ['hinge', 'bce', 'mse'];
export const REGRESSION_LOSSES: readonly LossName[] = ['mse', 'mae', 'huber'];

export function isRegression(dataset: DatasetName): boolean {
  return dataset === 'line' || dataset === 'plane' || dataset === 'gaussians';
}

/** The 1-D data set (the notebook's line); every other set has two inputs. */
export function isOneDimensional(dataset: DatasetName): boolean {
  return dataset === 'line';
}

/**
 * Noise a data set starts with when chosen in the form: enough to look like data, little
 * enough that its shape is still recognisable (spirals at 0.1 are a cloud).
 */
export const DEFAULT_NOISE: Readonly<Record<DatasetName, number>> = Object.freeze({
  moons: 0.1,
  circles: 0.05,
  spirals: 0.02,
  xor: 0.05,
  blobs: 0.2,
  line: 0.1,
  plane: 0.1,
  gaussians: 0.05,
});

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
  regularization: 'l2',
  l2: 0.0001,
  features: ['x1', 'x2'],
  showTest: true,
  discretize: false,
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
  return { ...state, hidden: [...state.hidden], features: [...state.features] };
}
