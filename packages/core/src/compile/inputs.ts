/**
 * The inputs of a compiled function: named placeholders, each a scalar or a
 * vector of fixed length, and the check of the samples given for them at
 * every call (a failed check throws before anything is computed or added).
 */
import { describe } from '../describe.js';
import { placeholder, type Value } from '../value.js';

/**
 * The inputs, by name: a name alone (a scalar), or an example value whose
 * shape fixes the input's: a number for a scalar, an array of numbers for a
 * vector of that length. Example values are used for the recording.
 */
export type InputSpec = readonly string[] | Readonly<Record<string, number | readonly number[]>>;

/** The placeholders `fn` receives: a `Value` per scalar input, an array of them per vector input. */
export type Placeholders<S> = {
  readonly [K in keyof S]: S[K] extends readonly number[] ? readonly Value[] : Value;
};

/** What each call takes: a number per scalar input, an array (or typed array) of numbers per vector input. */
export type Sample<S> = {
  readonly [K in keyof S]: S[K] extends readonly number[] ? ArrayLike<number> : number;
};

/** The spec flattened: input i fills slots offsets[i] … offsets[i] + width(i) − 1. */
export interface InputLayout {
  readonly names: readonly string[];
  /** −1 for a scalar, else the vector's length. */
  readonly sizes: readonly number[];
  readonly offsets: readonly number[];
  /** Number of scalar slots over all inputs. */
  readonly width: number;
  /** The example values, one per slot. */
  readonly examples: Float64Array;
}

/** The example of a scalar input given by name alone: 1, 2, 3, … */
const defaultExample = (i: number): number => i + 1;

/** Reads and checks the `inputs` option of `compile`. */
export function layoutOf(spec: unknown, where: string): InputLayout {
  const names: string[] = [];
  const sizes: number[] = [];
  const offsets: number[] = [];
  const examples: number[] = [];
  const addName = (name: unknown, label: string): string => {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(
        `${where}: expected ${label} to be a non-empty string, received ${describe(name)}`,
      );
    }
    if (name === '__proto__') throw new RangeError(`${where}: '__proto__' cannot name an input`);
    if (names.includes(name))
      throw new RangeError(`${where}: the input name '${name}' appears twice`);
    names.push(name);
    offsets.push(examples.length);
    return name;
  };
  if (Array.isArray(spec)) {
    spec.forEach((name: unknown, i) => {
      addName(name, `options.inputs[${i}]`);
      sizes.push(-1);
      examples.push(defaultExample(i));
    });
  } else if (typeof spec === 'object' && spec !== null) {
    for (const [name, example] of Object.entries(spec as Record<string, unknown>)) {
      addName(name, 'an input name');
      if (typeof example === 'number') {
        sizes.push(-1);
        examples.push(example);
      } else if (Array.isArray(example) && example.length > 0) {
        example.forEach((e: unknown, j) => {
          if (typeof e !== 'number') {
            throw new TypeError(
              `${where}: expected options.inputs.${name}[${j}] to be a number, received ${describe(e)}`,
            );
          }
          examples.push(e);
        });
        sizes.push(example.length);
      } else {
        throw new TypeError(
          `${where}: expected options.inputs.${name} to be an example number or a non-empty array of numbers, received ${describe(example)}`,
        );
      }
    }
  } else {
    throw new TypeError(
      `${where}: expected options.inputs to be an array of names or an object of example values, received ${describe(spec)}`,
    );
  }
  return { names, sizes, offsets, width: examples.length, examples: Float64Array.from(examples) };
}

/**
 * Placeholders for one recording: traced leaves that need no gradient,
 * holding `values` (one per slot; compile gives the examples), labelled with the input's name
 * (`x`, or `x[3]` in a vector), whose numbers fn may not read (traced.ts).
 */
export function makePlaceholders(
  layout: InputLayout,
  values: (slot: number) => number,
): { flat: Value[]; byName: Record<string, Value | Value[]> } {
  const flat: Value[] = [];
  const byName: Record<string, Value | Value[]> = {};
  layout.names.forEach((name, i) => {
    const size = layout.sizes[i] as number;
    const at = layout.offsets[i] as number;
    if (size < 0) {
      const v = placeholder(values(at), name, -1);
      flat.push(v);
      byName[name] = v;
    } else {
      // One push per element: push(...vs) would spread 10⁶ arguments onto the stack.
      const vs: Value[] = [];
      for (let j = 0; j < size; j++) {
        const v = placeholder(values(at + j), name, j);
        vs.push(v);
        flat.push(v);
      }
      byName[name] = vs;
    }
  });
  return { flat, byName };
}

const isArrayLike = (x: unknown): x is ArrayLike<unknown> =>
  typeof x === 'object' && x !== null && typeof (x as { length?: unknown }).length === 'number';

/** The last sample object whose keys were counted (a caller refilling one object pays once). */
export interface KeyCount {
  last: unknown;
}

/**
 * Checks one sample and copies its numbers into `into` from `at` on; throws a
 * TypeError or RangeError naming the input otherwise. `call` names the call in
 * messages: `'backward(inputs)'`, or the index of a sample of `accumulate`.
 * Nothing is allocated unless the sample is bad.
 */
export function readSample(
  layout: InputLayout,
  sample: unknown,
  into: Float64Array,
  at: number,
  call: string | number,
  counted?: KeyCount,
): void {
  if (typeof sample === 'object' && sample !== null && !Array.isArray(sample)) {
    const { names, sizes, offsets } = layout;
    const s = sample as Record<string, unknown>;
    let ok = true;
    for (let i = 0; ok && i < names.length; i++) {
      const x = s[names[i] as string];
      const size = sizes[i] as number;
      const offset = at + (offsets[i] as number);
      if (size < 0) {
        if (typeof x === 'number') into[offset] = x;
        else ok = false;
      } else if (isArrayLike(x) && x.length === size) {
        for (let j = 0; ok && j < size; j++) {
          const e = x[j];
          if (typeof e === 'number') into[offset + j] = e;
          else ok = false;
        }
      } else {
        ok = false;
      }
    }
    if (ok && (counted === undefined || counted.last !== s)) {
      let keys = 0;
      for (const _ in s) keys++;
      ok = keys === names.length;
      if (ok && counted !== undefined) counted.last = s;
    }
    if (ok) return;
  }
  explainSample(layout, sample, call);
}

/** Throws the error that names what is wrong with a sample. */
function explainSample(layout: InputLayout, sample: unknown, call: string | number): never {
  const { names, sizes } = layout;
  const where = typeof call === 'number' ? `accumulate(samples[${call}])` : call;
  const expected = names.length === 0 ? 'no inputs' : `the inputs ${names.join(', ')}`;
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) {
    throw new TypeError(
      `${where}: expected an object with ${expected}, received ${describe(sample)}`,
    );
  }
  const s = sample as Record<string, unknown>;
  for (const key in s) {
    if (!names.includes(key))
      throw new TypeError(`${where}: unknown input '${key}' (expected ${expected})`);
  }
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const size = sizes[i] as number;
    const x = s[name];
    if (x === undefined && !(name in s))
      throw new TypeError(`${where}: missing input '${name}' (expected ${expected})`);
    if (size < 0) {
      if (typeof x !== 'number')
        throw new TypeError(
          `${where}: expected input '${name}' to be a number, received ${describe(x)}`,
        );
      continue;
    }
    if (!isArrayLike(x)) {
      throw new TypeError(
        `${where}: expected input '${name}' to be an array of ${size} numbers, received ${describe(x)}`,
      );
    }
    if (x.length !== size) {
      throw new RangeError(
        `${where}: expected input '${name}' to hold ${size} numbers, received ${x.length}`,
      );
    }
    for (let j = 0; j < size; j++) {
      if (typeof x[j] !== 'number') {
        throw new TypeError(
          `${where}: expected input '${name}'[${j}] to be a number, received ${describe(x[j])}`,
        );
      }
    }
  }
  throw new TypeError(`${where}: the sample does not match ${expected}`);
}

/** Checks that `samples` is an array; each sample is checked by {@link readSample}. */
export function checkSamples(
  samples: unknown,
  where: string,
): asserts samples is readonly unknown[] {
  if (!Array.isArray(samples)) {
    throw new TypeError(`${where}: expected an array of samples, received ${describe(samples)}`);
  }
}

/** The columns of `descend`, in layout order, and the number of samples they hold. */
export interface Columns {
  readonly columns: readonly ArrayLike<number>[];
  readonly count: number;
}

/**
 * Reads and checks the data of `descend`: an object with a column per input,
 * a number per sample for a scalar input and `size` numbers per sample, row
 * after row, for a vector input, every column holding the same number of
 * samples. Checked whole before anything is computed.
 */
// Longer than ~60 lines: one check per kind of bad column, each with its own message; splitting would scatter the messages.
export function readColumns(
  layout: InputLayout,
  data: unknown,
  where: string,
  counted?: KeyCount,
): Columns {
  const { names, sizes } = layout;
  const expected = `a column per input (${names.join(', ')})`;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(
      `${where}: expected data to be an object with ${expected}, received ${describe(data)}`,
    );
  }
  if (names.length === 0)
    throw new RangeError(`${where}: the function has no inputs, so data holds no samples`);
  const d = data as Record<string, unknown>;
  // Keys are looked at once per data object (a training loop passes the same one).
  if (counted === undefined || counted.last !== d) {
    for (const key in d) {
      if (!names.includes(key))
        throw new TypeError(`${where}: unknown input '${key}' in data (expected ${expected})`);
    }
  }
  const columns: ArrayLike<number>[] = [];
  let count = -1;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const size = sizes[i] as number;
    const column = d[name];
    if (column === undefined && !(name in d))
      throw new TypeError(`${where}: missing input '${name}' in data (expected ${expected})`);
    if (!isArrayLike(column) || column instanceof DataView) {
      throw new TypeError(
        `${where}: expected data.${name} to be an array of numbers, received ${describe(column)}`,
      );
    }
    const width = size < 0 ? 1 : size;
    if (column.length % width !== 0) {
      throw new RangeError(
        `${where}: input '${name}' is a vector of ${size}, so data.${name} must hold ${size} numbers per sample, row after row; received ${column.length} numbers`,
      );
    }
    const n = column.length / width;
    if (count >= 0 && n !== count) {
      throw new RangeError(
        `${where}: every column must hold the same number of samples: data.${names[0] as string} holds ${count}, data.${name} holds ${n}`,
      );
    }
    count = n;
    if (!(column instanceof Float64Array || column instanceof Float32Array)) {
      for (let j = 0; j < column.length; j++) {
        const x: unknown = column[j];
        if (typeof x !== 'number')
          throw new TypeError(
            `${where}: expected data.${name}[${j}] to be a number, received ${describe(x)}`,
          );
      }
    }
    columns.push(column as ArrayLike<number>);
  }
  if (counted !== undefined) counted.last = d;
  return { columns, count };
}
