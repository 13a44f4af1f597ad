/**
 * The samples `fit` and `evaluate` take, and their one check: every row before
 * the first update, so a bad row cannot stop training with parameters moved.
 */
import { checkDense, describe, holeError } from './argument-checks.js';

/** Samples: inputs `x[i]` and their targets `y[i]` (a number each: a value, a label or a class index). */
export interface Dataset {
  /** The inputs, one array of features per sample, all of the model's input size. */
  x: readonly (readonly number[])[];
  /** The targets, one number per sample, `y[i]` belonging to `x[i]`. */
  y: readonly number[];
}

/**
 * Checks the whole data set before the first update, so a bad row cannot stop
 * training halfway with the parameters already moved: every input is an array
 * of finite numbers, all of one width (that of `data.x[0]`, and the model's
 * `nin` where it has one), and every target is a finite number.
 */
export function checkData(data: unknown, fn: string, nin: number | undefined): Dataset {
  if (typeof data !== 'object' || data === null)
    throw new TypeError(`${fn}(options.data): expected { x, y }, received ${describe(data)}`);
  const { x, y } = data as Partial<Dataset>;
  if (!Array.isArray(x))
    throw new TypeError(
      `${fn}(options.data.x): expected an array of inputs, received ${describe(x)}`,
    );
  if (!Array.isArray(y))
    throw new TypeError(
      `${fn}(options.data.y): expected an array of targets, received ${describe(y)}`,
    );
  if (x.length !== y.length) {
    throw new RangeError(
      `${fn}(options.data): x and y must have the same length, received ${x.length} inputs and ${y.length} targets`,
    );
  }
  if (x.length === 0)
    throw new RangeError(`${fn}(options.data): expected at least one sample, received 0`);
  checkDense(x, `${fn}(options.data)`, 'data.x');
  checkDense(y, `${fn}(options.data)`, 'data.y');
  let width = 0;
  for (let i = 0; i < x.length; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row))
      throw new TypeError(
        `${fn}(options.data.x[${i}]): expected an array of numbers, received ${describe(row)}`,
      );
    if (i === 0) {
      width = row.length;
      if (nin !== undefined && width !== nin) {
        throw new RangeError(
          `${fn}(options.data.x[0]): expected an input of length ${nin} (the model's nin), received length ${width}`,
        );
      }
    } else if (row.length !== width) {
      throw new RangeError(
        `${fn}(options.data.x[${i}]): every input must have ${width} number${width === 1 ? '' : 's'} (as data.x[0]${nin === undefined ? '' : " and the model's nin"}), received length ${row.length}`,
      );
    }
    for (let j = 0; j < width; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' && !(j in row))
        throw holeError(`${fn}(options.data)`, `data.x[${i}]`, j);
      if (typeof v !== 'number')
        throw new TypeError(
          `${fn}(options.data.x[${i}][${j}]): expected a number, received ${describe(v)}`,
        );
      if (!Number.isFinite(v))
        throw new RangeError(
          `${fn}(options.data.x[${i}][${j}]): expected a finite number, received ${v}`,
        );
    }
  }
  for (let i = 0; i < y.length; i++) {
    const t: unknown = y[i];
    if (typeof t !== 'number')
      throw new TypeError(
        `${fn}(options.data.y[${i}]): expected a finite number, received ${describe(t)}`,
      );
    if (!Number.isFinite(t))
      throw new RangeError(`${fn}(options.data.y[${i}]): expected a finite number, received ${t}`);
  }
  return { x, y };
}
