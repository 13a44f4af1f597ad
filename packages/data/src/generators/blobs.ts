import {
  checkCount,
  checkDense,
  checkFinite,
  checkNonNegative,
  checkRange,
  MAX_LENGTH,
  describe,
} from '../checks.js';
import type { ClassificationDataset } from '../dataset.js';
import {
  addNoise,
  classSizes,
  finish,
  parseClassification,
  type ClassificationOptions,
} from './classification.js';

export interface BlobsOptions extends ClassificationOptions {
  /**
   * The number of blobs, whose centers are drawn uniformly in `centerBox`, or
   * the centers themselves, one row each (default 3).
   */
  centers?: number | number[][];
  /** Standard deviation of each blob, one for all or one per center (default 1). */
  clusterStd?: number | number[];
  /** Number of features when `centers` is a count (default 2). */
  features?: number;
  /** The box [low, high] in which random centers are drawn (default [-10, 10]). */
  centerBox?: [number, number];
}

/** A blobs data set, with the centers the points were drawn around. */
export interface BlobsDataset extends ClassificationDataset {
  /** The center of each blob, one row per class. */
  centers: number[][];
}

/**
 * Isotropic Gaussian blobs, scikit-learn's `make_blobs`: blob j gets n // k
 * samples (the first n % k blobs one more), each drawn as center_j +
 * clusterStd_j · N(0, I). Class j is blob j. `noise`, if given, adds further
 * Gaussian noise to each coordinate.
 *
 * @example
 * const { x, y, centers } = blobs({ samples: 150, centers: 3, clusterStd: 0.5 });
 * const two = blobs({ centers: [[-2, 0], [2, 0]], labels: 'pm1' });
 */
export function blobs(options?: BlobsOptions): BlobsDataset {
  const opts = options ?? {};
  let k = 0;
  let features = 0;
  let stds: number[] = [];
  let box: readonly [number, number] = [-10, 10];
  const parsed = parseClassification(
    'blobs',
    options,
    ['centers', 'clusterStd', 'features', 'centerBox'],
    () => {
      const centers = opts.centers ?? 3;
      if (typeof centers === 'number') {
        checkCount(centers, 'options.centers', 1);
        k = centers;
        features = opts.features ?? 2;
        checkCount(features, 'options.features', 1);
      } else {
        if (!Array.isArray(centers) || centers.length === 0) {
          throw new TypeError(
            `options.centers: expected a count or a non-empty array of rows, received ${describe(centers)}`,
          );
        }
        checkDense(centers, 'options.centers');
        k = centers.length;
        const first: unknown = centers[0];
        features = Array.isArray(first) ? first.length : 0;
        centers.forEach((row: unknown, j) => {
          if (!Array.isArray(row) || row.length !== features || features === 0) {
            throw new TypeError(
              `options.centers[${j}]: expected an array of ${features || 'one or more'} numbers, received ${describe(row)}`,
            );
          }
          checkDense(row, `options.centers[${j}]`);
          row.forEach((v: unknown, d) => checkFinite(v, `options.centers[${j}][${d}]`));
        });
        if (opts.features !== undefined && opts.features !== features) {
          throw new RangeError(
            `options.features: expected the centers' ${features} features, received ${describe(opts.features)}`,
          );
        }
      }
      const std = opts.clusterStd ?? 1;
      if (Array.isArray(std)) {
        if (std.length !== k) {
          throw new RangeError(
            `options.clusterStd: expected one std per center (${k}), received ${describe(std)}`,
          );
        }
        checkDense(std, 'options.clusterStd');
        std.forEach((s: unknown, j) => checkNonNegative(s, `options.clusterStd[${j}]`));
        stds = std.slice();
      } else {
        checkNonNegative(std, 'options.clusterStd');
        stds = new Array<number>(k).fill(std);
      }
      // samples × features numbers: at most those of MAX_LENGTH rows of two.
      const samples = opts.samples ?? 100;
      if (samples * features > 2 * MAX_LENGTH) {
        throw new RangeError(
          `options.samples × options.features: expected at most ${2 * MAX_LENGTH} numbers (2^25), received ${samples} × ${features}`,
        );
      }
      if (opts.centerBox !== undefined) {
        checkRange(opts.centerBox, 'options.centerBox');
        box = opts.centerBox;
      }
      return k;
    },
  );
  const rng = parsed.dataRng;
  const centers: number[][] = Array.isArray(opts.centers)
    ? opts.centers.map((row) => row.slice())
    : Array.from({ length: k }, () =>
        Array.from({ length: features }, () => rng.uniform(box[0], box[1])),
      );
  const x: number[][] = [];
  const c: number[] = [];
  classSizes(parsed.samples, k).forEach((size, j) => {
    const center = centers[j] as number[];
    const std = stds[j] as number;
    for (let i = 0; i < size; i++) {
      x.push(center.map((m) => m + std * rng.standardNormal()));
      c.push(j);
    }
  });
  addNoise(x, parsed.noise, rng);
  return { ...finish(x, c, k, parsed), centers };
}
