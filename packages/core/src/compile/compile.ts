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
 * A recording holds only the decisions taken while recording. `relu`, `max`,
 * `min` and `abs` are ops and choose afresh on every call; a JavaScript `if`
 * on a node's `.data`, or a number computed from `.data` and fed back as a
 * constant, is frozen at its recorded outcome. `compile` records three times
 * (with the example inputs; with NaN inputs, under which every comparison is
 * false and every number computed from an input is NaN, skipped if fn throws
 * on NaN; and with inputs of the other sign, which flip comparisons with 0 and
 * with the example) and throws where the graphs differ.
 *
 * Also fixed at recording: which leaves require a gradient, and every leaf
 * that is neither an input, a listed parameter nor trainable (a constant).
 * Anomaly mode does not watch a replay; debug a NaN with the eager graph.
 * Unknown input names are looked for the first time a sample object is seen
 * (a caller may refill one object between calls at no cost).
 */
import { describe } from '../describe.js';
import { isAnomalyDetectionEnabled, isGradEnabled, setAnomalyDetection } from '../grad-mode.js';
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
import { keepGraph, sameGraph, type KeptGraph, type Recording } from './same-graph.js';
import { buildTape, tapeDifference, type Tape } from './tape.js';
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
   * a small tape; a larger one starts in the interpreter and moves to generated
   * code once its shape has been replayed long enough to pay for compiling it
   * (never for a huge one, a whole batch recorded as one graph). Elsewhere the
   * interpreter. Every mode gives the same numbers.
   */
  mode?: CompileMode;
  /**
   * Default true: record again with NaN inputs and with inputs of the other
   * sign, and throw if the graph differs (fn branched on, or computed a
   * constant from, an input's `.data`).
   * Turn off for a function with side effects that must run once.
   */
  check?: boolean;
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
  /** How the tape is replayed now (`auto` may move from the interpreter to generated code). */
  readonly mode: 'codegen' | 'interpreter';
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
  let recorded: ReturnType<typeof recordAndFlatten> | null = null;
  try {
    recorded = recordAndFlatten(call, layout, parameters, check, where);
    if (recorded.kept !== null)
      checkRecording(call, layout, parameters, recorded.kept, recorded.tape, where);
  } catch (error) {
    throw tooLarge(error, where, layout, recorded?.tape ?? null);
  }
  const { tape } = recorded;

  const noGradient = (at: string): never => {
    throw new Error(
      `${at}: the output does not require a gradient: it was computed from inputs, constants and leaves with requiresGrad false only`,
    );
  };
  // auto: generated code at once for a small tape, for a larger one once its
  // shape has been replayed enough to pay for the code (tiered, codegen.ts).
  let impl: ReturnType<typeof interpret> & { readonly mode?: 'codegen' | 'interpreter' };
  try {
    impl =
      mode === 'codegen'
        ? generate(tape, layout, noGradient)
        : mode === 'auto' && canGenerateCode()
          ? tiered(tape, layout, noGradient)
          : interpret(tape, layout, noGradient);
  } catch (error) {
    throw tooLarge(error, where, layout, tape);
  }
  const trainable = tape.requiresGrad[tape.output] === 1;
  // descend: the data object whose keys were last checked, and where its
  // losses go when the caller keeps none.
  const seen: KeyCount = { last: null };
  let scratch = new Float64Array(0);
  return {
    get mode() {
      return impl.mode ?? (mode === 'codegen' ? 'codegen' : 'interpreter');
    },
    // Copies: reordering them must not move gradients onto other Values.
    inputs: Object.freeze([...layout.names]),
    parameters: Object.freeze([...tape.params]),
    size: tape.op.length,
    run: impl.run,
    backward: impl.backward,
    accumulate: impl.accumulate,
    descend(data: unknown, lr: unknown, losses?: unknown): number {
      const at = 'descend(data, lr, losses)';
      if (!trainable) noGradient(at);
      const { columns, count }: Columns = readColumns(layout, data, at, seen);
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
      // only once every step has passed (a throw changes nothing at all).
      if (scratch.length !== count) scratch = new Float64Array(count);
      const total = impl.descend(columns, count, lr, scratch);
      losses?.set(scratch);
      return total;
    },
  };
}

/**
 * The recording that is kept, flattened, and with `check` what the check
 * pairs against, taken before fn runs again (see keepGraph). A function of
 * its own, so that nothing holds the graph once it is flattened: a large one
 * is let go while the check records fn twice more.
 */
function recordAndFlatten(
  fn: (inputs: Record<string, Value | Value[]>) => unknown,
  layout: InputLayout,
  parameters: readonly Value[],
  check: boolean,
  where: string,
): { tape: Tape; kept: KeptGraph | null } {
  const { root, inputs } = recordGraph(fn, layout, (i) => layout.examples[i] as number, where);
  if (!check) return { tape: buildTape(root, inputs, parameters), kept: null };
  const { nodes, kept } = keepGraph({ root, inputs });
  return { tape: buildTape(root, inputs, parameters, true, nodes), kept };
}

/**
 * Records fn again with other input values and throws where the graph differs.
 * Two probes, since either alone misses branches: NaN, on which every
 * comparison is false and every number computed from it is NaN (skipped where
 * fn refuses NaN), and values of the other sign and at least 1 away, which
 * flip comparisons with 0 and with the example.
 */
function checkRecording(
  fn: (inputs: Record<string, Value | Value[]>) => unknown,
  layout: InputLayout,
  parameters: readonly Value[],
  kept: KeptGraph,
  tape: Tape,
  where: string,
): void {
  const probes: [string, (slot: number) => number][] = [
    ['NaN inputs', () => Number.NaN],
    ['inputs of the other sign', (i) => otherValue(layout.examples[i] as number)],
  ];
  for (const [probe, values] of probes) {
    let recording: Recording;
    try {
      recording = recordGraph(fn, layout, values, where);
    } catch (error) {
      if (probe === 'NaN inputs') continue;
      throw new TraceError(
        `${where}: fn threw when recorded again with other input values (${error instanceof Error ? error.message : String(error)}), ` +
          'so its graph depends on the values of its inputs; pass check: false if that is intended.',
        `fn threw when recorded with ${probe}`,
        { cause: error },
      );
    }
    // Node for node the graph kept: its tape would be the tape kept.
    if (sameGraph(kept, recording, parameters)) continue;
    const again = buildTape(recording.root, recording.inputs, parameters, false);
    if (
      tape.params.length !== again.params.length ||
      tape.params.some((p, i) => p !== again.params[i])
    ) {
      throw new Error(
        `${where}: fn creates a new Value that requires a gradient each time it runs; a compiled function would ` +
          'freeze it at its recorded value. Create parameters outside fn, or give such a Value requiresGrad: false.',
      );
    }
    const difference = tapeDifference(tape, again);
    if (difference !== null) {
      throw new TraceError(
        `${where}: the graph of fn depends on the values of its inputs: recorded with the example inputs and with ${probe}, ${difference}. ` +
          'A compiled graph replays only the decisions made while recording: use the ops relu, max, min and abs rather than ' +
          'a JavaScript if on .data, and do not turn .data into plain numbers; pass check: false if the difference is intended.',
        `the graph recorded with ${probe} differs: ${difference}`,
      );
    }
  }
}

/** A value of the other sign and at least 1 away: flips comparisons with 0 and with the example. */
const otherValue = (x: number): number => (x >= 0 ? -x - 1 : 1 - x);

/**
 * The engine's own failures on a huge graph (the stack, an array's length, an
 * allocation) as a RangeError that says what was too large, with the original
 * as its `cause`; any other error as it is. V8 tells these apart only by their
 * messages, so the messages are matched; a RangeError of those kinds thrown by
 * fn itself is wrapped the same way.
 */
function tooLarge(error: unknown, where: string, layout: InputLayout, tape: Tape | null): unknown {
  if (!(error instanceof RangeError)) return error;
  if (!/Maximum call stack|Invalid (typed )?array length|allocation failed/i.test(error.message))
    return error;
  const size =
    tape === null
      ? `${layout.width} input numbers`
      : `${layout.width} input numbers, ${tape.op.length} op nodes, ${tape.nSlots} slots`;
  return new RangeError(
    `${where}: the graph is too large for this JavaScript engine (${size}): ${error.message}`,
    { cause: error },
  );
}

/** @internal Runs fn over fresh placeholders holding `values` and flattens its graph. */
export function record(
  fn: (inputs: Record<string, Value | Value[]>) => unknown,
  layout: InputLayout,
  parameters: readonly Value[],
  values: (slot: number) => number,
  where: string,
): Tape {
  const { root, inputs } = recordGraph(fn, layout, values, where);
  return buildTape(root, inputs, parameters);
}

/** Runs fn over fresh placeholders holding `values`: its graph, not yet flattened. */
function recordGraph(
  fn: (inputs: Record<string, Value | Value[]>) => unknown,
  layout: InputLayout,
  values: (slot: number) => number,
  where: string,
): Recording {
  // NaN inputs are expected during the check: anomaly mode would stop the recording.
  const anomaly = isAnomalyDetectionEnabled();
  setAnomalyDetection(false);
  try {
    const { flat, byName } = makePlaceholders(layout, values);
    const out = fn(byName);
    if (!(out instanceof Value))
      throw new TypeError(`${where}: expected fn to return a Value, received ${describe(out)}`);
    return { root: out, inputs: flat };
  } finally {
    setAnomalyDetection(anomaly);
  }
}
