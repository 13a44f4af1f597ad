/**
 * Learning-rate schedules: plain functions from the number of updates already
 * made (k = 0, 1, 2, …) to a learning rate. They know nothing of optimizers, so
 * any optimizer uses them the same way: `optimizer.lr = schedule(k)` before
 * step k, or `fit({ schedule })`.
 */
import {
  checkInRange,
  checkInteger,
  checkKnownKeys,
  checkNonNegative,
  checkOptions,
  checkPositive,
} from './argument-checks.js';

/** Learning rate for update k (0-based). */
export type Schedule = (k: number) => number;

/** The schedules made here: each is monotone in k, so its extremes over 0 … T − 1 are at the ends. */
const monotone = new WeakSet<Schedule>();

/**
 * Whether `schedule` is one of this package's, each monotone in k (falling, or
 * rising with a gamma above 1): then every rate of steps 0 … T − 1 lies between
 * schedule(0) and schedule(T − 1), and checking those two checks them all.
 * A schedule of your own is checked step by step as `fit` uses it.
 *
 * @example
 * isMonotoneSchedule(cosineDecay(1, { steps: 100 })); // true
 * isMonotoneSchedule((k) => 0.1); // false: not known to be monotone
 */
export function isMonotoneSchedule(schedule: unknown): boolean {
  return typeof schedule === 'function' && monotone.has(schedule as Schedule);
}

function monotoneSchedule(schedule: Schedule): Schedule {
  monotone.add(schedule);
  return schedule;
}

function checkStep(k: unknown, name: string): number {
  return checkInteger(k, `${name}(k)`, 0);
}

/**
 * The same rate at every step.
 *
 * @example
 * const schedule = constantLR(0.05);
 * schedule(1000); // 0.05
 */
export function constantLR(lr: number): Schedule {
  checkPositive(lr, 'constantLR(lr)');
  return monotoneSchedule((k) => {
    checkStep(k, 'constantLR');
    return lr;
  });
}

/** The options of `linearDecay`. */
export interface LinearDecayOptions {
  /** Steps over which the rate falls; after that it stays at the end value. */
  steps: number;
  /** The end rate as a fraction of `lr` (default 0.1, as micrograd's demo). */
  endFactor?: number;
}

/**
 * lr·(1 − (1 − endFactor)·min(k, steps)/steps): a straight line from `lr` to
 * `lr·endFactor`. micrograd's demo is `linearDecay(1, { steps: 100 })`, i.e.
 * 1 − 0.9·k/100.
 *
 * @example
 * const schedule = linearDecay(1, { steps: 100 });
 * schedule(50); // 0.55
 */
export function linearDecay(lr: number, options: LinearDecayOptions): Schedule {
  checkPositive(lr, 'linearDecay(lr)');
  const o = checkOptions(options, 'linearDecay(options)');
  checkKnownKeys(o, 'linearDecay(options)', ['steps', 'endFactor']);
  const steps = checkInteger(o.steps, 'linearDecay(options.steps)', 1);
  const endFactor =
    o.endFactor === undefined
      ? 0.1
      : checkInRange(o.endFactor, 'linearDecay(options.endFactor)', 0, 1, false);
  return monotoneSchedule((k) => {
    const t = Math.min(checkStep(k, 'linearDecay'), steps);
    return lr * (1 - ((1 - endFactor) * t) / steps);
  });
}

/** The options of `stepDecay`. */
export interface StepDecayOptions {
  /** Updates between two drops. */
  stepSize: number;
  /** Factor applied at each drop (default 0.1, as PyTorch's StepLR). */
  gamma?: number;
}

/**
 * lr·gamma^⌊k/stepSize⌋ (PyTorch's StepLR).
 *
 * @example
 * const schedule = stepDecay(0.1, { stepSize: 30 });
 * schedule(65); // 0.1 · 0.1² = 0.001
 */
export function stepDecay(lr: number, options: StepDecayOptions): Schedule {
  checkPositive(lr, 'stepDecay(lr)');
  const o = checkOptions(options, 'stepDecay(options)');
  checkKnownKeys(o, 'stepDecay(options)', ['stepSize', 'gamma']);
  const stepSize = checkInteger(o.stepSize, 'stepDecay(options.stepSize)', 1);
  const gamma = o.gamma === undefined ? 0.1 : checkPositive(o.gamma, 'stepDecay(options.gamma)');
  return monotoneSchedule((k) => lr * gamma ** Math.floor(checkStep(k, 'stepDecay') / stepSize));
}

/** The options of `exponentialDecay`. */
export interface ExponentialDecayOptions {
  /** Factor applied at every update. */
  gamma: number;
}

/**
 * lr·gamma^k (PyTorch's ExponentialLR).
 *
 * @example
 * const schedule = exponentialDecay(1, { gamma: 0.5 });
 * schedule(3); // 0.125
 */
export function exponentialDecay(lr: number, options: ExponentialDecayOptions): Schedule {
  checkPositive(lr, 'exponentialDecay(lr)');
  const o = checkOptions(options, 'exponentialDecay(options)');
  checkKnownKeys(o, 'exponentialDecay(options)', ['gamma']);
  const gamma = checkPositive(o.gamma, 'exponentialDecay(options.gamma)');
  return monotoneSchedule((k) => lr * gamma ** checkStep(k, 'exponentialDecay'));
}

/** The options of `cosineDecay`. */
export interface CosineDecayOptions {
  /** Updates over which the rate falls (PyTorch's T_max); after that it stays at `minLr`. */
  steps: number;
  /** The rate at the end (default 0, PyTorch's eta_min). */
  minLr?: number;
}

/**
 * minLr + (lr − minLr)·(1 + cos(π·min(k, steps)/steps))/2 (PyTorch's
 * CosineAnnealingLR in closed form, held at `minLr` after `steps`).
 *
 * @example
 * const schedule = cosineDecay(1, { steps: 100 });
 * schedule(50); // 0.5
 */
export function cosineDecay(lr: number, options: CosineDecayOptions): Schedule {
  checkPositive(lr, 'cosineDecay(lr)');
  const o = checkOptions(options, 'cosineDecay(options)');
  checkKnownKeys(o, 'cosineDecay(options)', ['steps', 'minLr']);
  const steps = checkInteger(o.steps, 'cosineDecay(options.steps)', 1);
  const minLr = o.minLr === undefined ? 0 : checkNonNegative(o.minLr, 'cosineDecay(options.minLr)');
  if (minLr > lr) {
    throw new RangeError(
      `cosineDecay(options.minLr): expected a rate <= lr (${lr}), received ${minLr}`,
    );
  }
  return monotoneSchedule((k) => {
    const t = Math.min(checkStep(k, 'cosineDecay'), steps);
    return minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * t) / steps))) / 2;
  });
}
