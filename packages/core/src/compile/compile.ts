/**
 * `compile`: record the graph of a function once, over placeholder inputs,
 * and replay it for new input values without building a graph: a tape of op
 * codes and slots in typed arrays, run as generated straight-line JavaScript
 * or, where generating code is forbidden, by a typed-array interpreter.
 *
 * The replay computes the same numbers as the eager engine, bit for bit: the
 * same ops with the same operands, and every gradient summed from the same
 * terms in the order eager `backward()` adds them.
 *
 * `compile` runs fn once, over placeholder inputs that hide their numbers
 * (as JAX's tracers do): while it runs, reading `.data` or `.grad` of an input
 * or of any node computed from one, or calling `backward()` on such a node,
 * throws a {@link TraceError} that names the node. A recording without such a
 * read is the same graph for every input: `relu`, `max`, `min` and `abs` are
 * ops and decide afresh on every call, where a JavaScript `if` on `.data`
 * would be frozen at its recorded outcome. A node computed from an input
 * under `noGrad()` and used in the graph is refused the same way, and so is a
 * trainable leaf made while fn runs (an Error: compiling would freeze a
 * parameter fn makes anew on every call). With `check: false` none of this is
 * checked: fn reads the example inputs' numbers, and the graph is compiled as
 * recorded, every decision taken for the examples.
 *
 * Also fixed at recording: which leaves require a gradient, and every leaf
 * that is neither an input, a listed parameter nor trainable (a constant).
 * Anomaly mode does not watch a replay; debug a NaN with the eager graph.
 * Unknown input names are looked for the first time a sample object is seen
 * (a caller may refill one object between calls at no cost).
 */
import { describe } from '../describe.js';
import { EPOCH_SHIFT, REQUIRES_GRAD, TRACED } from '../flags.js';
import { isAnomalyDetectionEnabled, isGradEnabled, setAnomalyDetection } from '../grad-mode.js';
import { inputName, traceWith, untrapped } from '../traced.js';
import { Value } from '../value.js';
import { canGenerateCode, generate, tiered } from './codegen.js';
import {
  layoutOf,
  makePlaceholders,
  readColumns,
  type Columns,
  type KeyCount,
  type InputLayout,
  type InputSpec,
  type Placeholders,
  type Sample,
} from './inputs.js';
import { interpret } from './interpreter.js';
import { buildTape, type Tape } from './tape.js';
import { TraceError } from './trace-error.js';

/** `codegen`: generated JavaScript; `interpreter`: the typed-array replay; `auto`: codegen where allowed. */
export type CompileMode = 'auto' | 'codegen' | 'interpreter';

/**
 * How {@link compile} records and replays `fn`.
 *
 * @example
 * const f = compile((x) => x.mul(w).add(b), { inputs: ['x'], mode: 'interpreter' });
 */
export interface CompileOptions<S extends InputSpec> {
  /**
   * The inputs, which change from call to call: names (scalars, recorded at
   * 1, 2, 3, …), or example values by name: a number for a scalar, an array of
   * numbers for a vector of that length.
   */
  inputs: S;
  /**
   * Leaves whose `data` is read at every call. Every leaf that requires a
   * gradient is read live and receives its gradient whether listed or not; list
   * here the leaves that need no gradient but change between calls. Any other
   * leaf, and every plain number, is a constant baked in at recording.
   */
  parameters?: readonly Value[];
  /**
   * Default `auto`: where `new Function` is allowed, generated code at once for
   * a small tape; a larger one starts in the interpreter and moves to
   * WebAssembly once its shape has been replayed long enough to pay for
   * compiling it (200 samples' worth), or, where WebAssembly is refused, to
   * generated code at its own, higher price (never for a huge tape, over
   * 100,000 statements). Elsewhere the interpreter. Every mode gives the same
   * numbers.
   */
  mode?: CompileMode;
  /**
   * Default true: while fn is recorded, reading the number of a node that
   * depends on an input throws a {@link TraceError} naming it, and a trainable
   * leaf made inside fn throws an Error. `false` lets fn read the example
   * inputs' numbers and compiles the graph as recorded, every JavaScript
   * decision frozen at the examples (fn runs once either way).
   */
  check?: boolean;
}

/** What a compiled function was made from, kept for {@link sourceOf}. */
const sources = new WeakMap<object, CompiledSource>();

/**
 * The function a {@link CompiledFunction} was recorded from and its inputs as
 * `compile` took them: what another recording of the same graph needs (an
 * exporter such as `@ag/io`'s `toOnnx(compiled)`).
 *
 * @example
 * const { fn, inputs } = sourceOf(compile(({ x }) => x.tanh(), { inputs: ['x'] }))!;
 */
export interface CompiledSource {
  /** The function given to `compile`. */
  readonly fn: (inputs: never) => Value;
  /** `options.inputs` as given to `compile`. */
  readonly inputs: InputSpec;
}

/**
 * The function and inputs `f` was compiled from, or undefined if `f` is not
 * a function returned by {@link compile}.
 *
 * @example
 * const f = compile(({ x }) => x.mul(w), { inputs: ['x'] });
 * sourceOf(f)?.inputs; // ['x']
 */
export function sourceOf(f: unknown): CompiledSource | undefined {
  return typeof f === 'object' && f !== null ? sources.get(f) : undefined;
}

/** The shape of one sample of inputs `S`: names given alone are scalar inputs. */
export type ShapeOf<S extends InputSpec> = S extends readonly (infer N extends string)[]
  ? Record<N, number>
  : S;

/**
 * A graph recorded once by {@link compile} and replayed over new inputs, with
 * the same numbers as the eager graph, bit for bit.
 *
 * @example
 * const f = compile((x) => x.mul(w).add(b).sub(3).square(), { inputs: ['x'] });
 * f.backward({ x: 2 }); // adds ∂loss/∂w and ∂loss/∂b into w.grad and b.grad
 */
export interface CompiledFunction<S extends InputSpec> {
  /**
   * How the tape is replayed now: `auto` may move from the interpreter to
   * WebAssembly (or, where that is refused, generated JavaScript).
   */
  readonly mode: 'codegen' | 'interpreter' | 'wasm';
  /** The input names, in order. */
  readonly inputs: readonly string[];
  /** The leaves read live at every call; those that require a gradient receive it. */
  readonly parameters: readonly Value[];
  /** The number of op nodes replayed per call (constant subgraphs are folded away). */
  readonly size: number;
  /**
   * The output for one sample (forward only; no gradient changes).
   * @example
   * const loss = f.run({ x: 2, y: 10 });
   */
  run(inputs: Sample<ShapeOf<S>>): number;
  /**
   * Forward and backward for one sample: adds ∂output/∂p into `p.grad` of every
   * parameter, as `output.backward()` on the eager graph would; returns the output.
   * @example
   * model.zeroGrad(); f.backward({ x: 2, y: 10 }); optimizer.step();
   */
  backward(inputs: Sample<ShapeOf<S>>): number;
  /**
   * `backward` for every sample in turn, all samples checked first (a bad one
   * throws before any gradient changes); returns the sum of the outputs, added
   * left to right.
   * @example
   * const total = f.accumulate(batch); // gradients summed over the batch
   */
  accumulate(samples: readonly Sample<ShapeOf<S>>[]): number;
  /**
   * Online gradient descent, fused: for each sample in turn, the gradient of
   * the output from zero, then p ← p − lr·∂output/∂p for every parameter that
   * requires a gradient. These are the numbers of the eager loop
   * `zeroGrad(); out.backward(); p.data -= lr * p.grad` (plain SGD, one step per
   * sample), bit for bit, with the parameters kept in the compiled code between
   * steps. `data` holds a column per input: a number per sample for a scalar
   * input, the vector's numbers sample after sample for a vector input.
   * Returns the sum of the steps' outputs (each taken before its update) and,
   * if `losses` is given, writes each into it. Afterwards `p.data` holds the
   * trained value and `p.grad` the last step's gradient (parameters that need no
   * gradient are left as they are). Everything is checked first; a step that
   * meets a non-finite gradient or parameter throws a RangeError naming the
   * sample and the parameter (`f.parameters[i]`), and nothing changes, `losses`
   * included. A function without inputs has no samples and is refused.
   * For momentum, Adam or schedules, use `backward` with an `@ag/nn` optimizer.
   * @example
   * const losses = new Float64Array(3);
   * f.descend({ x: [1, 2, 3], y: [7, 10, 13] }, 0.01, losses);
   */
  descend(data: ColumnData<ShapeOf<S>>, lr: number, losses?: Float64Array): number;
}

/** A column per input for `descend`: its numbers for every sample, sample after sample. */
export type ColumnData<S> = { readonly [K in keyof S]: ArrayLike<number> };

/**
 * Records `fn` once over placeholder inputs and returns a compiled function
 * that replays it, forward and backward, without building a graph per call.
 *
 * @example
 * const f = compile(({ x, y }) => w.mul(x).add(b).sub(y).square(), { inputs: ['x', 'y'] });
 * f.backward({ x: 2, y: 10 }); // w.grad and b.grad as after one eager backward()
 */
export function compile<const N extends string>(
  fn: (inputs: Placeholders<Record<N, number>>) => Value,
  options: CompileOptions<readonly N[]>,
): CompiledFunction<readonly N[]>;
export function compile<const S extends Readonly<Record<string, number | readonly number[]>>>(
  fn: (inputs: Placeholders<S>) => Value,
  options: CompileOptions<S>,
): CompiledFunction<S>;
// Longer than ~60 lines: mostly the argument checks, in the order the options are documented, and the returned object; the stages are functions of their own (README.md).
export function compile(
  fn: (inputs: never) => Value,
  options: CompileOptions<InputSpec>,
): CompiledFunction<InputSpec> {
  const where = 'compile(fn, options)';
  if (typeof fn !== 'function')
    throw new TypeError(`${where}: expected fn to be a function, received ${describe(fn)}`);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${where}: expected options to be an object, received ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!['inputs', 'parameters', 'mode', 'check'].includes(key)) {
      throw new TypeError(
        `${where}: unknown option '${key}' (expected inputs, parameters, mode, check)`,
      );
    }
  }
  const { mode = 'auto', check = true, parameters = [] } = options;
  if (mode !== 'auto' && mode !== 'codegen' && mode !== 'interpreter') {
    throw new RangeError(
      `${where}: expected options.mode to be 'auto', 'codegen' or 'interpreter', received ${describe(mode)}`,
    );
  }
  if (typeof check !== 'boolean')
    throw new TypeError(
      `${where}: expected options.check to be a boolean, received ${describe(check)}`,
    );
  if (!Array.isArray(parameters)) {
    throw new TypeError(
      `${where}: expected options.parameters to be an array of Values, received ${describe(parameters)}`,
    );
  }
  parameters.forEach((p: unknown, i) => {
    if (!(p instanceof Value)) {
      throw new TypeError(
        `${where}: expected options.parameters[${i}] to be a Value, received ${describe(p)}`,
      );
    }
    if (!p.isLeaf) {
      throw new TypeError(
        `${where}: expected options.parameters[${i}] to be a leaf Value, received one made by '${p.op}'`,
      );
    }
  });
  const layout = layoutOf(options.inputs, where);
  if (!isGradEnabled())
    throw new Error(`${where}: called inside noGrad(), where no graph is recorded`);
  if (mode === 'codegen' && !canGenerateCode()) {
    throw new Error(
      `${where}: mode 'codegen' needs new Function, which this environment forbids; use mode 'interpreter' or 'auto'`,
    );
  }

  const call = fn as (inputs: Record<string, Value | Value[]>) => unknown;
  const tape = recordOnce(
    call,
    layout,
    parameters,
    (i) => layout.examples[i] as number,
    check,
    where,
  );

  const noGradient = (at: string): never => {
    throw new Error(
      `${at}: the output does not require a gradient: it was computed from inputs, constants and leaves with requiresGrad false only`,
    );
  };
  // auto: generated code at once for a small tape, for a larger one once its
  // shape has been replayed enough to pay for the code (tiered, codegen.ts).
  const impl: ReturnType<typeof interpret> & {
    readonly mode?: 'codegen' | 'interpreter' | 'wasm';
  } =
    mode === 'codegen'
      ? generate(tape, layout, noGradient)
      : mode === 'auto' && canGenerateCode()
        ? tiered(tape, layout, noGradient)
        : interpret(tape, layout, noGradient);
  const trainable = tape.requiresGrad[tape.output] === 1;
  // descend: the data object whose keys were last checked, and where its
  // losses go when the caller keeps none.
  const seen: KeyCount = { last: null };
  let scratch = new Float64Array(0);
  // The last data checked, if its columns were all typed arrays of doubles or
  // floats: numbers only, which a call with the same object holding the same
  // arrays, of the same lengths, need not check again (a loop's every call).
  let typed: Columns | null = null;
  const compiled: CompiledFunction<InputSpec> = {
    get mode() {
      return impl.mode ?? (mode === 'codegen' ? 'codegen' : 'interpreter');
    },
    // Copies: reordering them must not move gradients onto other Values.
    inputs: Object.freeze(layout.names.slice()),
    parameters: Object.freeze(tape.params.slice()),
    size: tape.op.length,
    run: impl.run,
    backward: impl.backward,
    accumulate: impl.accumulate,
    descend(data: unknown, lr: unknown, losses?: unknown): number {
      const at = 'descend(data, lr, losses)';
      if (!trainable) noGradient(at);
      let checked = typed !== null && data === seen.last ? typed : null;
      if (checked !== null && !sameColumns(layout, data as ColumnRecord, checked)) checked = null;
      if (checked === null) {
        checked = readColumns(layout, data, at, seen);
        typed = checked.columns.every(isFloatArray) ? checked : null;
      }
      const { columns, count } = checked;
      if (typeof lr !== 'number' || !(lr > 0 && lr < Infinity)) {
        const why = `${at}: expected lr to be a positive finite number, received ${describe(lr)}`;
        throw typeof lr === 'number' ? new RangeError(why) : new TypeError(why);
      }
      if (losses !== undefined) {
        if (!(losses instanceof Float64Array))
          throw new TypeError(
            `${at}: expected losses to be a Float64Array, received ${describe(losses)}`,
          );
        if (losses.length < count)
          throw new RangeError(
            `${at}: expected losses to hold at least ${count} numbers (one per sample), received ${losses.length}`,
          );
      }
      // The steps write their losses here; the caller's array receives them
      // only once every step has passed (a throw changes nothing at all). It
      // only grows: a loop whose last call is shorter allocates nothing.
      if (scratch.length < count) scratch = new Float64Array(count);
      const total = impl.descend(columns, count, lr, scratch);
      losses?.set(count === scratch.length ? scratch : scratch.subarray(0, count));
      return total;
    },
  };
  sources.set(compiled, { fn, inputs: options.inputs });
  return compiled;
}

type ColumnRecord = Readonly<Record<string, unknown>>;

function isFloatArray(column: ArrayLike<number>): boolean {
  return column instanceof Float64Array || column instanceof Float32Array;
}

/** Whether `data` holds the arrays `last` was read from, each still of the length it had. */
function sameColumns(layout: InputLayout, data: ColumnRecord, last: Columns): boolean {
  const { names, sizes } = layout;
  const { columns, count } = last;
  for (let i = 0; i < names.length; i++) {
    const column = columns[i] as ArrayLike<number>;
    const size = sizes[i] as number;
    // A typed array's length changes only with a resizable buffer.
    if (data[names[i] as string] !== column || column.length !== count * (size < 0 ? 1 : size))
      return false;
  }
  return true;
}

/** @internal Records fn once over placeholders holding `values` (with the trap set) and flattens its graph. */
export function record(
  fn: (inputs: Record<string, Value | Value[]>) => unknown,
  layout: InputLayout,
  parameters: readonly Value[],
  values: (slot: number) => number,
  where: string,
): Tape {
  return recordOnce(fn, layout, parameters, values, true, where);
}

/**
 * Runs fn once over fresh placeholders holding `values` and flattens its
 * graph. With `check`, fn runs with the trap set (traced.ts), and the
 * flattening refuses the leaves that the trap cannot see: a node computed
 * from an input under noGrad() (or an input of another recording) used as a
 * constant, and a trainable leaf made while fn ran.
 */
function recordOnce(
  fn: (inputs: Record<string, Value | Value[]>) => unknown,
  layout: InputLayout,
  parameters: readonly Value[],
  values: (slot: number) => number,
  check: boolean,
  where: string,
): Tape {
  const { flat, byName } = makePlaceholders(layout, values);
  // The examples' numbers are not trained on: a NaN or ∞ among them (log at an
  // example 0) must not stop the recording, as anomaly mode would.
  const anomaly = isAnomalyDetectionEnabled();
  setAnomalyDetection(false);
  let traced: { result: unknown; epoch: number };
  try {
    traced = traceWith(check, () => fn(byName));
  } finally {
    setAnomalyDetection(anomaly);
  }
  const { result: out, epoch } = traced;
  if (!(out instanceof Value))
    throw new TypeError(`${where}: expected fn to return a Value, received ${describe(out)}`);
  const refuse = check ? (leaf: Value) => refuseLeaf(leaf, epoch, where) : null;
  // The tape builder reads the recorded numbers and keeps slots in grads.
  return untrapped(() => buildTape(out, flat, parameters, refuse));
}

/**
 * Throws for a leaf of the recorded graph that is not an input and carries
 * TRACED (its number came from an input) or this recording's epoch and a
 * gradient (fn made it); returns for any other.
 */
function refuseLeaf(leaf: Value, epoch: number, where: string): void {
  const f = leaf._f;
  if (f & TRACED) {
    const input = inputName(leaf);
    const read =
      input === undefined
        ? 'used a number computed from an input under noGrad() as a constant'
        : `used input '${input}' of another recording`;
    throw new TraceError(
      `${where}: fn ${read}; a compiled function would replay it as the number it held for the ` +
        'example inputs. Compute it with the graph (outside noGrad()), or pass check: false to freeze it.',
      read,
    );
  }
  if (f & REQUIRES_GRAD && f >>> EPOCH_SHIFT === epoch) {
    const label = leaf.label === undefined ? '' : ` ('${leaf.label}')`;
    throw new Error(
      `${where}: fn creates a new Value that requires a gradient each time it runs${label}; a compiled ` +
        'function would freeze it at its recorded value. Create parameters outside fn, or give such a ' +
        'Value requiresGrad: false.',
    );
  }
}
