import { checkBoolean, checkInteger, checkOptions, describe } from './checks.js';
import { checkDataset, pick, type Dataset } from './dataset.js';
import { Rng, toRng, type Seed } from './rng.js';
import { checkSeed } from './seed.js';

/** Options of {@link batches}. */
export interface BatchesOptions {
  /** Samples per batch, an integer >= 1. */
  size: number;
  /** Visit the samples in a random order (default false). */
  shuffle?: boolean;
  /**
   * Seed of the order: a number or string gives the same order every call; an
   * `Rng` is advanced, so passing the same one every epoch gives a new order
   * each epoch. Default 0.
   */
  seed?: Seed | Rng;
  /** Drop the last batch if it is short (default false: keep it). */
  dropLast?: boolean;
}

/** A mini-batch: the samples' rows and targets, and their indices in the data set. */
export type Batch<D extends Dataset> = D & {
  /** Where each sample of the batch is in the data set. */
  indices: number[];
};

/**
 * One pass over a data set in mini-batches of `size` samples, in order or
 * shuffled. Without `dropLast`, every sample is in exactly one batch; with it,
 * the n % size samples at the end of the order are left out. The order is
 * drawn when `batches` is called; the returned iterator is single-use. Rows
 * are shared with the data set, not copied.
 *
 * @example
 * for (const batch of batches(data, { size: 32, shuffle: true, seed: rng })) train(batch.x, batch.y);
 * const all = [...batches(data, { size: 10, dropLast: true })];
 */
export function batches<D extends Dataset>(
  data: D,
  options: BatchesOptions,
): IterableIterator<Batch<D>> {
  checkDataset(data, 'data');
  if (options === undefined) {
    throw new TypeError(
      'batches(data, options): expected options with a batch size, received undefined',
    );
  }
  checkOptions(options, 'batches(options)', ['size', 'shuffle', 'seed', 'dropLast']);
  const { size, shuffle = false, seed, dropLast = false } = options;
  if (size === undefined) {
    throw new TypeError(
      `options.size: expected a safe integer in [1, ${Number.MAX_SAFE_INTEGER}], received ${describe(size)}`,
    );
  }
  checkInteger(size, 'options.size', 1);
  checkBoolean(shuffle, 'options.shuffle');
  checkBoolean(dropLast, 'options.dropLast');
  if (seed !== undefined && !(seed instanceof Rng)) checkSeed(seed, 'options.seed');
  const n = data.x.length;
  const order = shuffle
    ? toRng('options.seed', seed).permutation(n)
    : Array.from({ length: n }, (_, i) => i);
  const end = dropLast ? n - (n % size) : n;
  return (function* () {
    for (let start = 0; start < end; start += size) {
      const indices = order.slice(start, Math.min(start + size, end));
      yield { ...pick(data, indices), indices };
    }
  })();
}
