/**
 * The loss call shared by `fit` (eager and compiled) and `evaluate`: the one
 * place that checks a user's loss returned a `Value`.
 */
import { Value } from '@ag/core';
import { describe } from './argument-checks.js';

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
