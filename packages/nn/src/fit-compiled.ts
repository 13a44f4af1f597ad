/**
 * `fit` with `compile`: the loss over a batch is compiled once per batch size
 * (`compile` of `@ag/core`) and replayed at every update, with the same numbers
 * as the eager update, bit for bit.
 */
import { compile, type CompileMode, type Value } from '@ag/core';
import { describe } from './argument-checks.js';
import { callLoss } from './call-loss.js';
import type { CompiledFitLoss, Dataset, Forward, Update } from './fit.js';

/** `options.compile` as a compile mode, or null for the eager update. */
export function compileModeOf(c: unknown): CompileMode | null {
  if (c === undefined || c === false) return null;
  if (c === true) return 'auto';
  if (c === 'auto' || c === 'codegen' || c === 'interpreter') return c;
  throw new TypeError(
    `fit(options.compile): expected true, false, 'auto', 'codegen' or 'interpreter', received ${describe(c)}`,
  );
}

/** The compiled updates of a `fit` run. */
export interface CompiledUpdates {
  update: Update;
  /** Online mode (batches of 1) only, else null. */
  fused: FusedEpoch | null;
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
  trained: readonly Value[];
}

/**
 * The loss over a batch of b samples compiled once per b (the batch size and the
 * remainder), over vector inputs x (b·nin numbers, row after row) and y (b
 * targets); each update fills the same two arrays and replays.
 */
export function compiledUpdate(
  forward: Forward['forward'],
  loss: CompiledFitLoss,
  data: Dataset,
  parameters: readonly Value[],
  mode: CompileMode,
  batchSizes: readonly number[],
): CompiledUpdates {
  // checkData has made every row this wide.
  const nin = (data.x[0] as readonly number[]).length;
  const compileBatch = (b: number) => {
    try {
      return compile(
        ({ x, y }) => {
          const outputs: Value[][] = [];
          for (let r = 0; r < b; r++) outputs.push(forward(x.slice(r * nin, (r + 1) * nin)));
          return callLoss(loss, outputs, y.slice(), 'fit');
        },
        {
          inputs: { x: new Array<number>(b * nin).fill(0), y: new Array<number>(b).fill(0) },
          parameters,
          mode,
        },
      );
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(
        `fit(options.compile): could not compile the loss over a batch of ${b} samples: ${why}`,
        { cause: error },
      );
    }
  };
  // Every batch size is compiled before the first update, so a graph that
  // cannot be compiled fails before anything has changed.
  const byBatchSize = new Map(
    batchSizes.map((b) => {
      const x = new Float64Array(b * nin);
      const y = new Float64Array(b);
      return [b, { f: compileBatch(b), x, y, sample: { x, y } }] as const;
    }),
  );
  const update: Update = (order, start, end) => {
    const c = byBatchSize.get(end - start);
    if (c === undefined) throw new Error(`fit: no compiled graph for a batch of ${end - start}`);
    const { x, y } = c;
    for (let k = start, r = 0; k < end; k++, r++) {
      const i = order[k] as number;
      const row = data.x[i] as readonly number[];
      for (let j = 0, at = r * nin; j < nin; j++) x[at + j] = row[j] as number;
      y[r] = data.y[i] as number;
    }
    return c.f.backward(c.sample);
  };
  const one = byBatchSize.get(1);
  if (one === undefined || batchSizes.length !== 1) return { update, fused: null };
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
  return { update, fused: { run, trained: one.f.parameters.filter((p) => p.requiresGrad) } };
}
