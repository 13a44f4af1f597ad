/**
 * The one data shape every generator returns and every tool accepts: one row
 * of features per sample in `x`, one target per sample in `y`, same order.
 * Rows are plain number arrays, so feeding a `Value` model is `model(x[i])`.
 */
import { checkDense, describe } from './checks.js';

/**
 * Samples as rows: `x[i]` is the feature vector of sample i (length = number
 * of features, the same for every row) and `y[i]` its target: a real number
 * for regression, a class label for classification.
 */
export interface Dataset {
  /** The feature rows, one per sample. */
  x: number[][];
  /** The targets, one per sample. */
  y: number[];
}

/**
 * Class labels: `'01'` gives class indices 0, 1, ..., k-1 (scikit-learn's
 * convention; 0/1 for two classes); `'pm1'` gives -1/+1 (two classes only, as
 * for a hinge loss: class 0 becomes -1, class 1 becomes +1).
 */
export type LabelFormat = '01' | 'pm1';

/** A classification data set: `y` holds labels in the chosen format. */
export interface ClassificationDataset extends Dataset {
  /** The number of classes. */
  classes: number;
  /** The format of the labels in `y`. */
  labels: LabelFormat;
}

/** Throws unless `data` is `{ x: number[][], y: number[] }` with one target per row. */
export function checkDataset(data: unknown, name: string): asserts data is Dataset {
  if (typeof data !== 'object' || data === null) {
    throw new TypeError(`${name}: expected a data set { x, y }, received ${describe(data)}`);
  }
  const { x, y } = data as { x?: unknown; y?: unknown };
  if (!Array.isArray(x))
    throw new TypeError(`${name}.x: expected an array of rows, received ${describe(x)}`);
  if (!Array.isArray(y))
    throw new TypeError(`${name}.y: expected an array of targets, received ${describe(y)}`);
  checkDense(x, `${name}.x`);
  checkDense(y, `${name}.y`);
  if (x.length !== y.length) {
    throw new RangeError(
      `${name}.x and ${name}.y must have the same length, received ${x.length} rows and ${y.length} targets`,
    );
  }
}

/**
 * The rows and targets at `indices`, in that order. Rows are shared with the
 * source, not copied; fields other than x and y (coefficients, classes, ...)
 * are carried over.
 */
export function pick<D extends Dataset>(data: D, indices: readonly number[]): D {
  const x = indices.map((i) => data.x[i] as number[]);
  const y = indices.map((i) => data.y[i] as number);
  return { ...data, x, y };
}
