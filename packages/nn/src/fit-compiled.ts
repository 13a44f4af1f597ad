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
  /** The leaves the compiled loss trains (those that require a gradient). */
  trained: ReadonlySet<Value>;
}

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
  const columns = { x: new Float64Array(n * nin), y: new Float64Array(n) };
  let filled = false;
  const run = (order: readonly number[], lr: number, refill: boolean): number => {
    if (refill || !filled) {
      for (let k = 0; k < n; k++) {
        const i = order[k] as number;
        const row = data.x[i] as readonly number[];
        for (let j = 0, at = k * nin; j < nin; j++) columns.x[at + j] = row[j] as number;
        columns.y[k] = data.y[i] as number;
      }
      filled = true;
    }
    return one.f.descend(columns, lr);
  };
  const trained = new Set(one.f.parameters.filter((p) => p.requiresGrad));
  return { update, fused: { run, trained }, compiled: true };
}
