import cliProgress from 'cli-progress';
import { EtaEstimator, formatEta } from './eta.js';
import { formatLoss } from './format-loss.js';

/** How progress is shown: a live bar on a terminal, plain periodic lines otherwise. */
export type ProgressStyle = 'bar' | 'lines';

export interface Progress {
  /** Report that `done` of `total` units are finished and the latest loss. */
  update(done: number, loss: number): void;
  /** Finish the bar (or print the last line); safe to call twice. */
  stop(): void;
}

export interface ProgressSetup {
  label: string;
  total: number;
  /** Unit of work, e.g. 'epoch'. */
  unit: string;
  style: ProgressStyle;
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Number of plain lines over the whole run (default 10). */
  lines?: number;
}

/**
 * Picks the style: the bar only where a person watches a terminal; `--quiet` or a pipe
 * get plain lines with no escape codes (and no timings, so two runs print the same).
 *
 * @example
 * progressStyle({ isTTY: true, quiet: false });  // 'bar'
 * progressStyle({ isTTY: false, quiet: false }); // 'lines'
 */
export function progressStyle(options: {
  isTTY: boolean | undefined;
  quiet: boolean;
}): ProgressStyle {
  return options.isTTY === true && !options.quiet ? 'bar' : 'lines';
}

/**
 * A progress reporter for a training run.
 *
 * @example
 * const p = createProgress({ label: 'fit', total: 50, unit: 'epoch', style: 'lines', stream: process.stderr });
 * p.update(5, 0.25); // prints 'fit: epoch 5/50, loss 0.250000' at the 10% marks
 */
export function createProgress(setup: ProgressSetup): Progress {
  const { label, total, unit, style, stream } = setup;
  if (style === 'lines') {
    const every = Math.max(1, Math.ceil(total / (setup.lines ?? 10)));
    let lastDone = 0;
    let lastPrinted = 0;
    let lastLoss = Number.NaN;
    const print = (done: number, loss: number): void => {
      stream.write(`${label}: ${unit} ${done}/${total}, loss ${formatLoss(loss)}\n`);
      lastPrinted = done;
    };
    return {
      update(done, loss) {
        lastDone = done;
        lastLoss = loss;
        if (done % every === 0 || done === total) print(done, loss);
      },
      stop() {
        // A run stopped early still ends with a line for where it stopped.
        if (lastDone > lastPrinted) print(lastDone, lastLoss);
      },
    };
  }
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      // The ETA is ours (EtaEstimator): cli-progress's own, from its last 20 updates, swings.
      format: `${label} |{bar}| {percentage}% | ${unit} {value}/{total} | loss {loss} | {rate} ${unit}s/s | ETA {eta}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
      fps: 15,
    },
    cliProgress.Presets.shades_classic,
  );
  const eta = new EtaEstimator(total);
  eta.update(0, started);
  bar.start(total, 0, { loss: '-', rate: '-', eta: '-' });
  let active = true;
  const progress: Progress = {
    update(done, loss) {
      const now = Date.now();
      const seconds = (now - started) / 1000;
      eta.update(done, now);
      bar.update(done, {
        loss: formatLoss(loss),
        rate: seconds > 0 ? (done / seconds).toFixed(1) : '-',
        eta: formatEta(eta.seconds()),
      });
    },
    stop() {
      if (active) bar.stop();
      active = false;
      liveBars.delete(progress);
    },
  };
  liveBars.add(progress);
  return progress;
}

/** Bars drawn and not yet stopped: each has hidden the terminal's cursor. */
const liveBars = new Set<Progress>();

/**
 * Stops every bar still drawn, which shows the cursor again: the CLI calls it on the exit
 * paths that skip a command's own `stop()` (a signal, an uncaught exception).
 *
 * @example
 * process.on('exit', stopLiveBars); // the cursor never stays hidden after the program
 */
export function stopLiveBars(): void {
  for (const bar of [...liveBars]) bar.stop();
}
