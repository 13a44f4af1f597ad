/**
 * The updates of a `fit` run: the loss over a batch compiled once per batch
 * size the plan compiles (`compile` of `@ag/core`) and replayed at every
 * update, and built eagerly for the others, with the same numbers either way,
 * bit for bit.
 */
import { compile, TraceError, type Value } from '@ag/core';
import { callLoss, type FitLoss } from './call-loss.js';
import type { Dataset } from './dataset.js';
import type { CompiledFitLoss } from './fit-options.js';
import type { FitPlan } from './fit-plan.js';
import type { Forward } from './resolve-forward.js';

/**
 * One update's forward, loss and backward over samples `order[start]` …
 * `order[end − 1]`; returns the loss. Gradients are zeroed by the caller.
 */
export type Update = (order: readonly number[], start: number, end: number) => number;

/** The updates of a `fit` run, and whether (and if not, why not) they are compiled. */
export interface Updates {
  update: Update;
  /** Online mode compiled only, else null. */
  fused: FusedEpoch | null;
  /** Whether any update replays a compiled graph. */
  compiled: boolean;
  /** When not compiled, why. */
  reason?: string;
}

/** A whole pass of online plain SGD fused into the compiled code (`descend` of `@ag/core`). */
export interface FusedEpoch {
  /**
   * One step per sample of `order` at rate `lr`; returns the sum of the steps'
   * losses. At a non-finite gradient or parameter it throws a RangeError,
   * having changed nothing. The samples are copied into the compiled
   * function's columns on the first call and when `refill` is true (the order
   * changed, or a callback may have changed the data since).
   */
  run(order: readonly number[], lr: number, refill: boolean): number;
  /**
   * `count` passes (1 ≤ count ≤ `passesPerCall`) over the samples in order,
   * one after the other in one call: the steps of `count` calls of `run`, and
   * in `sums[j]` what the j-th would have returned. For a run that nothing
   * observes between passes (no shuffle, no callback): a cheap pass then costs
   * no call of its own. A RangeError changes nothing, as in `run`.
   */
  runPasses(count: number, lr: number, sums: Float64Array): void;
  /** The passes one `runPasses` call takes at most (1 if a pass is long enough alone). */
  passesPerCall: number;
  /** The leaves the compiled loss trains (those that require a gradient). */
  trained: ReadonlySet<Value>;
}

/**
 * `runPasses` takes passes until a call replays about this many op nodes
 * (passes × samples × `f.size`, or the samples' numbers if more). On W2 (a
 * line, 3 nodes and 100 samples a pass: 13 passes a call) 2¹⁰ to 2¹⁴ ran
 * alike, the calls' own work (fit's bookkeeping, descend's checks) a few
 * percent; at 2¹⁶ each fit's first call, 43,600 samples long, ran mostly
 * before V8 had optimized the new code, and fit took twice as long.
 */
export const FUSED_CALL_NODES = 1 << 12;

/** An error thrown by the forward pass or the loss while `compile` recorded them (`error`). */
class ThrewWhileRecorded extends Error {
  constructor(readonly error: unknown) {
    super(messageOf(error));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The eager update: a graph built afresh from the samples, and its backward pass. */
export function eagerUpdate(forward: Forward['forward'], loss: FitLoss, data: Dataset): Update {
  return (order, start, end) => {
    const outputs: Value[][] = [];
    const targets: number[] = [];
    for (let k = start; k < end; k++) {
      const i = order[k] as number;
      outputs.push(forward(data.x[i] as readonly number[]));
      targets.push(data.y[i] as number);
    }
    const l = callLoss(loss, outputs, targets, 'fit');
    l.backward();
    return l.data;
  };
}

/**
 * The plan's updates. Every batch size it compiles is compiled before the
 * first update, so a graph that cannot be compiled fails (or, under `'auto'`,
 * falls back to eager) before anything has changed.
 */
export function planUpdates(plan: FitPlan): Updates {
  const { forward, loss, data, parameters } = plan;
  const eager = eagerUpdate(forward, loss, data);
  const c = plan.compile;
  if (c.mode === null) return { update: eager, fused: null, compiled: false, reason: c.reason };
  // checkData has made every row this wide.
  const nin = (data.x[0] as readonly number[]).length;
  const compileBatch = (b: number) => {
    try {
      return compile(
        ({ x, y }) => {
          try {
            const outputs: Value[][] = [];
            for (let r = 0; r < b; r++) outputs.push(forward(x.slice(r * nin, (r + 1) * nin)));
            return callLoss(loss as CompiledFitLoss, outputs, y.slice(), 'fit');
          } catch (error) {
            // compile's own read trap: let it through as what it is.
            throw error instanceof TraceError ? error : new ThrewWhileRecorded(error);
          }
        },
        {
          inputs: { x: new Array<number>(b * nin).fill(0), y: new Array<number>(b).fill(0) },
          parameters,
          mode: c.mode,
        },
      );
    } catch (thrown) {
      if (c.fallback && thrown instanceof TraceError) return thrown.message;
      // The forward pass or the loss refused Value inputs (a class index that
      // picks a logit, a number method on a target): eager fit gives them numbers.
      if (c.fallback && thrown instanceof ThrewWhileRecorded)
        return `the forward pass or the loss threw when recorded with Value inputs: ${messageOf(thrown.error)}`;
      const error = thrown instanceof ThrewWhileRecorded ? thrown.error : thrown;
      throw new Error(
        `fit(options.compile): could not compile the loss over a batch of ${b} samples: ${messageOf(error)}`,
        { cause: error },
      );
    }
  };
  type Compiled = Exclude<ReturnType<typeof compileBatch>, string>;
  const byBatchSize = new Map<
    number,
    { f: Compiled; sample: { x: Float64Array; y: Float64Array } }
  >();
  for (const b of c.batchSizes) {
    const f = compileBatch(b);
    // The graph depends on the data: it cannot be compiled for any batch size.
    if (typeof f === 'string') return { update: eager, fused: null, compiled: false, reason: f };
    const x = new Float64Array(b * nin);
    const y = new Float64Array(b);
    byBatchSize.set(b, { f, sample: { x, y } });
  }
  const update: Update = (order, start, end) => {
    const compiled = byBatchSize.get(end - start);
    if (compiled === undefined) return eager(order, start, end);
    const { x, y } = compiled.sample;
    for (let k = start, r = 0; k < end; k++, r++) {
      const i = order[k] as number;
      const row = data.x[i] as readonly number[];
      for (let j = 0, at = r * nin; j < nin; j++) x[at + j] = row[j] as number;
      y[r] = data.y[i] as number;
    }
    return compiled.f.backward(compiled.sample);
  };
  const one = byBatchSize.get(1);
  if (one === undefined || plan.batchSize !== 1) return { update, fused: null, compiled: true };
  // The pass's samples as columns, in the pass's order.
  const n = data.x.length;
  // Sample order[k] (k itself without an order) into row k of x and y.
  const fill = (x: Float64Array, y: Float64Array, order: readonly number[] | null): void => {
    for (let k = 0; k < n; k++) {
      const i = order === null ? k : (order[k] as number);
      const row = data.x[i] as readonly number[];
      for (let j = 0, at = k * nin; j < nin; j++) x[at + j] = row[j] as number;
      y[k] = data.y[i] as number;
    }
  };
  let columns: { x: Float64Array; y: Float64Array } | null = null;
  const run = (order: readonly number[], lr: number, refill: boolean): number => {
    if (refill || columns === null) {
      columns ??= { x: new Float64Array(n * nin), y: new Float64Array(n) };
      fill(columns.x, columns.y, order);
    }
    return one.f.descend(columns, lr);
  };
  const trained = new Set(one.f.parameters.filter((p) => p.requiresGrad));
  // A sample's columns hold nin + 1 numbers, and it replays f.size nodes.
  const perSample = Math.max(one.f.size, nin + 1);
  const passesPerCall = Math.max(1, Math.floor(FUSED_CALL_NODES / (n * perSample)));
  // The samples in order, once per pass, and every step's loss: made at the
  // first call, for as many passes as it takes (no later call takes more).
  let repeated: {
    passes: number;
    columns: { x: Float64Array; y: Float64Array };
    losses: Float64Array;
  } | null = null;
  const runPasses = (count: number, lr: number, sums: Float64Array): void => {
    if (repeated === null || repeated.passes < count) {
      // One allocation: x, then y, then the losses.
      const samples = count * n;
      const buffer = new Float64Array(samples * (nin + 2));
      const x = buffer.subarray(0, samples * nin);
      const y = buffer.subarray(samples * nin, samples * (nin + 1));
      fill(x, y, null);
      for (let p = 1; p < count; p++) {
        x.copyWithin(p * n * nin, 0, n * nin);
        y.copyWithin(p * n, 0, n);
      }
      repeated = { passes: count, columns: { x, y }, losses: buffer.subarray(samples * (nin + 1)) };
    }
    const { passes, columns, losses } = repeated;
    const some =
      count === passes
        ? columns
        : { x: columns.x.subarray(0, count * n * nin), y: columns.y.subarray(0, count * n) };
    one.f.descend(some, lr, losses);
    passSums(losses, n, count, sums);
  };
  return {
    update,
    fused: { run, runPasses, passesPerCall, trained },
    compiled: true,
  };
}

/**
 * sums[j] = the losses of pass j added left to right from 0, as `descend`
 * adds a pass's total. Four passes at a time: four independent sums keep the
 * adder busy where one waits for each addition.
 */
function passSums(losses: Float64Array, n: number, count: number, sums: Float64Array): void {
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    const a = j * n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = a, end = a + n; i < end; i++) {
      s0 += losses[i] as number;
      s1 += losses[i + n] as number;
      s2 += losses[i + 2 * n] as number;
      s3 += losses[i + 3 * n] as number;
    }
    sums[j] = s0;
    sums[j + 1] = s1;
    sums[j + 2] = s2;
    sums[j + 3] = s3;
  }
  for (; j < count; j++) {
    let s = 0;
    for (let i = j * n, end = i + n; i < end; i++) s += losses[i] as number;
    sums[j] = s;
  }
}
