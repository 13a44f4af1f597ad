/** `evaluate`: loss and accuracy over a data set, without building a graph. */
import { noGrad, type Value } from '@ag/core';
import { checkKnownKeys, checkOptions, describe } from './argument-checks.js';
import { callLoss, type FitLoss } from './call-loss.js';
import { checkData, type Dataset } from './dataset.js';
import type { Model } from './module.js';
import { resolveForward } from './resolve-forward.js';

/** The options `evaluate` takes besides `model` or `forward`. */
export interface EvaluateOptionsBase {
  /** The samples to evaluate on. */
  data: Dataset;
  /** The loss over all samples; leave it out when only the accuracy is wanted. */
  loss?: FitLoss;
  /**
   * Whether a sample's outputs count as right. Default: with one output,
   * (output > 0) === (target > 0), which fits ±1 labels with scores and 0/1 labels
   * with logits; with several, argmax === target (a class index).
   */
  isCorrect?: (outputs: readonly number[], target: number) => boolean;
}

/** `evaluate`'s options: exactly one of `model` or `forward`, the data, and optionally a loss. */
export type EvaluateOptions = EvaluateOptionsBase &
  (
    | {
        /** The model to evaluate: `evaluate` calls its `forward`. */
        model: Model;
        /** Not with `model`. */
        forward?: never;
      }
    | {
        /** Not with `forward`. */
        model?: never;
        /** The model's output for one sample: a `Value` or one per output. */
        forward: (x: readonly number[]) => Value | readonly Value[];
      }
  );

/** What `evaluate` returns: the loss (when a `loss` is given) and the accuracy. */
export interface Evaluation {
  /** The loss over all samples, in one call of `loss`. */
  loss: number;
  /** Fraction of samples judged correct, in [0, 1]. */
  accuracy: number;
}

function defaultIsCorrect(outputs: readonly number[], target: number): boolean {
  if (outputs.length === 1) return (outputs[0] as number) > 0 === target > 0;
  let best = 0;
  for (let i = 1; i < outputs.length; i++)
    if ((outputs[i] as number) > (outputs[best] as number)) best = i;
  return best === target;
}

/**
 * Loss and accuracy over a data set, without building a graph (under `noGrad`);
 * without `loss`, the accuracy only.
 *
 * @example
 * const { loss, accuracy } = evaluate({ model, data: { x, y }, loss: hinge });
 * const { accuracy: test } = evaluate({ model, data: testSet });
 */
export function evaluate(options: EvaluateOptions & { loss: FitLoss }): Evaluation;
export function evaluate(options: EvaluateOptions): Pick<Evaluation, 'accuracy'>;
export function evaluate(options: EvaluateOptions): Pick<Evaluation, 'accuracy'> | Evaluation {
  const o = checkOptions(options, 'evaluate(options)');
  checkKnownKeys(o, 'evaluate(options)', ['model', 'forward', 'data', 'loss', 'isCorrect']);
  const { forward, nin } = resolveForward(o, 'evaluate');
  const data = checkData(o.data, 'evaluate', nin);
  if (o.loss !== undefined && typeof o.loss !== 'function')
    throw new TypeError(
      `evaluate(options.loss): expected a function, received ${describe(o.loss)}`,
    );
  const isCorrect = (o.isCorrect ?? defaultIsCorrect) as (
    outputs: readonly number[],
    target: number,
  ) => boolean;
  if (typeof isCorrect !== 'function') {
    throw new TypeError(
      `evaluate(options.isCorrect): expected a function, received ${describe(o.isCorrect)}`,
    );
  }
  return noGrad(() => {
    const outputs = data.x.map((x) => forward(x));
    let correct = 0;
    outputs.forEach((out, i) => {
      if (
        isCorrect(
          out.map((v) => v.data),
          data.y[i] as number,
        )
      )
        correct++;
    });
    const accuracy = correct / outputs.length;
    if (o.loss === undefined) return { accuracy };
    const l = callLoss(o.loss as FitLoss, outputs, data.y.slice(), 'evaluate');
    return { loss: l.data, accuracy };
  });
}
