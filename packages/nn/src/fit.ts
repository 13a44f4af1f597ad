/**
 * The training loop: `fit` runs zeroGrad → forward → loss → backward → step over
 * the data, online, in mini-batches or in full batches. Its options are checked
 * once into a plan (fit-plan.ts), which this loop runs; the updates, compiled
 * or eager, are in fit-compiled.ts.
 */
import type { Value } from '@ag/core';
import { checkNonNegative, checkOptions, describe } from './argument-checks.js';
import { planUpdates, type FusedEpoch } from './fit-compiled.js';
import type { CompiledFitOptions, FitOptions, FitResult, Steppable } from './fit-options.js';
import { planFit, type FitPlan } from './fit-plan.js';
import { draw } from './random.js';

export type { FitLoss } from './call-loss.js';
export type { Dataset } from './dataset.js';
export type {
  CompiledFitLoss,
  CompiledFitOptions,
  EpochInfo,
  FitMode,
  FitOptions,
  FitOptionsBase,
  FitResult,
  ModelOrForward,
  StepInfo,
  Steppable,
} from './fit-options.js';

const FIT_KEYS = [
  'model',
  'forward',
  'parameters',
  'data',
  'loss',
  'optimizer',
  'mode',
  'epochs',
  'shuffle',
  'schedule',
  'onStep',
  'onEpoch',
  'compile',
];

/**
 * Trains with zeroGrad → forward → loss → backward → step, and returns the loss
 * of every epoch. By default (`compile: 'auto'`) the loss over a batch is
 * compiled once per batch size and replayed, where it records cleanly and the
 * run is long enough to repay it: the same history and parameters as eager
 * `fit`, bit for bit, faster. `result.compiled` says whether it was, and
 * `result.reason` why not.
 *
 * @example
 * const optimizer = new SGD(model.parameters(), { lr: 0.02 });
 * const { history, compiled } = fit({ model, data: { x, y }, loss: mse, optimizer, epochs: 500 });
 */
export function fit(options: FitOptions): FitResult;
export function fit(options: CompiledFitOptions): FitResult;
export function fit(options: FitOptions | CompiledFitOptions): FitResult {
  const plan = planFit(checkOptions(options, 'fit(options)'), 'fit(options)', FIT_KEYS);
  const run = training(plan, false);
  let r = run.next();
  while (r.done !== true) r = run.next();
  return r.value;
}

/**
 * What `fitAsync` needs of an `AbortSignal`: the DOM's and Node's both fit
 * (declared here so the types need neither the DOM nor Node's library).
 */
export interface AbortSignalLike {
  /** Whether `abort()` has been called. */
  readonly aborted: boolean;
  /** What `abort(reason)` was given (an `AbortError` by default). */
  readonly reason: unknown;
  /** Throws `reason` if aborted; `fitAsync` calls it before each update. */
  throwIfAborted(): void;
}

/** `fitAsync`'s options: `fit`'s, an `AbortSignal` and how long to run between yields. */
export type FitAsyncOptions = (FitOptions | CompiledFitOptions) & {
  /** Aborting it stops training before the next update; the Promise rejects with its reason. */
  signal?: AbortSignalLike;
  /** Milliseconds of training between yields to the event loop (default 16: one frame). */
  yieldEveryMs?: number;
};

/**
 * `fit`, returning a Promise: the same training, bit for bit (the same loop,
 * driven asynchronously), that yields to the event loop every `yieldEveryMs`
 * so a page stays responsive. Aborting `signal` stops it before the next update
 * and rejects with `signal.reason` (an `AbortError` unless given another); the
 * parameters and the optimizer are then as of the last completed update.
 *
 * @example
 * const controller = new AbortController();
 * const { history } = await fitAsync({ model, data, loss: mse, optimizer, epochs: 500, signal: controller.signal });
 */
export async function fitAsync(options: FitAsyncOptions): Promise<FitResult> {
  const o = checkOptions(options, 'fitAsync(options)');
  const { signal, yieldEveryMs, ...rest } = o;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' ||
      signal === null ||
      typeof (signal as AbortSignalLike).throwIfAborted !== 'function')
  )
    throw new TypeError(
      `fitAsync(options.signal): expected an AbortSignal, received ${describe(signal)}`,
    );
  const every =
    yieldEveryMs === undefined
      ? 16
      : checkNonNegative(yieldEveryMs, 'fitAsync(options.yieldEveryMs)');
  const abort = signal as AbortSignalLike | undefined;
  abort?.throwIfAborted();
  const plan = planFit(rest, 'fitAsync(options)', [...FIT_KEYS, 'signal', 'yieldEveryMs']);
  const run = training(plan, true);
  let deadline = performance.now() + every;
  for (;;) {
    const r = run.next();
    if (r.done === true) return r.value;
    if (performance.now() >= deadline) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      deadline = performance.now() + every;
    }
    abort?.throwIfAborted();
  }
}

/**
 * The training loop as a generator, shared by `fit` (driven synchronously) and
 * `fitAsync` (driven between yields to the event loop): it runs a checked plan,
 * compiling first what the plan compiles; then, if `pausing`, it yields after
 * every update (and every fused pass), and returns the result. Whoever stops
 * driving it leaves the parameters as of the last completed update. `fit` does
 * not pause: it runs the whole loop in one `next()`, paying no suspend and
 * resume per update.
 */
function* training(plan: FitPlan, pausing: boolean): Generator<void, FitResult, void> {
  const { parameters, data, optimizer, epochs, batchSize, stepsPerEpoch, totalSteps } = plan;
  const { random, lrAt, onStep, onEpoch } = plan;
  const updates = planUpdates(plan);
  const update = updates.update;
  // Online, compiled, nobody watching single steps, the rate constant: whole
  // passes may run fused in the compiled code, with the same numbers.
  const fused = onStep === undefined && lrAt === null ? updates.fused : null;
  // Nor anyone between passes (no shuffle, no onEpoch): several passes per call.
  let several =
    fused !== null && random === null && onEpoch === undefined && fused.passesPerCall > 1
      ? fused
      : null;
  let fusedEpochs = 0;

  const n = data.x.length;
  const history: number[] = [];
  let globalStep = 0;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  const order = Array.from({ length: n }, (_, i) => i);

  for (let epoch = 1; epoch <= epochs && !stopped; epoch++) {
    if (several !== null) {
      // All the passes left at once, or (pausing) one call's.
      const left = epochs - epoch + 1;
      const ran = severalPasses(
        several,
        plan,
        pausing ? Math.min(several.passesPerCall, left) : left,
        history,
      );
      // A non-finite step: nothing changed; pass by pass from there, which finds it.
      if (ran < 0) several = null;
      const done = ran < 0 ? -1 - ran : ran;
      if (done > 0) {
        globalStep += done * n;
        fusedEpochs += done;
        epoch += done - 1;
        if (pausing) yield;
        continue;
      }
    }
    for (let i = 0; i < n; i++) order[i] = i;
    if (random !== null) {
      // Fisher–Yates: every permutation equally likely.
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(draw(random, 'fit(options.shuffle)') * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
    }
    let weighted = 0;
    let seen = 0;
    const plain = fused === null ? null : fusable(optimizer, fused);
    if (plain !== null && fused !== null) {
      optimizer.zeroGrad();
      for (let i = 0; i < parameters.length; i++) (parameters[i] as Value).grad = 0;
      try {
        // Without shuffling and callbacks nothing can change the columns between passes.
        weighted = fused.run(order, plain.lr, random !== null || onEpoch !== undefined);
        seen = n;
        globalStep += n;
        plain.count(n);
        fusedEpochs++;
        if (pausing) yield;
      } catch (error) {
        // A non-finite step: the fused pass changed nothing; the pass below
        // takes the same steps one by one and stops where step() throws.
        if (!(error instanceof RangeError)) throw error;
      }
    }
    for (let s = seen === n ? stepsPerEpoch : 0; s < stepsPerEpoch; s++) {
      const start = s * batchSize;
      const end = Math.min(n, start + batchSize);
      const samples = end - start;
      if (lrAt !== null) optimizer.lr = lrAt(globalStep);
      optimizer.zeroGrad();
      for (let i = 0; i < parameters.length; i++) (parameters[i] as Value).grad = 0;
      const l = update(order, start, end);
      optimizer.step();
      globalStep++;
      weighted += l * samples;
      seen += samples;
      onStep?.({
        epoch,
        epochs,
        step: s + 1,
        stepsPerEpoch,
        globalStep,
        totalSteps,
        progress: globalStep / totalSteps,
        loss: l,
        samples,
        lr: optimizer.lr,
        stop,
      });
      if (stopped) break;
      if (pausing) yield;
    }
    history.push(weighted / seen);
    // An epoch whose last update called stop() still completed: it is reported.
    if (seen === n) {
      onEpoch?.({
        epoch,
        epochs,
        loss: weighted / seen,
        history,
        globalStep,
        totalSteps,
        progress: epoch / epochs,
        stop,
      });
    }
  }
  const result: FitResult = {
    history,
    epochs: history.length,
    steps: globalStep,
    stopped,
    fusedEpochs,
    compiled: updates.compiled,
  };
  if (updates.reason !== undefined) result.reason = updates.reason;
  return result;
}

/**
 * `epochs` passes of online plain SGD, several per compiled call, if the
 * optimizer declares plain descent (else none); each pass's loss goes into
 * `history`. Returns the passes run, or −1 − that number where a call met a
 * non-finite step (which changed nothing). A function apart from `training`,
 * a generator that V8 took 75–90 ms to optimize (it ran unoptimized through
 * whole runs meanwhile), so that this loop is optimized code early on.
 */
function severalPasses(
  fused: FusedEpoch,
  plan: FitPlan,
  epochs: number,
  history: number[],
): number {
  const { optimizer, parameters } = plan;
  const n = plan.data.x.length;
  // Asked once: between these calls no code of the user's runs.
  const plain = fusable(optimizer, fused);
  if (plain === null) return 0;
  // Once: a fused call writes only the trained leaves' gradients, each from 0.
  optimizer.zeroGrad();
  for (let i = 0; i < parameters.length; i++) (parameters[i] as Value).grad = 0;
  const sums = new Float64Array(Math.min(fused.passesPerCall, epochs));
  let done = 0;
  while (done < epochs) {
    const count = Math.min(fused.passesPerCall, epochs - done);
    try {
      fused.runPasses(count, plain.lr, sums);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return -1 - done;
    }
    for (let j = 0; j < count; j++) history.push((sums[j] as number) / n);
    plain.count(count * n);
    done += count;
  }
  return done;
}

/**
 * The rate, and how to account the steps, if the optimizer declares that its
 * next steps are plain descent over exactly the leaves the compiled loss trains
 * (see `Optimizer.plainDescent`), else null. Asked again before every pass: a
 * callback may freeze a leaf or load other hyperparameters between passes.
 */
function fusable(
  optimizer: Steppable,
  fused: FusedEpoch,
): { lr: number; count: (steps: number) => void } | null {
  if (
    typeof optimizer.plainDescent !== 'function' ||
    typeof optimizer.countFusedSteps !== 'function'
  )
    return null;
  const plain = optimizer.plainDescent();
  if (plain === null) return null;
  const { params, lr } = plain;
  const trained = fused.trained;
  if (params.length !== trained.size) return null;
  for (const p of params) if (!trained.has(p)) return null;
  return { lr, count: (steps) => optimizer.countFusedSteps?.(steps) };
}
