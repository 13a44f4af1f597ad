/**
 * Gradient clipping as `torch.nn.utils.clip_grad_norm_` and
 * `clip_grad_value_`: between `backward()` and `step()`, scale the gradients
 * so that their total norm is at most `maxNorm`, or clamp each to
 * [−clipValue, clipValue]. A call that meets a gradient that is not finite
 * changes nothing and throws (PyTorch's `error_if_nonfinite`).
 */
import { Value } from '@ag/core';
import { checkKnownKeys, checkOptions, checkPositive, describe } from './argument-checks.js';

/** The options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** p of the p-norm: a positive number, or Infinity for the largest |gradient| (default 2). */
  normType?: number;
}

function checkParams(params: unknown, where: string): readonly Value[] {
  if (!Array.isArray(params))
    throw new TypeError(
      `${where}: expected params to be an array of Values, received ${describe(params)}`,
    );
  params.forEach((p: unknown, i) => {
    if (!(p instanceof Value))
      throw new TypeError(`${where}: expected params[${i}] to be a Value, received ${describe(p)}`);
  });
  return params as readonly Value[];
}

function checkFiniteGrads(params: readonly Value[], where: string): void {
  params.forEach((p, i) => {
    if (p.requiresGrad && !Number.isFinite(p.grad))
      throw new RangeError(
        `${where}: the gradient of params[${i}] is ${p.grad}; no gradient was changed`,
      );
  });
}

/**
 * Scales the gradients of `params` (those that require one) by
 * min(1, maxNorm / (‖g‖ + 1e-6)), ‖g‖ their total p-norm, as PyTorch does;
 * returns ‖g‖ before clipping.
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1); // ‖g‖₂ ≤ 1 now
 * optimizer.step();
 */
export function clipGradNorm(
  params: readonly Value[],
  maxNorm: number,
  options?: ClipGradNormOptions,
): number {
  const where = 'clipGradNorm(params, maxNorm, options)';
  const ps = checkParams(params, where);
  checkPositive(maxNorm, `${where}: maxNorm`);
  const o = checkOptions(options, where);
  checkKnownKeys(o, where, ['normType']);
  const normType = o.normType === undefined ? 2 : o.normType;
  if (typeof normType !== 'number')
    throw new TypeError(
      `${where}: expected options.normType to be a number, received ${describe(normType)}`,
    );
  if (!(normType > 0))
    throw new RangeError(
      `${where}: expected options.normType to be a positive number or Infinity, received ${normType}`,
    );
  checkFiniteGrads(ps, where);
  const grads = ps.filter((p) => p.requiresGrad);
  let total: number;
  if (normType === Infinity) {
    total = grads.reduce((m, p) => Math.max(m, Math.abs(p.grad)), 0);
  } else {
    let s = 0;
    for (const p of grads) s += Math.abs(p.grad) ** normType;
    total = s ** (1 / normType);
  }
  if (!Number.isFinite(total))
    throw new RangeError(
      `${where}: the total norm of the gradients is ${total}; no gradient was changed`,
    );
  const coef = Math.min(1, maxNorm / (total + 1e-6));
  if (coef < 1) for (const p of grads) p.grad *= coef;
  return total;
}

/**
 * Clamps every gradient of `params` to [−clipValue, clipValue], as PyTorch's `clip_grad_value_`.
 *
 * @example
 * loss.backward();
 * clipGradValue(model.parameters(), 0.5);
 */
export function clipGradValue(params: readonly Value[], clipValue: number): void {
  const where = 'clipGradValue(params, clipValue)';
  const ps = checkParams(params, where);
  checkPositive(clipValue, `${where}: clipValue`);
  checkFiniteGrads(ps, where);
  for (const p of ps)
    if (p.requiresGrad) p.grad = Math.min(clipValue, Math.max(-clipValue, p.grad));
}
