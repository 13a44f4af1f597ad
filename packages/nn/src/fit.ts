/**
 * The training loop: `fit` runs zeroGrad → forward → loss → backward → step over
 * the data, online, in mini-batches or in full batches. Its input checks are
 * shared with `evaluate` (evaluate.ts); the compiled update is in fit-compiled.ts.
 */
import { Value, type CompileMode } from '@ag/core';
import {
  checkDense,
  checkInteger,
  checkKnownKeys,
  checkNonNegative,
  checkOptions,
  describe,
  holeError,
} from './argument-checks.js';
import type { Model } from './module.js';
import { checkRandom, DEFAULT_SEED, draw, seededRandom, type Random } from './random.js';
import type { Schedule } from './schedules.js';
import { callLoss } from './call-loss.js';
import { compiledUpdate, compileModeOf } from './fit-compiled.js';
import { SGD } from './optimizers/sgd.js';

/** Samples: inputs `x[i]` and their targets `y[i]` (a number each: a value, a label or a class index). */
export interface Dataset {
  /** The inputs, one array of features per sample, all of the model's input size. */
  x: readonly (readonly number[])[];
  /** The targets, one number per sample, `y[i]` belonging to `x[i]`. */
  y: readonly number[];
}

/**
 * A loss over a group of samples: each sample's model outputs (an array, one
 * entry per output) and their targets. Every loss of this package fits:
 * `loss: mse`, or `loss: (out, y) => mse(out, y, { reduction: 'sum' })`.
 */
export type FitLoss = (outputs: Value[][], targets: number[]) => Value;

/** What `fit` needs of an optimizer (every optimizer of this package has it). */
export interface Steppable {
  /** Sets the gradient of every parameter it moves to 0, before the next backward pass. */
  zeroGrad(): void;
  /** Moves the parameters by their gradients: one update. */
  step(): void;
  /** The learning rate of the next `step()`; a `schedule` sets it before each update. */
  lr: number;
}

/**
 * `online`: one update per sample (the notebook's default). `batch`: one update
 * per pass, with the loss over the whole pass. `{ batchSize }`: one update per
 * group of that many samples (the last group may be smaller).
 */
export type FitMode =
  | 'online'
  | 'batch'
  | {
      /** Samples per update (an integer ≥ 1). */
      batchSize: number;
    };

/** What `onStep` receives after each update. */
export interface StepInfo {
  /** The epoch in progress, 1-based. */
  epoch: number;
  /** The number of epochs asked for (`options.epochs`). */
  epochs: number;
  /** This update within the epoch, 1-based. */
  step: number;
  /** Updates per epoch: the number of groups the mode splits the data into. */
  stepsPerEpoch: number;
  /** Updates made so far, this one included. */
  globalStep: number;
  /** Updates in the whole run if none stops it: epochs × stepsPerEpoch. */
  totalSteps: number;
  /** globalStep / totalSteps, in (0, 1]: enough for a progress bar. */
  progress: number;
  /** This update's loss, computed before the update. */
  loss: number;
  /** The number of samples in this update. */
  samples: number;
  /** The learning rate this update used. */
  lr: number;
  /** Ends training after this update. */
  stop(): void;
}

/** What `onEpoch` receives at the end of each epoch. */
export interface EpochInfo {
  /** The epoch just finished, 1-based. */
  epoch: number;
  /** The number of epochs asked for (`options.epochs`). */
  epochs: number;
  /** This epoch's loss (see {@link FitResult.history}). */
  loss: number;
  /**
   * The losses of every epoch so far, this one included. A live view of the
   * array `fit` returns, not a copy (a copy per epoch would make a run quadratic
   * in its epochs): read it during the callback, and `history.slice()` it to keep
   * it, as later epochs append to it.
   */
  history: readonly number[];
  /** Updates made so far, over the whole run. */
  globalStep: number;
  /** Updates in the whole run if none stops it: epochs × stepsPerEpoch. */
  totalSteps: number;
  /** epoch / epochs. */
  progress: number;
  /** Ends training now. */
  stop(): void;
}

/** The options `fit` takes in every form, eager or compiled. */
export interface FitOptionsBase {
  /** Parameters of `forward` whose gradients are zeroed before each update along with the optimizer's. */
  parameters?: readonly Value[];
  /** The samples to train on. */
  data: Dataset;
  /** Moves the parameters after each update's backward pass. */
  optimizer: Steppable;
  /** Default `online`. */
  mode?: FitMode;
  /** Passes over the data (an integer ≥ 1). */
  epochs: number;
  /**
   * Shuffle the samples at the start of every epoch: a random source, a seed for
   * `seededRandom`, or `true` (seed 1337). Default: in order, as the notebook.
   */
  shuffle?: boolean | number | Random;
  /** Sets `optimizer.lr = schedule(k)` before update k (k = 0, 1, …, counted over the whole run). */
  schedule?: Schedule;
  /** Called after each update with its loss and position in the run. */
  onStep?: (info: StepInfo) => void;
  /** Called at the end of each epoch with its loss and the history so far. */
  onEpoch?: (info: EpochInfo) => void;
}

/**
 * Exactly one of `model` (its `forward` and `parameters`) or `forward` (a
 * function of one sample, with `parameters` if it has any): the types reject
 * both and neither, as `fit` does at run time.
 */
export type ModelOrForward<F> =
  | {
      /** The model to train: `fit` calls its `forward` and moves its `parameters()`. */
      model: Model;
      /** Not with `model`. */
      forward?: never;
    }
  | {
      /** Not with `forward`. */
      model?: never;
      /** The model's output for one sample: a `Value` or one per output. */
      forward: F;
    };

/** `fit` building the graph afresh at every update (the default). */
export type FitOptions = FitOptionsBase &
  ModelOrForward<(x: readonly number[]) => Value | readonly Value[]> & {
    /** The loss of each update, over its samples' outputs and targets. */
    loss: FitLoss;
    /** Off by default; see {@link CompiledFitOptions}. */
    compile?: false;
  };

/**
 * A loss that also accepts its targets as `Value`s: under `compile` they are the
 * recording's placeholders. Every loss of this package fits.
 */
export type CompiledFitLoss = (outputs: Value[][], targets: (number | Value)[]) => Value;

/**
 * `fit` with the loss over a batch compiled once per batch size (`compile` of
 * `@ag/core`) and replayed at every update: the same numbers as eager `fit`, bit
 * for bit, without building a graph per update.
 */
export type CompiledFitOptions = FitOptionsBase &
  /** Under `compile` a `forward` function receives `Value`s. */
  ModelOrForward<(x: readonly (number | Value)[]) => Value | readonly Value[]> & {
    /** The loss of each update, over its samples' outputs and targets (`Value` targets when recorded). */
    loss: CompiledFitLoss;
    /**
     * `true` or `'auto'`: generated code where allowed, else the interpreter;
     * `'codegen'` or `'interpreter'` force one; `false`: eager. The forward pass
     * and the loss must not branch on `.data` (`compile` checks, and throws).
     * In `online` mode, with this package's `SGD` without momentum or weight
     * decay, moving exactly the leaves the loss trains, no `schedule` and no
     * `onStep`, each pass runs fused (`descend` of `@ag/core`: `step()` is not
     * called), with the same numbers; see `FitResult.fusedEpochs`.
     */
    compile: boolean | CompileMode;
  };

/** What `fit` returns when training ends. */
export interface FitResult {
  /**
   * The loss of each epoch: the losses of its updates, each weighted by its
   * number of samples, divided by the epoch's samples. Each update's loss is taken
   * before that update. In `batch` mode it is exactly the pass's loss.
   */
  history: number[];
  /** Epochs run (the last may be partial if training stopped during it). */
  epochs: number;
  /** Updates made. */
  steps: number;
  /** Whether a callback stopped training early. */
  stopped: boolean;
  /**
   * Epochs run as one fused pass in the compiled code (online mode with
   * `compile`, plain `SGD` at a constant rate, no `onStep`); 0 otherwise.
   */
  fusedEpochs: number;
}

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

/** A forward pass as `fit` and `evaluate` call it: always an array of outputs. */
export interface Forward {
  forward: (x: readonly (number | Value)[]) => Value[];
  parameters: readonly Value[];
  /** The model's input width, where it declares one (`nin`). */
  nin: number | undefined;
}

/** `options.model` or `options.forward` (with `options.parameters`), checked, as a {@link Forward}. */
export function resolveForward(o: Record<string, unknown>, fn: string): Forward {
  const { model, forward, parameters } = o;
  if ((model === undefined) === (forward === undefined)) {
    throw new TypeError(`${fn}(options): expected exactly one of options.model or options.forward`);
  }
  let f: (x: readonly (number | Value)[]) => Value | readonly Value[];
  let params: readonly Value[] = [];
  let nin: number | undefined;
  if (model !== undefined) {
    const m = model as Partial<Model>;
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof m.forward !== 'function' ||
      typeof m.parameters !== 'function'
    ) {
      throw new TypeError(
        `${fn}(options.model): expected an object with forward() and parameters(), received ${describe(model)}`,
      );
    }
    f = (x) => (m as Model).forward(x);
    params = (m as Model).parameters();
    const width = (m as { nin?: unknown }).nin;
    if (typeof width === 'number') nin = width;
  } else {
    if (typeof forward !== 'function')
      throw new TypeError(
        `${fn}(options.forward): expected a function, received ${describe(forward)}`,
      );
    f = forward as typeof f;
  }
  if (parameters !== undefined) {
    if (Array.isArray(parameters))
      checkDense(parameters, `${fn}(options.parameters)`, 'parameters');
    if (!Array.isArray(parameters) || !parameters.every((p) => p instanceof Value)) {
      throw new TypeError(
        `${fn}(options.parameters): expected an array of Values, received ${describe(parameters)}`,
      );
    }
    params = [...params, ...parameters];
  }
  return {
    forward: (x) => {
      const out = f(x);
      if (out instanceof Value) return [out];
      if (Array.isArray(out) && allValues(out)) return out;
      throw new TypeError(
        `${fn}: the forward pass must return a Value or an array of Values, it returned ${describe(out)}`,
      );
    },
    parameters: params,
    nin,
  };
}

function allValues(list: readonly unknown[]): list is Value[] {
  for (let i = 0; i < list.length; i++) if (!(list[i] instanceof Value)) return false;
  return true;
}

/**
 * Checks the whole data set before the first update, so a bad row cannot stop
 * training halfway with the parameters already moved: every input is an array
 * of finite numbers, all of one width (that of `data.x[0]`, and the model's
 * `nin` where it has one), and every target is a finite number.
 */
export function checkData(data: unknown, fn: string, nin: number | undefined): Dataset {
  if (typeof data !== 'object' || data === null)
    throw new TypeError(`${fn}(options.data): expected { x, y }, received ${describe(data)}`);
  const { x, y } = data as Partial<Dataset>;
  if (!Array.isArray(x))
    throw new TypeError(
      `${fn}(options.data.x): expected an array of inputs, received ${describe(x)}`,
    );
  if (!Array.isArray(y))
    throw new TypeError(
      `${fn}(options.data.y): expected an array of targets, received ${describe(y)}`,
    );
  if (x.length !== y.length) {
    throw new RangeError(
      `${fn}(options.data): x and y must have the same length, received ${x.length} inputs and ${y.length} targets`,
    );
  }
  if (x.length === 0)
    throw new RangeError(`${fn}(options.data): expected at least one sample, received 0`);
  checkDense(x, `${fn}(options.data)`, 'data.x');
  checkDense(y, `${fn}(options.data)`, 'data.y');
  let width = 0;
  for (let i = 0; i < x.length; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row))
      throw new TypeError(
        `${fn}(options.data.x[${i}]): expected an array of numbers, received ${describe(row)}`,
      );
    if (i === 0) {
      width = row.length;
      if (nin !== undefined && width !== nin) {
        throw new RangeError(
          `${fn}(options.data.x[0]): expected an input of length ${nin} (the model's nin), received length ${width}`,
        );
      }
    } else if (row.length !== width) {
      throw new RangeError(
        `${fn}(options.data.x[${i}]): every input must have ${width} number${width === 1 ? '' : 's'} (as data.x[0]${nin === undefined ? '' : " and the model's nin"}), received length ${row.length}`,
      );
    }
    for (let j = 0; j < width; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' && !(j in row))
        throw holeError(`${fn}(options.data)`, `data.x[${i}]`, j);
      if (typeof v !== 'number')
        throw new TypeError(
          `${fn}(options.data.x[${i}][${j}]): expected a number, received ${describe(v)}`,
        );
      if (!Number.isFinite(v))
        throw new RangeError(
          `${fn}(options.data.x[${i}][${j}]): expected a finite number, received ${v}`,
        );
    }
  }
  for (let i = 0; i < y.length; i++) {
    const t: unknown = y[i];
    if (typeof t !== 'number')
      throw new TypeError(
        `${fn}(options.data.y[${i}]): expected a finite number, received ${describe(t)}`,
      );
    if (!Number.isFinite(t))
      throw new RangeError(`${fn}(options.data.y[${i}]): expected a finite number, received ${t}`);
  }
  return { x, y };
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
 * Every learning rate the run will use, checked before the first update: a
 * schedule that reaches 0 (or NaN) would otherwise stop training midway.
 */
function checkSchedule(schedule: Schedule, totalSteps: number): void {
  for (let k = 0; k < totalSteps; k++) {
    const lr: unknown = schedule(k);
    if (typeof lr === 'number' && lr > 0 && lr < Infinity) continue;
    const why = `schedule(${k}) returned ${typeof lr === 'number' ? lr : describe(lr)}; expected a positive finite learning rate for every step k < ${totalSteps}`;
    throw typeof lr === 'number'
      ? new RangeError(`fit(options.schedule): ${why}`)
      : new TypeError(`fit(options.schedule): ${why}`);
  }
}

/**
 * One update's forward, loss and backward over samples `order[start]` …
 * `order[end − 1]`; returns the loss. Gradients are zeroed by the caller.
 */
export type Update = (order: readonly number[], start: number, end: number) => number;

/**
 * Whether `SGD.step()` on this optimizer, now, would be exactly what `descend`
 * fuses: this package's own SGD (not a subclass, no method replaced on it),
 * without momentum or weight decay, moving exactly the leaves the compiled loss
 * trains (which all still require a gradient), and holding no frozen leaf whose
 * value `step()` would refuse. Asked again before every pass: a callback may
 * freeze a leaf or load other hyperparameters between passes.
 */
function fusable(optimizer: Steppable, trained: ReadonlySet<Value>): boolean {
  if (
    Object.getPrototypeOf(optimizer) !== SGD.prototype ||
    Object.hasOwn(optimizer, 'step') ||
    Object.hasOwn(optimizer, 'zeroGrad')
  )
    return false;
  const sgd = optimizer as SGD;
  if (sgd.grouped || sgd.momentum !== 0 || sgd.weightDecay !== 0) return false;
  // The optimizer's parameters are distinct: counting the trained ones it moves suffices.
  let moved = 0;
  for (const p of sgd.params) {
    if (!p.requiresGrad) {
      if (trained.has(p) || !Number.isFinite(p.data)) return false;
    } else if (trained.has(p)) moved++;
    else return false;
  }
  return moved === trained.size;
}

function eagerUpdate(forward: Forward['forward'], loss: FitLoss, data: Dataset): Update {
  return (order, start, end) => {
    const outputs: Value[][] = [];
    const targets: number[] = [];
    for (let k = start; k < end; k++) {
      const i = order[k] as number;
      outputs.push(forward(data.x[i] as readonly number[]));
      targets.push(data.y[i] as number);
    }
    const l = callLoss(loss, outputs, targets, 'fit');
    l.backward();
    return l.data;
  };
}

/**
 * Trains with zeroGrad → forward → loss → backward → step, and returns the loss
 * of every epoch. With `compile`, the loss over a batch is compiled once per batch
 * size and replayed: the same history and parameters, bit for bit, faster.
 *
 * @example
 * const optimizer = new SGD(model.parameters(), { lr: 0.02 });
 * const { history } = fit({ model, data: { x, y }, loss: mse, optimizer, epochs: 500 });
 */
export function fit(options: FitOptions): FitResult;
export function fit(options: CompiledFitOptions): FitResult;
export function fit(options: FitOptions | CompiledFitOptions): FitResult {
  const run = training(checkOptions(options, 'fit(options)'), 'fit(options)', FIT_KEYS, false);
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
  const run = training(rest, 'fitAsync(options)', [...FIT_KEYS, 'signal', 'yieldEveryMs'], true);
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
 * `fitAsync` (driven between yields to the event loop): it checks everything on
 * the first `next()`, then, if `pausing`, yields after every update (and every
 * fused pass), and returns the result. Whoever stops driving it leaves the
 * parameters as of the last completed update. `fit` does not pause: it runs the
 * whole loop in one `next()`, paying no suspend and resume per update.
 */
function* training(
  o: Record<string, unknown>,
  where: string,
  keys: readonly string[],
  pausing: boolean,
): Generator<void, FitResult, void> {
  checkKnownKeys(o, where, keys);
  const { forward, parameters, nin } = resolveForward(o, 'fit');
  const data = checkData(o.data, 'fit', nin);
  if (typeof o.loss !== 'function')
    throw new TypeError(`fit(options.loss): expected a function, received ${describe(o.loss)}`);
  const loss = o.loss as FitLoss;
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
  const schedule = o.schedule as Schedule | undefined;
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
  if (schedule !== undefined) checkSchedule(schedule, totalSteps);
  const compileMode = compileModeOf(o.compile);
  const compiled =
    compileMode === null
      ? null
      : compiledUpdate(
          forward,
          loss as CompiledFitLoss,
          data,
          parameters,
          compileMode,
          n % batchSize === 0 ? [batchSize] : [batchSize, n % batchSize],
        );
  const update = compiled === null ? eagerUpdate(forward, loss, data) : compiled.update;
  // Online, compiled, plain SGD at a constant rate, nobody watching single
  // steps: whole passes run fused in the compiled code, the same numbers.
  const fused =
    compiled !== null && onStep === undefined && schedule === undefined ? compiled.fused : null;
  const trained = new Set(fused?.trained);
  let fusedEpochs = 0;

  const history: number[] = [];
  let globalStep = 0;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  const order = Array.from({ length: n }, (_, i) => i);

  for (let epoch = 1; epoch <= epochs && !stopped; epoch++) {
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
    if (fused !== null && fusable(optimizer, trained)) {
      optimizer.zeroGrad();
      for (let i = 0; i < parameters.length; i++) (parameters[i] as Value).grad = 0;
      try {
        // Without shuffling and callbacks nothing can change the columns between passes.
        weighted = fused.run(order, optimizer.lr, random !== null || onEpoch !== undefined);
        seen = n;
        globalStep += n;
        (optimizer as SGD).stepCount += n;
        fusedEpochs++;
        if (pausing) yield;
      } catch (error) {
        // A non-finite step: the fused pass changed nothing; the pass below
        // takes the same steps one by one and stops where SGD.step throws.
        if (!(error instanceof RangeError)) throw error;
      }
    }
    for (let s = seen === n ? stepsPerEpoch : 0; s < stepsPerEpoch; s++) {
      const start = s * batchSize;
      const end = Math.min(n, start + batchSize);
      const samples = end - start;
      if (schedule !== undefined) optimizer.lr = schedule(globalStep);
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
  return { history, epochs: history.length, steps: globalStep, stopped, fusedEpochs };
}
