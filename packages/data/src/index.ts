export { Rng, type RngState, type Seed } from './rng.js';
export { MAX_LENGTH } from './checks.js';
export type { Dataset, ClassificationDataset, LabelFormat } from './dataset.js';
export type { ClassificationOptions } from './generators/classification.js';
export type { RegressionOptions, RegressionDataset, NoiseType } from './generators/regression.js';
export { linear, type LinearOptions } from './generators/linear.js';
export { polynomial, type PolynomialOptions } from './generators/polynomial.js';
export { sine, type SineOptions, type SineCoefficients } from './generators/sine.js';
export { moons, type MoonsOptions } from './generators/moons.js';
export { circles, type CirclesOptions } from './generators/circles.js';
export { blobs, type BlobsOptions, type BlobsDataset } from './generators/blobs.js';
export { spirals, type SpiralsOptions } from './generators/spirals.js';
export { xor, type XorOptions } from './generators/xor.js';
export { yinYang, yinYangClass, type YinYangOptions } from './generators/yin-yang.js';
export {
  trainTestSplit,
  type TrainTestSplitOptions,
  type TrainTestSplit,
} from './train-test-split.js';
export { batches, type BatchesOptions, type Batch } from './batches.js';
export { Standardizer, type StandardizerState } from './standardizer.js';
