/**
 * Compares the gradients that backprop gives with central differences
 * (f(x + ε) − f(x − ε)) / 2ε, entry by entry; PyTorch's defaults.
 */
import { describe } from './describe.js';
import { noGrad } from './grad-mode.js';
import { gradients } from './higher-order.js';
import { Value } from './value.js';

export interface GradcheckOptions {
  /** Step of the central difference (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, against the numeric gradient (default 1e-3). */
  rtol?: number;
}

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

export interface GradcheckResult {
  /** Every entry within tolerance. */
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  /** The entry furthest past (or closest to) its tolerance. */
  worst: GradcheckEntry;
  entries: GradcheckEntry[];
}

function nonNegative(
  options: GradcheckOptions,
  key: keyof GradcheckOptions,
  fallback: number,
  positive: boolean,
  name: string,
): number {
  const v: unknown = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number')
    throw new TypeError(`${name}(options.${key}): expected a number, received ${describe(v)}`);
  if (!Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new RangeError(
      `${name}(options.${key}): expected a finite ${positive ? 'positive' : 'non-negative'} number, received ${v}`,
    );
  }
  return v;
}

const OPTION_NAMES = ['eps', 'atol', 'rtol'];

/** The checks both functions share; returns eps, atol, rtol. */
function checkArguments(
  name: string,
  fn: unknown,
  inputs: unknown,
  options: unknown,
): { eps: number; atol: number; rtol: number } {
  if (typeof fn !== 'function')
    throw new TypeError(`${name}(fn): expected a function, received ${describe(fn)}`);
  if (!Array.isArray(inputs))
    throw new TypeError(
      `${name}(inputs): expected an array of numbers, received ${describe(inputs)}`,
    );
  if (inputs.length === 0)
    throw new RangeError(`${name}(inputs): expected at least one input, received an empty array`);
  for (let i = 0; i < inputs.length; i++) {
    // A hole (a sparse array) would be skipped by forEach and become NaN later.
    if (!(i in inputs))
      throw new TypeError(
        `${name}(inputs): inputs[${i}] is a hole (a sparse array); expected a number`,
      );
    const x: unknown = inputs[i];
    if (typeof x !== 'number')
      throw new TypeError(
        `${name}(inputs): expected inputs[${i}] to be a number, received ${describe(x)}`,
      );
    if (!Number.isFinite(x))
      throw new RangeError(`${name}(inputs): expected inputs[${i}] to be finite, received ${x}`);
  }
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${name}(options): expected an object, received ${describe(options)}`);
  for (const key of Object.keys(options))
    if (!OPTION_NAMES.includes(key))
      throw new TypeError(
        `${name}(options): unknown option '${key}' (expected 'eps', 'atol' or 'rtol')`,
      );
  const o = options as GradcheckOptions;
  return {
    eps: nonNegative(o, 'eps', 1e-6, true, name),
    atol: nonNegative(o, 'atol', 1e-5, false, name),
    rtol: nonNegative(o, 'rtol', 1e-3, false, name),
  };
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
  const { eps, atol, rtol } = checkArguments('gradcheck', fn, inputs, options);

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
    return entry(index, (leaves[index] as Value).grad, numeric, atol, rtol);
  });

  return summarize(entries, atol, rtol);
}

function entry(
  index: number,
  analytic: number,
  numeric: number,
  atol: number,
  rtol: number,
): GradcheckEntry {
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
}

function summarize(entries: GradcheckEntry[], atol: number, rtol: number): GradcheckResult {
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

/**
 * The second-order check (PyTorch's `gradgradcheck`): the Hessian that
 * `gradients(…, { createGraph: true })` differentiated again gives, against
 * central differences of the first-order `gradients`. Entry `index` is
 * i·n + j for ∂²f/∂xᵢ∂xⱼ, n inputs.
 *
 * @example
 * gradgradcheck((a, b) => a.mul(b).sin(), [0.3, -1.2]).ok; // true
 */
export function gradgradcheck(
  fn: (...inputs: Value[]) => Value,
  inputs: readonly number[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps, atol, rtol } = checkArguments('gradgradcheck', fn, inputs, options);
  const n = inputs.length;
  const evaluate = (xs: Value[]): Value => {
    const out: unknown = fn(...xs);
    if (!(out instanceof Value))
      throw new TypeError(
        `gradgradcheck(fn): expected fn to return a Value, received ${describe(out)}`,
      );
    return out;
  };
  const leaves = inputs.map((x) => new Value(x));
  const first = gradients(evaluate(leaves), leaves, { createGraph: true });
  const analytic = first.map((gi) => gradients(gi, leaves).map((d) => d.data));
  const gradientAt = (xs: readonly number[]): number[] => {
    const ls = xs.map((x) => new Value(x));
    return gradients(evaluate(ls), ls).map((d) => d.data);
  };
  const entries: GradcheckEntry[] = [];
  for (let j = 0; j < n; j++) {
    const plus = gradientAt(inputs.map((y, k) => (k === j ? y + eps : y)));
    const minus = gradientAt(inputs.map((y, k) => (k === j ? y - eps : y)));
    for (let i = 0; i < n; i++) {
      const numeric = ((plus[i] as number) - (minus[i] as number)) / (2 * eps);
      entries.push(entry(i * n + j, (analytic[i] as number[])[j] as number, numeric, atol, rtol));
    }
  }
  entries.sort((p, q) => p.index - q.index);
  return summarize(entries, atol, rtol);
}
