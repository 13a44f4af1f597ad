/**
 * `fit`'s plan: its options checked once, before the first update, into what
 * the loop (fit.ts) runs: the forward pass and its parameters, the data, the
 * mode as a batch size, the shuffle, the schedule and what to compile. The
 * loop then asks nothing of the options again.
 */
import type { CompileMode, Value } from '@ag/core';
import { checkInteger, checkKnownKeys, describe } from './argument-checks.js';
import type { FitLoss } from './call-loss.js';
import { checkData, type Dataset } from './dataset.js';
import type { EpochInfo, FitOptions, StepInfo, Steppable } from './fit-options.js';
import { checkRandom, DEFAULT_SEED, seededRandom, type Random } from './random.js';
import { resolveForward, type Forward } from './resolve-forward.js';
import { isMonotoneSchedule, type Schedule } from './schedules.js';

/**
 * Under `compile: 'auto'` a batch size is compiled only if the run makes at
 * least this many updates with it: fewer do not repay recording and compiling
 * the graph. Measured warm with scripts/fit-vs-eager.mjs --breakeven: where the
 * replay beats eager, compiling is repaid after 5–12 updates of an MLP batch
 * and 84–136 of the line's tiny graphs (whose compile costs a fixed ~0.2–3 ms);
 * 96 keeps micrograd's 100-step demo (W1) compiled.
 */
export const MIN_COMPILED_UPDATES = 96;

/** What to compile: per batch size, or nothing and why. */
export type CompilePlan =
  | {
      /** The compile mode of `@ag/core`. */
      mode: CompileMode;
      /** `'auto'`: a TraceError falls back to eager; otherwise it is thrown. */
      fallback: boolean;
      /** The batch sizes whose updates replay a compiled graph; any other is eager. */
      batchSizes: readonly number[];
    }
  | {
      mode: null;
      /** Why nothing is compiled, for {@link FitResult.reason}. */
      reason: string;
    };

/** A `fit` run, checked: everything the loop needs. */
export interface FitPlan {
  forward: Forward['forward'];
  /** The parameters of the model (and `options.parameters`), zeroed before each update. */
  parameters: readonly Value[];
  data: Dataset;
  loss: FitLoss;
  optimizer: Steppable;
  epochs: number;
  /** Samples per update; the last update of an epoch takes the remainder, if any. */
  batchSize: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** The shuffle, or null to keep the samples in order. */
  random: Random | null;
  /** The learning rate of update k, checked as it is asked for; null without a schedule. */
  lrAt: ((k: number) => number) | null;
  onStep: ((info: StepInfo) => void) | undefined;
  onEpoch: ((info: EpochInfo) => void) | undefined;
  compile: CompilePlan;
}

/**
 * Checks `fit`'s options, each error naming its argument, in the order the
 * options are documented, and returns the plan. Nothing is changed here, and
 * nothing here costs more than a pass over the data.
 */
export function planFit(
  o: Record<string, unknown>,
  where: string,
  keys: readonly string[],
): FitPlan {
  checkKnownKeys(o, where, keys);
  const { forward, parameters, nin } = resolveForward(o, 'fit');
  const data = checkData(o.data, 'fit', nin);
  if (typeof o.loss !== 'function')
    throw new TypeError(`fit(options.loss): expected a function, received ${describe(o.loss)}`);
  const optimizer = o.optimizer as Steppable;
  if (
    typeof optimizer !== 'object' ||
    optimizer === null ||
    typeof optimizer.step !== 'function' ||
    typeof optimizer.zeroGrad !== 'function'
  ) {
    throw new TypeError(
      `fit(options.optimizer): expected an optimizer with zeroGrad() and step(), received ${describe(o.optimizer)}`,
    );
  }
  const epochs = checkInteger(o.epochs, 'fit(options.epochs)', 1);
  const n = data.x.length;
  const batchSize = batchSizeOf(o.mode, n);
  const random = shuffleSource(o.shuffle);
  const schedule = o.schedule;
  if (schedule !== undefined && typeof schedule !== 'function') {
    throw new TypeError(
      `fit(options.schedule): expected a function of the step, received ${describe(schedule)}`,
    );
  }
  const onStep = o.onStep as FitOptions['onStep'];
  const onEpoch = o.onEpoch as FitOptions['onEpoch'];
  for (const [key, f] of [
    ['onStep', onStep],
    ['onEpoch', onEpoch],
  ] as const) {
    if (f !== undefined && typeof f !== 'function')
      throw new TypeError(`fit(options.${key}): expected a function, received ${describe(f)}`);
  }
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const totalSteps = stepsPerEpoch * epochs;
  const lrAt = schedule === undefined ? null : checkedSchedule(schedule as Schedule, totalSteps);
  return {
    forward,
    parameters,
    data,
    loss: o.loss as FitLoss,
    optimizer,
    epochs,
    batchSize,
    stepsPerEpoch,
    totalSteps,
    random,
    lrAt,
    onStep,
    onEpoch,
    compile: compilePlan(o.compile, n, batchSize, epochs),
  };
}

function batchSizeOf(mode: unknown, n: number): number {
  if (mode === undefined || mode === 'online') return 1;
  if (mode === 'batch') return n;
  if (typeof mode === 'object' && mode !== null && 'batchSize' in mode) {
    const b = mode.batchSize;
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 1 || b > n) {
      throw new RangeError(
        `fit(options.mode.batchSize): expected an integer in [1, ${n}] (the data size), received ${typeof b === 'number' ? b : describe(b)}`,
      );
    }
    return b;
  }
  throw new TypeError(
    `fit(options.mode): expected 'online', 'batch' or { batchSize }, received ${describe(mode)}`,
  );
}

function shuffleSource(shuffle: unknown): Random | null {
  if (shuffle === undefined || shuffle === false) return null;
  if (shuffle === true) return seededRandom(DEFAULT_SEED);
  if (typeof shuffle === 'number') {
    if (!Number.isInteger(shuffle))
      throw new RangeError(
        `fit(options.shuffle): expected true, false, an integer seed or a random source, received ${shuffle}`,
      );
    return seededRandom(shuffle);
  }
  return checkRandom(shuffle, 'fit(options.shuffle)');
}

/**
 * The schedule's rate of update k, checked positive and finite as it is asked
 * for. One of this package's schedules (monotone) is also checked in closed
 * form before the first update: its rates at the first and the last update
 * bound every other, so a run it would stop midway fails with nothing changed.
 * Any other schedule is only checked step by step: a run of 10⁹ updates starts
 * at once, and a bad rate at update k throws there, the k updates before it
 * made (as a non-finite gradient stops a run).
 */
function checkedSchedule(schedule: Schedule, totalSteps: number): (k: number) => number {
  const rate = (k: number, upFront = false): number => {
    const lr: unknown = schedule(k);
    if (typeof lr === 'number' && lr > 0 && lr < Infinity) return lr;
    const why = `schedule(${k}) returned ${typeof lr === 'number' ? lr : describe(lr)}; expected a positive finite learning rate for every step k < ${totalSteps}`;
    const made = upFront || k === 0 ? '' : ` (updates 0 to ${k - 1} were made)`;
    throw typeof lr === 'number'
      ? new RangeError(`fit(options.schedule): ${why}${made}`)
      : new TypeError(`fit(options.schedule): ${why}${made}`);
  };
  if (isMonotoneSchedule(schedule)) {
    rate(0, true);
    rate(totalSteps - 1, true);
  }
  return (k) => rate(k);
}

/**
 * `options.compile` as a plan. `false`: eager. `true`, `'codegen'`,
 * `'interpreter'`: every batch size compiled, any failure thrown. Not given
 * or `'auto'`: the batch sizes with {@link MIN_COMPILED_UPDATES} updates or
 * more compiled (the main one and the remainder apart), a TraceError falling
 * back to eager.
 */
function compilePlan(c: unknown, n: number, batchSize: number, epochs: number): CompilePlan {
  if (c === false) return { mode: null, reason: 'compile: false' };
  const remainder = n % batchSize;
  const all = remainder === 0 ? [batchSize] : [batchSize, remainder];
  if (c === true) return { mode: 'auto', fallback: false, batchSizes: all };
  if (c === 'codegen' || c === 'interpreter') return { mode: c, fallback: false, batchSizes: all };
  if (c !== undefined && c !== 'auto')
    throw new TypeError(
      `fit(options.compile): expected true, false, 'auto', 'codegen' or 'interpreter', received ${describe(c)}`,
    );
  // Updates per batch size over the whole run: full batches each epoch, and one remainder.
  const updates = (b: number): number => (b === remainder ? epochs : epochs * Math.floor(n / b));
  const paying = all.filter((b) => updates(b) >= MIN_COMPILED_UPDATES);
  if (paying.length > 0) return { mode: 'auto', fallback: true, batchSizes: paying };
  return {
    mode: null,
    reason: `too few updates to repay compiling: ${updates(batchSize)} of ${batchSize} sample${batchSize === 1 ? '' : 's'} (compile: 'auto' compiles from ${MIN_COMPILED_UPDATES})`,
  };
}
