import { describe } from './describe.js';

/**
 * The checks both solvers make of their arguments: `x0` a non-empty array of
 * finite numbers (a hole in a sparse array is a missing number, not skipped),
 * `options` an object. `where` names the call in the messages.
 */
export function checkStart(x0: unknown, options: unknown, where: string): void {
  if (!Array.isArray(x0)) {
    throw new TypeError(
      `${where}: expected x0 to be an array of numbers, received ${describe(x0)}`,
    );
  }
  if (x0.length === 0) {
    throw new RangeError(
      `${where}: expected x0 to hold at least one number, received an empty array`,
    );
  }
  for (let j = 0; j < x0.length; j++) {
    const v: unknown = x0[j];
    if (typeof v !== 'number')
      throw new TypeError(`${where}: expected x0[${j}] to be a number, received ${describe(v)}`);
    if (!Number.isFinite(v))
      throw new RangeError(`${where}: expected x0[${j}] to be finite, received ${v}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${where}: expected options to be an object, received ${describe(options)}`,
    );
  }
}
