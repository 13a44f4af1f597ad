import { fit, type EpochInfo, type FitOptions, type FitResult } from '@ag/nn';

/** How long one slice of training runs before the event loop gets a turn. */
const SLICE_MS = 50;

/**
 * `fit`, a few epochs at a time, giving the event loop a turn between slices so that a
 * Ctrl-C (or a SIGTERM) is handled within about `sliceMs` instead of after the last epoch:
 * a synchronous `fit` holds the only thread, and Node runs a signal's listener only when
 * the thread is free. The numbers are those of one `fit` call, bit for bit: eager `fit`
 * keeps no state between epochs beyond the model, the optimizer and the shuffle's random
 * source, which carry over, and the schedule, which each slice sees shifted by the
 * updates made before it. `onEpoch` sees the epochs and steps of the whole run.
 *
 * @example
 * const result = await fitInSlices({ model, data, loss, optimizer, epochs: 100_000 });
 * result.history.length; // 100000, unless a callback stopped it
 */
export async function fitInSlices(
  options: FitOptions,
  sliceMs: number = SLICE_MS,
): Promise<FitResult> {
  const { epochs, schedule, onEpoch, onStep } = options;
  const history: number[] = [];
  let steps = 0;
  let fusedEpochs = 0;
  let stopped = false;
  let totalSteps = 0;
  // The first slice is one epoch; later ones are sized from its time to last about sliceMs.
  let size = 1;
  while (history.length < epochs && !stopped) {
    const before = history.length;
    const offset = steps;
    let reported = 0;
    const started = performance.now();
    const slice: FitOptions = {
      ...options,
      epochs: Math.min(size, epochs - before),
    };
    if (schedule !== undefined) slice.schedule = (k) => schedule(k + offset);
    if (onStep !== undefined) {
      slice.onStep = (info) =>
        onStep({
          ...info,
          epoch: before + info.epoch,
          epochs,
          globalStep: offset + info.globalStep,
          totalSteps: info.stepsPerEpoch * epochs,
          progress: (offset + info.globalStep) / (info.stepsPerEpoch * epochs),
        });
    }
    slice.onEpoch = (info) => {
      // fit's steps per epoch are fixed by the data and the mode: one slice tells the total.
      totalSteps = (info.totalSteps / info.epochs) * epochs;
      history.push(info.loss);
      reported++;
      const whole: EpochInfo = {
        ...info,
        epoch: before + info.epoch,
        epochs,
        history,
        globalStep: offset + info.globalStep,
        totalSteps,
        progress: (before + info.epoch) / epochs,
      };
      onEpoch?.(whole);
    };
    const result = fit(slice);
    // A partial last epoch (stopped by onStep) is in fit's history but not reported.
    history.push(...result.history.slice(reported));
    steps += result.steps;
    fusedEpochs += result.fusedEpochs;
    stopped = result.stopped;
    const elapsed = performance.now() - started;
    // At most four times the last slice: the first epochs run before the JIT has warmed up.
    const fits = Math.round((result.epochs * sliceMs) / Math.max(elapsed, 0.001));
    size = Math.max(1, Math.min(4 * result.epochs, fits));
    if (history.length < epochs && !stopped) await new Promise((done) => setImmediate(done));
  }
  return { history, epochs: history.length, steps, stopped, fusedEpochs };
}
