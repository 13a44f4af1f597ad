/**
 * Argument checks shared by the package's public boundaries, in the style of
 * `@ag/core` (and `@ag/data`): `checkX(value, arg)`, and a message
 * `arg: expected …, received …` that names the argument, what was expected and
 * what was received (`describe` for a wrong type, the number itself when out
 * of range); an unknown option reads `unknown option 'key' (expected 'a' or 'b')`.
 */

/** Shows a received value in an error message: its type and a short preview (as `@ag/core`). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
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

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`: a list of names in a message. */
export function listOf(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length < 2
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
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
    throw new RangeError(`${arg}: expected ${listOf(allowed)}, received ${describe(x)}`);
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
      throw new TypeError(`${arg}: unknown option '${key}' (expected ${listOf(known)})`);
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
