/**
 * The options `fit` and `fitAsync` take, what their callbacks receive and what
 * they return: the public shapes, apart from the plan (fit-plan.ts) and the
 * loop (fit.ts) that use them.
 */
import type { CompileMode, Value } from '@ag/core';
import type { FitLoss } from './call-loss.js';
import type { Dataset } from './dataset.js';
import type { Model } from './module.js';
import type { PlainDescent } from './optimizers/optimizer.js';
import type { Random } from './random.js';
import type { Schedule } from './schedules.js';

/**
 * What `fit` needs of an optimizer (every optimizer of this package has it):
 * `zeroGrad`, `step` and `lr`. An optimizer may also declare that its next
 * steps are plain gradient descent (`plainDescent`, with `countFusedSteps`):
 * then compiled online `fit` may run whole passes fused instead of calling
 * `step()`. One that does not declare it is only ever stepped.
 */
export interface Steppable {
  /** Sets the gradient of every parameter it moves to 0, before the next backward pass. */
  zeroGrad(): void;
  /** Moves the parameters by their gradients: one update. */
  step(): void;
  /** The learning rate of the next `step()`; a `schedule` sets it before each update. */
  lr: number;
  /** See `Optimizer.plainDescent`: what `step()` would do now if it is plain descent, else null. */
  plainDescent?(): PlainDescent | null;
  /** See `Optimizer.countFusedSteps`: accounts steps a fused pass took in place of `step()`. */
  countFusedSteps?(steps: number): void;
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

/**
 * `fit` with a loss typed for plain-number targets: by default (`'auto'`) it is
 * compiled where it records cleanly, else trained eagerly (see
 * {@link FitResult.compiled}); `compile: false` always builds the graph afresh
 * at every update.
 */
export type FitOptions = FitOptionsBase &
  ModelOrForward<(x: readonly number[]) => Value | readonly Value[]> & {
    /** The loss of each update, over its samples' outputs and targets. */
    loss: FitLoss;
    /** Default `'auto'`; see `compile` in {@link CompiledFitOptions}. */
    compile?: false | 'auto';
  };

/**
 * A loss that also accepts its targets as `Value`s: under `compile` they are the
 * recording's placeholders. Every loss of this package fits.
 */
export type CompiledFitLoss = (outputs: Value[][], targets: (number | Value)[]) => Value;

/**
 * `fit` with the loss over a batch compiled once per batch size (`compile` of
 * `@ag/core`) and replayed at every update: the same numbers as eager `fit`, bit
 * for bit, without building a graph per update. A loss of this type accepts
 * `Value` targets, as every loss of this package does.
 */
export type CompiledFitOptions = FitOptionsBase &
  /** Under `compile` a `forward` function receives `Value`s. */
  ModelOrForward<(x: readonly (number | Value)[]) => Value | readonly Value[]> & {
    /** The loss of each update, over its samples' outputs and targets (`Value` targets when recorded). */
    loss: CompiledFitLoss;
    /**
     * `'auto'` (the default): compiled where the forward pass and the loss
     * record cleanly and the run has updates enough to repay compiling; eager
     * where recording meets a `TraceError` (the graph depends on the data: a
     * read of `.data`, a branch on it) or the run is too short.
     * {@link FitResult.compiled} says which, and `reason` why not. `true`:
     * always compiled (generated code where allowed, else the interpreter), and
     * a graph that cannot be compiled throws before the first update;
     * `'codegen'` or `'interpreter'` as `true` with that replay forced; `false`:
     * eager. Any other error while recording (a loss that throws, a graph too
     * large) is thrown in every mode. In `online` mode, with an optimizer that
     * declares plain descent (this package's `SGD` without momentum, weight
     * decay or groups) over exactly the leaves the loss trains, no `schedule`
     * and no `onStep`, each pass runs fused (`descend` of `@ag/core`: `step()`
     * is not called), with the same numbers; see `FitResult.fusedEpochs`.
     * Without `onEpoch` and `shuffle` too, short passes run several per call.
     */
    compile?: boolean | CompileMode;
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
   * Epochs run as fused passes in the compiled code (online mode compiled,
   * plain `SGD` at a constant rate, no `onStep`); 0 otherwise.
   */
  fusedEpochs: number;
  /** Whether the updates replayed a compiled graph (see `options.compile`). */
  compiled: boolean;
  /**
   * When `compiled` is false, why: `'compile: false'`, the run too short to
   * repay compiling, or the `TraceError` that recording met.
   */
  reason?: string;
}
