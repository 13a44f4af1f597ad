import { checkDense, describe, showNumber } from './checks.js';

/** A fitted standardizer's parameters as plain JSON. */
export interface StandardizerState {
  /** Each column's mean. */
  mean: number[];
  /** Each column's population standard deviation (0 for a constant column, then only centered). */
  std: number[];
}

/**
 * Feature-wise standardization, z = (x - mean) / std, as scikit-learn's
 * `StandardScaler`: `fit` learns each column's mean and population standard
 * deviation (divisor n), so the same transform applies to new data. A constant
 * column (std 0) is only centered: it is divided by 1.
 *
 * @example
 * const scaler = new Standardizer().fit(train.x);
 * const z = scaler.transform(test.x); // with the training mean and std
 */
export class Standardizer {
  private fitted: StandardizerState | undefined;

  /**
   * A standardizer with known parameters, e.g. from `toJSON()`.
   * @example
   * const saved = JSON.stringify(scaler);
   * const again = Standardizer.fromJSON(JSON.parse(saved));
   */
  static fromJSON(state: StandardizerState): Standardizer {
    if (typeof state !== 'object' || state === null) {
      throw new TypeError(`state: expected { mean, std }, received ${describe(state)}`);
    }
    const { mean, std } = state as { mean?: unknown; std?: unknown };
    checkVector(mean, 'state.mean');
    checkVector(std, 'state.std');
    if (mean.length !== std.length) {
      throw new RangeError(
        `state.mean and state.std must have the same length, received ${mean.length} and ${std.length}`,
      );
    }
    std.forEach((s, j) => {
      if (s < 0)
        throw new RangeError(`state.std[${j}]: expected a number >= 0, received ${showNumber(s)}`);
    });
    const scaler = new Standardizer();
    scaler.fitted = { mean: mean.slice(), std: std.slice() };
    return scaler;
  }

  /**
   * Learns each column's mean and standard deviation from rows `x`; returns this.
   * @example
   * const scaler = new Standardizer().fit([[1, 10], [3, 30]]);
   * scaler.mean; // [2, 20]
   */
  fit(x: readonly (readonly number[])[]): this {
    const width = checkRows(x, 'x', undefined);
    if (x.length === 0)
      throw new RangeError('x: expected at least one row to fit, received 0 rows');
    const n = x.length;
    const mean = new Array<number>(width).fill(0);
    for (const row of x) for (let j = 0; j < width; j++) mean[j]! += row[j]!;
    for (let j = 0; j < width; j++) mean[j]! /= n;
    // Two passes: the sum of squared deviations, not E[x²] - E[x]², which cancels badly.
    const std = new Array<number>(width).fill(0);
    for (const row of x) for (let j = 0; j < width; j++) std[j]! += (row[j]! - mean[j]!) ** 2;
    for (let j = 0; j < width; j++) std[j] = Math.sqrt(std[j]! / n);
    this.fitted = { mean, std };
    return this;
  }

  /**
   * New rows z[i][j] = (x[i][j] - mean[j]) / std[j]; the input is not changed.
   * @example
   * const scaler = new Standardizer().fit(train.x);
   * const z = scaler.transform(test.x);
   */
  transform(x: readonly (readonly number[])[]): number[][] {
    const { mean, std } = this.state('transform');
    checkRows(x, 'x', mean.length);
    return x.map((row) => row.map((v, j) => (v - mean[j]!) / scale(std[j]!)));
  }

  /**
   * Fits on `x` and returns `transform(x)`.
   * @example
   * const scaler = new Standardizer();
   * const z = scaler.fitTransform(train.x);
   */
  fitTransform(x: readonly (readonly number[])[]): number[][] {
    return this.fit(x).transform(x);
  }

  /**
   * Undoes `transform`: x[i][j] = z[i][j] · std[j] + mean[j].
   * @example
   * const z = scaler.transform(x);
   * const back = scaler.inverseTransform(z); // x again, up to rounding
   */
  inverseTransform(z: readonly (readonly number[])[]): number[][] {
    const { mean, std } = this.state('inverseTransform');
    checkRows(z, 'z', mean.length);
    return z.map((row) => row.map((v, j) => v * scale(std[j]!) + mean[j]!));
  }

  /** Whether `fit` (or `fromJSON`) has set the parameters. */
  get isFitted(): boolean {
    return this.fitted !== undefined;
  }

  /** Each column's mean (a copy). */
  get mean(): number[] {
    return this.state('mean').mean.slice();
  }

  /** Each column's population standard deviation (a copy). */
  get std(): number[] {
    return this.state('std').std.slice();
  }

  /** The parameters as plain JSON, for `fromJSON`. */
  toJSON(): StandardizerState {
    const { mean, std } = this.state('toJSON');
    return { mean: mean.slice(), std: std.slice() };
  }

  private state(caller: string): StandardizerState {
    if (this.fitted === undefined) {
      throw new Error(`Standardizer.${caller}: call fit(x) first`);
    }
    return this.fitted;
  }
}

const scale = (s: number) => (s === 0 ? 1 : s);

function checkVector(value: unknown, name: string): asserts value is number[] {
  if (!Array.isArray(value))
    throw new TypeError(`${name}: expected an array of numbers, received ${describe(value)}`);
  checkDense(value, name);
  value.forEach((v: unknown, j) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new (typeof v === 'number' ? RangeError : TypeError)(
        `${name}[${j}]: expected a finite number, received ${typeof v === 'number' ? showNumber(v) : describe(v)}`,
      );
    }
  });
}

/** Checks rows of finite numbers, all of one width (`width` if given); returns the width. */
function checkRows(x: unknown, name: string, width: number | undefined): number {
  if (!Array.isArray(x))
    throw new TypeError(`${name}: expected an array of rows, received ${describe(x)}`);
  checkDense(x, name);
  let w = width;
  (x as unknown[]).forEach((row, i) => {
    checkVector(row, `${name}[${i}]`);
    w ??= row.length;
    if (row.length !== w) {
      throw new RangeError(`${name}[${i}]: expected ${w} features, received ${row.length}`);
    }
  });
  return w ?? 0;
}
