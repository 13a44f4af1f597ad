/**
 * Argument checks shared by the package's public boundaries. Every message names
 * the argument, the value received and what was expected.
 */

/** A short, readable description of any value for an error message. */
export function describe(x: unknown): string {
  if (typeof x === 'number') return String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'function') return 'a function';
  if (typeof x === 'object') {
    const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof x}`;
}

function checkNumber(x: unknown, arg: string): number {
  if (typeof x !== 'number')
    throw new TypeError(`${arg}: expected a number, received ${describe(x)}`);
  return x;
}

/** A finite number. */
export function checkFinite(x: unknown, arg: string): number {
  const n = checkNumber(x, arg);
  if (!Number.isFinite(n)) throw new RangeError(`${arg}: expected a finite number, received ${n}`);
  return n;
}

/** A positive finite number (a learning rate, a Huber delta, ...). */
export function checkPositive(x: unknown, arg: string): number {
  const n = checkNumber(x, arg);
  if (!(Number.isFinite(n) && n > 0)) {
    throw new RangeError(`${arg}: expected a positive finite number, received ${n}`);
  }
  return n;
}

/** A finite number ≥ 0. */
export function checkNonNegative(x: unknown, arg: string): number {
  const n = checkNumber(x, arg);
  if (!(Number.isFinite(n) && n >= 0)) {
    throw new RangeError(`${arg}: expected a finite number >= 0, received ${n}`);
  }
  return n;
}

/** A number in [lo, hi) (`hiOpen`) or [lo, hi]. */
export function checkInRange(
  x: unknown,
  arg: string,
  lo: number,
  hi: number,
  hiOpen: boolean,
): number {
  const n = checkNumber(x, arg);
  if (!(n >= lo && (hiOpen ? n < hi : n <= hi))) {
    throw new RangeError(
      `${arg}: expected a number in [${lo}, ${hi}${hiOpen ? ')' : ']'}, received ${n}`,
    );
  }
  return n;
}

/** An integer ≥ `min`. */
export function checkInteger(x: unknown, arg: string, min: number): number {
  const n = checkNumber(x, arg);
  if (!(Number.isInteger(n) && n >= min)) {
    throw new RangeError(`${arg}: expected an integer >= ${min}, received ${n}`);
  }
  return n;
}

/** A boolean. */
export function checkBoolean(x: unknown, arg: string): boolean {
  if (typeof x !== 'boolean')
    throw new TypeError(`${arg}: expected a boolean, received ${describe(x)}`);
  return x;
}

/** One of the names in `allowed` (an activation, an init scheme, ...). */
export function checkOneOf<T extends string>(x: unknown, arg: string, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(x)) {
    throw new RangeError(
      `${arg}: expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, received ${describe(x)}`,
    );
  }
  return x as T;
}

/** A plain object (options bag), or undefined. */
export function checkOptions(x: unknown, arg: string): Record<string, unknown> {
  if (x === undefined) return {};
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${arg}: expected an options object, received ${describe(x)}`);
  }
  return x as Record<string, unknown>;
}

/** Rejects keys of an options bag that the function does not know (catches typos like `learningRate`). */
export function checkKnownKeys(
  options: Record<string, unknown>,
  arg: string,
  known: readonly string[],
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${arg}: unknown option '${key}' (expected one of ${known.map((k) => `'${k}'`).join(', ')})`,
      );
    }
  }
}

/**
 * Throws a TypeError at the first hole of a sparse array (`[a, , b]`): a hole
 * is a missing element, which `forEach`, `map` and `every` skip, so a check
 * written with them would let it through. `where` names the call and `name`
 * the array: `new SGD(params): params[1] is missing (a hole in a sparse array)`.
 */
export function checkDense(x: readonly unknown[], where: string, name: string): void {
  for (let i = 0; i < x.length; i++) if (!(i in x)) throw holeError(where, name, i);
}

/** The error for a hole at `name[i]`, for loops that meet it themselves. */
export function holeError(where: string, name: string, i: number): TypeError {
  return new TypeError(`${where}: ${name}[${i}] is missing (a hole in a sparse array)`);
}

/**
 * The most scalar parameters a module may hold: 2^24 = 16,777,216. Each is a
 * `Value` of about 60 bytes with its slots in the module's arrays, so 2^24 take
 * about 1–1.5 GB of a default Node heap (~4 GB); a scalar engine trains far
 * smaller models anyway. `new Linear(1e9, 1e9)` used to run for about 100 s
 * until V8 aborted.
 */
export const MAX_PARAMETERS = 2 ** 24;

/** Throws a RangeError before anything is allocated if `count` parameters exceed {@link MAX_PARAMETERS}. */
export function checkParameterCount(count: number, where: string, shape: string): void {
  if (count > MAX_PARAMETERS) {
    throw new RangeError(
      `${where}: ${shape} is ${count} parameters, more than the ${MAX_PARAMETERS} (2^24) a module may hold`,
    );
  }
}
