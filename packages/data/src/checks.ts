/**
 * Argument checks shared by every entry point, in the style of `@ag/core` and
 * `@ag/nn`: `checkX(value, name)`, and a message that names the argument, what
 * was expected and what was received (`name: expected …, received …`). Each
 * throws before anything is changed: TypeError for a wrong type, RangeError for
 * a value out of range.
 */

/** Shows a received value in an error message: its type and a short preview (as `@ag/core`). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `number ${Object.is(value, -0) ? '-0' : String(value)}`;
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return Array.isArray(value)
        ? `an array of length ${value.length}`
        : `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  }
}

/** A number in a RangeError message: `-0` shown as such. */
export function showNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

export function checkNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name}: expected a number, received ${describe(value)}`);
  }
}

export function checkFinite(value: unknown, name: string): asserts value is number {
  checkNumber(value, name);
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name}: expected a finite number, received ${showNumber(value)}`);
  }
}

export function checkNonNegative(value: unknown, name: string): asserts value is number {
  checkNumber(value, name);
  if (!(value >= 0) || value === Infinity) {
    throw new RangeError(`${name}: expected a finite number >= 0, received ${showNumber(value)}`);
  }
}

export function checkInteger(
  value: unknown,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  checkNumber(value, name);
  if (!Number.isInteger(value) || value < min || value > max) {
    // Past 2^53 - 1 neighbouring integers are no longer distinct doubles, so the default
    // upper bound is Number.MAX_SAFE_INTEGER; the message names it rather than hiding it.
    const kind = max === Number.MAX_SAFE_INTEGER ? 'a safe integer' : 'an integer';
    throw new RangeError(
      `${name}: expected ${kind} in [${min}, ${max}], received ${showNumber(value)}`,
    );
  }
}

/**
 * The most elements a generator, `permutation` or a class count builds an array
 * of: 2^24 = 16,777,216. 2^24 rows of two numbers already take about 1.2 GB of
 * a default Node heap (~4 GB) and 20 s to build; a larger count used to run for
 * minutes until V8 aborted, or threw a bare "Invalid array length".
 */
export const MAX_LENGTH = 2 ** 24;

/** A count of elements to build (samples, classes, features): an integer in [min, MAX_LENGTH]. */
export function checkCount(value: unknown, name: string, min = 0): asserts value is number {
  checkInteger(value, name, min);
  if (value > MAX_LENGTH) {
    throw new RangeError(
      `${name}: expected at most ${MAX_LENGTH} (2^24, the largest array this package builds), received ${showNumber(value)}`,
    );
  }
}

export function checkBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${name}: expected a boolean, received ${describe(value)}`);
  }
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`: a list of names in a message. */
export function listOf(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length < 2
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

export function checkOneOf<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const Err = typeof value === 'string' ? RangeError : TypeError;
    throw new Err(`${name}: expected ${listOf(allowed)}, received ${describe(value)}`);
  }
}

/** A range `[low, high]` of two finite numbers with low < high. */
export function checkRange(
  value: unknown,
  name: string,
): asserts value is readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(`${name}: expected an array [low, high], received ${describe(value)}`);
  }
  checkDense(value, name);
  const [low, high] = value as unknown[];
  checkFinite(low, `${name}[0]`);
  checkFinite(high, `${name}[1]`);
  if (!(low < high) || !Number.isFinite(high - low)) {
    throw new RangeError(
      `${name}: expected low < high with a finite width, received [${showNumber(low)}, ${showNumber(high)}]`,
    );
  }
}

/**
 * Options must be a plain object (or omitted), holding only known keys: a typo
 * such as `sample` for `samples` would otherwise be silently ignored.
 */
export function checkOptions(value: unknown, name: string, known: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name}: expected an options object, received ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${name}: unknown option '${key}' (expected ${listOf(known)})`);
    }
  }
}

/**
 * Throws a TypeError at the first hole of a sparse array (`[a, , b]`): a hole
 * is a missing element, which `forEach` and `map` skip, so a check written with
 * them would let it through (`state.state: state.state[1] is missing (a hole in a sparse array)`).
 */
export function checkDense(value: readonly unknown[], name: string): void {
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) {
      throw new TypeError(`${name}: ${name}[${i}] is missing (a hole in a sparse array)`);
    }
  }
}
