/** What the classification generators share: options, class sizes, labels, shuffling. */
import { checkBoolean, checkCount, checkNonNegative, checkOneOf, checkOptions } from '../checks.js';
import type { ClassificationDataset, LabelFormat } from '../dataset.js';
import { Rng, toRng, type Seed } from '../rng.js';
import { checkSeed } from '../seed.js';

/** Options every classification generator takes, as in scikit-learn. */
export interface ClassificationOptions {
  /** Number of samples (default 100). */
  samples?: number;
  /** Standard deviation of Gaussian noise added to each coordinate (default 0). */
  noise?: number;
  /** Shuffle the samples (default true). Off, they come class by class. */
  shuffle?: boolean;
  /**
   * A number or string seed, or an `Rng` to draw from (it is advanced).
   * Default 0: the same data every time.
   */
  seed?: Seed | Rng;
  /** Label format of `y` (default `'01'`). */
  labels?: LabelFormat;
}

const CLASSIFICATION_KEYS = ['samples', 'noise', 'shuffle', 'seed', 'labels'] as const;

export interface ParsedClassification {
  samples: number;
  noise: number;
  shuffle: boolean;
  labels: LabelFormat;
  /** Draws the points and their noise. */
  dataRng: Rng;
  /** Draws the shuffle, a separate stream so shuffling does not change the points. */
  shuffleRng: Rng;
}

/**
 * Checks the options of generator `fn`, then its own options through
 * `checkOwn` (which returns the number of classes), all before any draw, so a
 * failed call leaves a given `Rng` untouched; then splits the random streams.
 */
export function parseClassification(
  fn: string,
  options: ClassificationOptions | undefined,
  extraKeys: readonly string[],
  checkOwn: () => number,
): ParsedClassification & { classes: number } {
  checkOptions(options, `${fn}(options)`, [...CLASSIFICATION_KEYS, ...extraKeys]);
  const { samples = 100, noise = 0, shuffle = true, labels = '01', seed } = options ?? {};
  checkCount(samples, 'options.samples');
  checkNonNegative(noise, 'options.noise');
  checkBoolean(shuffle, 'options.shuffle');
  checkOneOf(labels, 'options.labels', ['01', 'pm1'] as const);
  if (seed !== undefined && !(seed instanceof Rng)) checkSeed(seed, 'options.seed');
  const classes = checkOwn();
  checkLabelsFit(labels, classes);
  const root = toRng('options.seed', seed);
  const dataRng = root.fork();
  const shuffleRng = root.fork();
  return { samples, noise, shuffle, labels, dataRng, shuffleRng, classes };
}

function checkLabelsFit(labels: LabelFormat, classes: number): void {
  if (labels === 'pm1' && classes !== 2) {
    throw new RangeError(
      `options.labels: 'pm1' expects exactly 2 classes, received ${classes} classes; use '01' for class indices`,
    );
  }
}

/**
 * How many samples each of k classes gets: n // k each, and the first n % k
 * classes one more (scikit-learn's make_blobs rule; two-class generators use
 * `halves` instead, as make_moons does).
 */
export function classSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, j) => Math.floor(n / k) + (j < n % k ? 1 : 0));
}

/** Two-class sizes as scikit-learn's make_moons splits them: n // 2 for class 0, the rest for class 1. */
export function halves(n: number): [number, number] {
  const first = Math.floor(n / 2);
  return [first, n - first];
}

/** `n` evenly spaced numbers over [start, stop] (numpy's linspace; [start] when n = 1). */
export function linspace(start: number, stop: number, n: number, endpoint = true): number[] {
  if (n === 1) return [start];
  const step = (stop - start) / (endpoint ? n - 1 : n);
  return Array.from({ length: n }, (_, i) => start + i * step);
}

/** Adds N(0, noise^2) to every coordinate, row by row; no draws when noise is 0. */
export function addNoise(x: number[][], noise: number, rng: Rng): void {
  if (noise === 0) return;
  for (const row of x) {
    for (let j = 0; j < row.length; j++) row[j] = (row[j] as number) + noise * rng.standardNormal();
  }
}

/** Applies the label format and the shuffle, and assembles the data set. */
export function finish(
  x: number[][],
  classIndex: number[],
  classes: number,
  parsed: ParsedClassification,
): ClassificationDataset {
  const order = parsed.shuffle
    ? parsed.shuffleRng.permutation(x.length)
    : Array.from({ length: x.length }, (_, i) => i);
  const toLabel = parsed.labels === 'pm1' ? (c: number) => 2 * c - 1 : (c: number) => c;
  return {
    x: order.map((i) => x[i] as number[]),
    y: order.map((i) => toLabel(classIndex[i] as number)),
    classes,
    labels: parsed.labels,
  };
}
