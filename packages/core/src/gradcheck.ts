/**
 * Compares the gradients that backprop gives with central differences
 * (f(x + ε) − f(x − ε)) / 2ε, entry by entry; PyTorch's defaults.
 */
import { describe } from './describe.js';
import { noGrad } from './grad-mode.js';
import { Value } from './value.js';

/** Options of {@link gradcheck}: the step and the tolerances, PyTorch's defaults. */
export interface GradcheckOptions {
  /** Step of the central difference (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, against the numeric gradient (default 1e-3). */
  rtol?: number;
}

/** How one input's gradient compares: backprop against central differences. */
export interface GradcheckEntry {
  /** Which input. */
  index: number;
  /** ∂f/∂input from `backward()`. */
  analytic: number;
  /** The same from central differences. */
  numeric: number;
  /** |analytic − numeric| */
  absError: number;
  /** |analytic − numeric| / |numeric| (Infinity where numeric is 0 and they differ). */
  relError: number;
  /** Whether |analytic − numeric| ≤ atol + rtol·|numeric|. */
  ok: boolean;
}

/** What {@link gradcheck} found, input by input. */
export interface GradcheckResult {
  /** Every entry within tolerance. */
  ok: boolean;
  /** The largest `absError` of the entries. */
  maxAbsError: number;
  /** The largest `relError` of the entries. */
  maxRelError: number;
  /** The entry furthest past (or closest to) its tolerance. */
  worst: GradcheckEntry;
  /** One entry per input, in the order of `inputs`. */
  entries: GradcheckEntry[];
}

function nonNegative(
  options: GradcheckOptions,
  key: keyof GradcheckOptions,
  fallback: number,
  positive: boolean,
): number {
  const v: unknown = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number')
    throw new TypeError(`gradcheck(options.${key}): expected a number, received ${describe(v)}`);
  if (!Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new RangeError(
      `gradcheck(options.${key}): expected a finite ${positive ? 'positive' : 'non-negative'} number, received ${v}`,
    );
  }
  return v;
}

/**
 * Checks `fn`'s gradients at `inputs` against central differences.
 *
 * @example
 * const { ok, worst } = gradcheck((a, b) => a.mul(b).tanh(), [0.3, -1.2]);
 * if (!ok) console.log(worst);
 */
export function gradcheck(
  fn: (...inputs: Value[]) => Value,
  inputs: readonly number[],
  options: GradcheckOptions = {},
): GradcheckResult {
  if (typeof fn !== 'function')
    throw new TypeError(`gradcheck(fn): expected a function, received ${describe(fn)}`);
  if (!Array.isArray(inputs satisfies unknown))
    throw new TypeError(
      `gradcheck(inputs): expected an array of numbers, received ${describe(inputs)}`,
    );
  if (inputs.length === 0)
    throw new RangeError('gradcheck(inputs): expected at least one input, received an empty array');
  inputs.forEach((x: unknown, i) => {
    if (typeof x !== 'number')
      throw new TypeError(
        `gradcheck(inputs): expected inputs[${i}] to be a number, received ${describe(x)}`,
      );
    if (!Number.isFinite(x))
      throw new RangeError(`gradcheck(inputs): expected inputs[${i}] to be finite, received ${x}`);
  });
  const eps = nonNegative(options, 'eps', 1e-6, true);
  const atol = nonNegative(options, 'atol', 1e-5, false);
  const rtol = nonNegative(options, 'rtol', 1e-3, false);

  const evaluate = (xs: readonly Value[]): Value => {
    const out: unknown = fn(...xs);
    if (!(out instanceof Value))
      throw new TypeError(
        `gradcheck(fn): expected fn to return a Value, received ${describe(out)}`,
      );
    return out;
  };

  const leaves = inputs.map((x) => new Value(x));
  evaluate(leaves).backward();

  const entries = inputs.map((x, index): GradcheckEntry => {
    const at = (shifted: number): number =>
      noGrad(() => evaluate(inputs.map((y, j) => new Value(j === index ? shifted : y))).data);
    const numeric = (at(x + eps) - at(x - eps)) / (2 * eps);
    const analytic = (leaves[index] as Value).grad;
    const absError = Math.abs(analytic - numeric);
    const relError = absError === 0 ? 0 : absError / Math.abs(numeric);
    return {
      index,
      analytic,
      numeric,
      absError,
      relError,
      ok: absError <= atol + rtol * Math.abs(numeric),
    };
  });

  // Worst: largest error measured in units of its own tolerance.
  const excess = (e: GradcheckEntry): number =>
    Number.isNaN(e.absError)
      ? Infinity
      : e.absError / (atol + rtol * Math.abs(e.numeric) || Number.MIN_VALUE);
  let worst = entries[0] as GradcheckEntry;
  for (const e of entries) if (excess(e) > excess(worst)) worst = e;
  return {
    ok: entries.every((e) => e.ok),
    maxAbsError: Math.max(...entries.map((e) => e.absError)),
    maxRelError: Math.max(...entries.map((e) => e.relError)),
    worst,
    entries,
  };
}
