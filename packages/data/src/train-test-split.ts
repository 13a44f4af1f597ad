import { checkBoolean, checkNumber, checkOptions, showNumber } from './checks.js';
import { checkDataset, pick, type Dataset } from './dataset.js';
import { Rng, toRng, type Seed } from './rng.js';
import { checkSeed } from './seed.js';

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Fraction of the samples that goes to the test set, in (0, 1) (default 0.25). */
  testSize?: number;
  /** Shuffle before splitting (default true); off, the last samples are the test set. */
  shuffle?: boolean;
  /** A number or string seed, or an `Rng` to draw from (it is advanced). Default 0. */
  seed?: Seed | Rng;
}

/** The two parts of a split, and which samples of the input went where. */
export interface TrainTestSplit<D extends Dataset> {
  /** The training samples. */
  train: D;
  /** The test samples. */
  test: D;
  /** Where each training sample is in the input. */
  trainIndices: number[];
  /** Where each test sample is in the input. */
  testIndices: number[];
}

/**
 * Splits a data set in two, as scikit-learn's `train_test_split`: the test set
 * gets ceil(testSize · n) samples, the train set the rest; with shuffling, the
 * test set is the first ceil(testSize · n) indices of a random permutation.
 * Every sample lands in exactly one part. Rows are shared with the input, not
 * copied; other fields (coefficients, classes, ...) are carried over to both.
 *
 * @example
 * const { train, test } = trainTestSplit(moons({ samples: 200 }), { testSize: 0.2, seed: 1 });
 * const inOrder = trainTestSplit(data, { shuffle: false }); // test = the last 25%
 */
export function trainTestSplit<D extends Dataset>(
  data: D,
  options?: TrainTestSplitOptions,
): TrainTestSplit<D> {
  checkDataset(data, 'data');
  checkOptions(options, 'trainTestSplit(options)', ['testSize', 'shuffle', 'seed']);
  const { testSize = 0.25, shuffle = true, seed } = options ?? {};
  checkNumber(testSize, 'options.testSize');
  if (!(testSize > 0 && testSize < 1)) {
    throw new RangeError(
      `options.testSize: expected a number in (0, 1), received ${showNumber(testSize)}`,
    );
  }
  checkBoolean(shuffle, 'options.shuffle');
  if (seed !== undefined && !(seed instanceof Rng)) checkSeed(seed, 'options.seed');
  const n = data.x.length;
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  if (n > 0 && nTrain === 0) {
    throw new RangeError(
      `options.testSize ${showNumber(testSize)} leaves no training sample out of ${n}; use a smaller testSize or more samples`,
    );
  }
  let trainIndices: number[];
  let testIndices: number[];
  if (shuffle) {
    const order = toRng('options.seed', seed).permutation(n);
    testIndices = order.slice(0, nTest);
    trainIndices = order.slice(nTest);
  } else {
    trainIndices = Array.from({ length: nTrain }, (_, i) => i);
    testIndices = Array.from({ length: nTest }, (_, i) => nTrain + i);
  }
  return {
    train: pick(data, trainIndices),
    test: pick(data, testIndices),
    trainIndices,
    testIndices,
  };
}
