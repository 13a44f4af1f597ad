/**
 * Traced nodes: what `compile` records a function over. A placeholder input
 * and every node computed from one is a `TracedNode`, a `Value` whose number
 * is kept out of sight: while the recording runs, reading `.data` or `.grad`
 * of one throws a {@link TraceError} naming the read, as JAX's tracers refuse
 * to give up a concrete value. A graph recorded without such a read is the
 * same graph for every input, so one recording is enough.
 *
 * Eager nodes never meet any of this: `Value.data` stays a plain field, and
 * the ops take the traced path only when an operand carries the TRACED flag
 * (flags.ts), which they test in the flags they read anyway.
 */
import { EPOCH_SHIFT, OP_MASK, REQUIRES_GRAD as RG, TRACED } from './flags.js';
import { TraceError } from './compile/trace-error.js';
import type { Value } from './value.js';

/** How many recordings are running with the trap set (nested compiles count each). */
let armed = 0;
/**
 * The first TraceError of the running recording: thrown again when fn
 * returns, should fn have caught it (a try around a read would otherwise
 * record a graph that depends on its inputs).
 */
let sprung: TraceError | null = null;

/**
 * The `_f` a new leaf gets: REQUIRES_GRAD, and while compile runs fn, the
 * recording's number above EPOCH_SHIFT, so that a trainable leaf made inside
 * fn is recognised in the recorded graph (compile would freeze it).
 */
export let leafFlags = RG;

/**
 * Recordings so far; the epoch wraps within the bits from EPOCH_SHIFT to 29,
 * skipping 0: `_f` stays below 2³⁰, a small integer to V8 (a larger one would
 * turn the field of every node into a boxed number).
 */
let epochs = 0;
const EPOCH_LIMIT = 1 << (30 - EPOCH_SHIFT);

/**
 * A node whose number depends on a compile input. Its `_f` carries TRACED;
 * `_d` and `_g` hold what `data` and `grad` hold in a `Value`. Its prototype
 * is linked to `Value.prototype` in value.ts, so it is a `Value` to every
 * method and to `instanceof`. A placeholder holds its input's name in `_p`
 * and its index in a vector input in `_j` (−1 for a scalar input): its label,
 * made only when asked for (a label per number of a 10⁶-number input, in the
 * labels' WeakMap, cost seconds).
 */
export class TracedNode {
  _f: number;
  _a: Value | readonly Value[] | null;
  _b: Value | readonly Value[] | null;
  _d: number;
  _g: number;
  _p: string | null;
  _j: number;

  constructor(
    data: number,
    flags: number,
    a: Value | readonly Value[] | null,
    b: Value | readonly Value[] | null,
  ) {
    this._f = flags;
    this._a = a;
    this._b = b;
    this._d = data;
    this._g = 0;
    this._p = null;
    this._j = -1;
  }

  get data(): number {
    if (armed > 0) throw trapped(this, 'read .data of');
    return this._d;
  }
  set data(data: number) {
    if (armed > 0) throw trapped(this, 'wrote .data of');
    this._d = data;
  }
  get grad(): number {
    if (armed > 0) throw trapped(this, 'read .grad of');
    return this._g;
  }
  set grad(grad: number) {
    if (armed > 0) throw trapped(this, 'wrote .grad of');
    this._g = grad;
  }

  /** While recording, what the node is, not its number (printing it inside fn is not a read). */
  toString(): string {
    if (armed > 0) return `Value(traced: ${nodeName(this)})`;
    return `Value(data=${this._d}, grad=${this._g})`;
  }
}

/** The label of a placeholder (`x`, or `x[3]` in a vector input), or undefined for any other node. */
export function inputName(v: Value): string | undefined {
  const name = v._f & TRACED ? (v as unknown as TracedNode)._p : null;
  if (name === null) return undefined;
  const j = (v as unknown as TracedNode)._j;
  return j < 0 ? name : `${name}[${j}]`;
}

/** A node's number for the engine itself (the ops, the tape builder): never trapped. */
export const numberOf = (v: Value): number =>
  v._f & TRACED ? (v as unknown as TracedNode)._d : v.data;

/** Whether the trap is set (a recording with `check` is running). */
export const isArmed = (): boolean => armed > 0;

/**
 * Runs `fn` with the trap set (if `trap`) and new trainable leaves marked
 * with a fresh epoch, which it returns beside fn's result; both are put back
 * as they were afterwards, whatever happens.
 */
export function traceWith<T>(trap: boolean, fn: () => T): { result: T; epoch: number } {
  epochs = (epochs + 1) % EPOCH_LIMIT || 1;
  const epoch = epochs;
  const savedFlags = leafFlags;
  const savedArmed = armed;
  const savedSprung = sprung;
  leafFlags = RG | (epoch << EPOCH_SHIFT);
  if (trap) armed++;
  sprung = null;
  try {
    let result: T;
    try {
      result = fn();
    } catch (error) {
      // Whatever fn threw after a read, the read is what went wrong.
      throw (sprung as TraceError | null) ?? error;
    }
    // fn may have caught the read's error and gone on (TypeScript cannot see fn set it).
    const read = sprung as TraceError | null;
    if (read !== null) throw read;
    return { result, epoch };
  } finally {
    leafFlags = savedFlags;
    armed = savedArmed;
    sprung = savedSprung;
  }
}

/** Runs `fn` with the trap off: the engine's own reads of a recorded graph (its tape). */
export function untrapped<T>(fn: () => T): T {
  const saved = armed;
  armed = 0;
  try {
    return fn();
  } finally {
    armed = saved;
  }
}

/** The TraceError for `what` (`read .data of`, `called backward() on`, …) done to `node`. */
export function trapped(node: TracedNode | Value, what: string): TraceError {
  const read = `${what} ${nodeName(node)}`;
  const error = new TraceError(
    `compile(fn, options): fn ${read} while it was recorded. A compiled function replays the ` +
      'graph recorded once, so a number taken from a node that depends on an input would stay ' +
      'what it was for the example inputs. Use the ops relu, max, min and abs (they decide afresh ' +
      'on every call) instead of a JavaScript if on .data, compute with Values rather than plain ' +
      'numbers, or pass check: false to compile the graph as recorded, every decision frozen.',
    read,
  );
  sprung ??= error;
  return error;
}

/** `input 'x[3]'`, or `the 'tanh' node ('h') computed from input 'x[3]'`. */
function nodeName(node: TracedNode | Value): string {
  const v = node as Value;
  const label = v.label;
  if ((v._f & OP_MASK) === 0) {
    const input = inputName(v);
    return input === undefined
      ? 'a number computed from an input inside noGrad()'
      : `input '${input}'`;
  }
  const named = label === undefined ? '' : ` ('${label}')`;
  const input = inputBelow(v);
  const from = input === undefined ? 'an input' : `input '${input}'`;
  return `the '${v.op}' node${named} computed from ${from}`;
}

/** The label of the first input reached from `root` through traced operands (depth first, first operand first). */
function inputBelow(root: Value): string | undefined {
  const stack: Value[] = [root];
  const seen = new Set<Value>();
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    if (seen.has(v)) continue;
    seen.add(v);
    if ((v._f & OP_MASK) === 0) {
      const input = inputName(v);
      if (input !== undefined) return input;
      continue;
    }
    // Pushed last to first, so the first operand is looked at first.
    const operands: Value[] = [];
    for (const field of [v._a, v._b]) {
      if (field === null) continue;
      if (Array.isArray(field)) {
        for (const u of field as readonly Value[]) operands.push(u);
      } else operands.push(field as Value);
    }
    for (let i = operands.length - 1; i >= 0; i--) {
      const u = operands[i] as Value;
      if (u._f & TRACED && !seen.has(u)) stack.push(u);
    }
  }
  return undefined;
}
