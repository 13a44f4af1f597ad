/**
 * The loss of `fit` and `evaluate`, and its call, shared by `fit` (eager and
 * compiled) and `evaluate`: the one place that checks a user's loss returned a
 * `Value`.
 */
import { Value } from '@ag/core';
import { describe } from './argument-checks.js';

/**
 * A loss over a group of samples: each sample's model outputs (an array, one
 * entry per output) and their targets. Every loss of this package fits:
 * `loss: mse`, or `loss: (out, y) => mse(out, y, { reduction: 'sum' })`.
 */
export type FitLoss = (outputs: Value[][], targets: number[]) => Value;

/** Calls the loss (eager, or under `compile` with `Value` targets) and checks that it returned a `Value`. */
export function callLoss<T>(
  loss: (outputs: Value[][], targets: T[]) => unknown,
  outputs: Value[][],
  targets: T[],
  fn: string,
): Value {
  const l = loss(outputs, targets);
  if (!(l instanceof Value))
    throw new TypeError(
      `${fn}(options.loss): the loss must return a Value, it returned ${describe(l)}`,
    );
  return l;
}
