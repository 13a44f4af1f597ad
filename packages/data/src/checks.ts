/**
 * Argument checks shared by every entry point. Each throws before anything is
 * changed, with a message that names the argument, the value received and what
 * was expected: TypeError for a wrong type, RangeError for a value out of range.
 */

/** A short, readable rendering of a received value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  return 'an object';
}

export function checkNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number, received ${show(value)}`);
  }
}

export function checkFinite(name: string, value: unknown): asserts value is number {
  checkNumber(name, value);
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, received ${show(value)}`);
  }
}

export function checkNonNegative(name: string, value: unknown): asserts value is number {
  checkNumber(name, value);
  if (!(value >= 0) || value === Infinity) {
    throw new RangeError(`${name} must be a finite number >= 0, received ${show(value)}`);
  }
}

export function checkInteger(
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  checkNumber(name, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    // Past 2^53 - 1 neighbouring integers are no longer distinct doubles, so the default
    // upper bound is Number.MAX_SAFE_INTEGER; the message names it rather than hiding it.
    const kind = max === Number.MAX_SAFE_INTEGER ? 'a safe integer' : 'an integer';
    throw new RangeError(`${name} must be ${kind} in [${min}, ${max}], received ${show(value)}`);
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
export function checkCount(name: string, value: unknown, min = 0): asserts value is number {
  checkInteger(name, value, min);
  if (value > MAX_LENGTH) {
    throw new RangeError(
      `${name} must be at most ${MAX_LENGTH} (2^24, the largest array this package builds), received ${show(value)}`,
    );
  }
}

export function checkBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${name} must be true or false, received ${show(value)}`);
  }
}

export function checkOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => JSON.stringify(a)).join(' or ');
    const Err = typeof value === 'string' ? RangeError : TypeError;
    throw new Err(`${name} must be ${list}, received ${show(value)}`);
  }
}

/** A range `[low, high]` of two finite numbers with low < high. */
export function checkRange(
  name: string,
  value: unknown,
): asserts value is readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(`${name} must be an array [low, high], received ${show(value)}`);
  }
  checkDense(name, value);
  const [low, high] = value as unknown[];
  checkFinite(`${name}[0]`, low);
  checkFinite(`${name}[1]`, high);
  if (!(low < high) || !Number.isFinite(high - low)) {
    throw new RangeError(
      `${name} must satisfy low < high with a finite width, received [${show(low)}, ${show(high)}]`,
    );
  }
}

/**
 * Options must be a plain object (or omitted), holding only known keys: a typo
 * such as `sample` for `samples` would otherwise be silently ignored.
 */
export function checkOptions(name: string, value: unknown, known: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an options object, received ${show(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${name} has an unknown option ${JSON.stringify(key)}; known options: ${known.join(', ')}`,
      );
    }
  }
}

/**
 * Throws a TypeError at the first hole of a sparse array (`[a, , b]`): a hole
 * is a missing element, which `forEach` and `map` skip, so a check written with
 * them would let it through (`state.state[1] is missing (a hole in a sparse array)`).
 */
export function checkDense(name: string, value: readonly unknown[]): void {
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) {
      throw new TypeError(`${name}[${i}] is missing (a hole in a sparse array)`);
    }
  }
}
