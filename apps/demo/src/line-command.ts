import { Rng, linear } from '@ag/data';
import { Linear, SGD, fitAsync, constantLR, linearDecay, mse, type Schedule } from '@ag/nn';
import type { LineOptions } from './args.js';
import { lineFitSvg } from './line-fit-svg.js';
import { lossCurveSvg } from './loss-curve-svg.js';
import { DivergedError, divergence } from './divergence.js';
import { formatLoss } from './format-loss.js';
import { lineEquation, shortNumber } from './line-equation.js';
import {
  formatEpoch,
  handDerivedFit,
  type EpochState,
  type LineFitSetup,
} from './notebook-gradient.js';
import type { RunOutput } from './run-output.js';
import { trainingPlan } from './training-plan.js';
import { maxRelativeDifference, valueFit } from './value-gradient.js';

/** The notebook's own problem: y = 5x + 7 at x = 2 and 5, its learning rate, length and start. */
const NOTEBOOK = {
  truth: { m: 5, c: 7 },
  xs: [2, 5],
  lr: 0.02,
  epochs: 500,
  m: 0,
  c: 0,
  every: 100,
} as const;

const MODES = [
  ['online', 'online (an update after every sample)'],
  ['batch', 'batch (one update per pass, the gradients summed)'],
] as const;

type ModeLogs = Record<'online' | 'batch', EpochState[]>;

function logLines(out: RunOutput, log: readonly EpochState[]): void {
  for (const state of log)
    if (state.epoch % NOTEBOOK.every === 0) out.say(`     ${formatEpoch(state)}`);
}

const lastOf = (log: readonly EpochState[]): EpochState => log[log.length - 1] as EpochState;
const brief = (s: EpochState): { m: number; c: number; loss: number } => ({
  m: s.m,
  c: s.c,
  loss: s.loss,
});

/**
 * `line`: the notebook's story, step by step: its own problem by hand and with backward(),
 * then noisy samples of y = slope·x + intercept.
 */
export async function runLine(options: LineOptions, out: RunOutput): Promise<void> {
  const { slope, intercept } = options;
  const { truth } = NOTEBOOK;
  const ys = NOTEBOOK.xs.map((x) => truth.m * x + truth.c);
  const setup = (mode: 'online' | 'batch'): LineFitSetup => ({
    xs: NOTEBOOK.xs,
    ys,
    m: NOTEBOOK.m,
    c: NOTEBOOK.c,
    lr: NOTEBOOK.lr,
    epochs: NOTEBOOK.epochs,
    mode,
  });

  out.say(
    `1. The notebook's problem, ${lineEquation(truth.m, truth.c)} at x = ${NOTEBOOK.xs.join(' and ')} (targets ${ys.map(shortNumber).join(' and ')}), gradients derived by hand:`,
  );
  out.say(
    `   L = Σ (y − (m·x + c))², ∂L/∂m = −2·Σ x·(y − ŷ), ∂L/∂c = −2·Σ (y − ŷ), lr ${NOTEBOOK.lr}, m = c = 0 at the start`,
  );
  const byHand = {} as ModeLogs;
  for (const [mode, title] of MODES) {
    byHand[mode] = handDerivedFit(setup(mode));
    out.say(`   ${title}:`);
    logLines(out, byHand[mode]);
  }

  out.say();
  out.say(
    '2. The same fit with Value and backward(): build L, call L.backward(), step m and c against their grad',
  );
  const byValue = {} as ModeLogs;
  for (const [mode, title] of MODES) {
    byValue[mode] = valueFit(setup(mode));
    out.say(`   ${title}:`);
    logLines(out, byValue[mode]);
  }
  const difference = Math.max(
    maxRelativeDifference(byHand.online, byValue.online),
    maxRelativeDifference(byHand.batch, byValue.batch),
  );
  out.say(
    difference === 0
      ? `   the same numbers as the hand-derived loop, to the last bit, in all ${NOTEBOOK.epochs} epochs of both modes`
      : `   the hand-derived loop and backward() differ by at most ${difference.toExponential(2)} (relative)`,
  );

  out.say();
  const notebook = {
    truth,
    xs: NOTEBOOK.xs,
    ys,
    online: brief(lastOf(byHand.online)),
    batch: brief(lastOf(byHand.batch)),
  };
  const learned = await sgdOnNoisySamples(options, out, (fit) =>
    out.summary({
      command: 'line',
      seed: options.seed,
      truth: { m: slope, c: intercept },
      notebook,
      fit,
      finalLoss: fit.finalLoss,
      diverged: true,
    }),
  );

  out.summary({
    command: 'line',
    seed: options.seed,
    truth: { m: slope, c: intercept },
    notebook,
    backward: {
      online: brief(lastOf(byValue.online)),
      batch: brief(lastOf(byValue.batch)),
      maxRelativeDifference: difference,
    },
    fit: learned,
    finalLoss: learned.finalLoss,
    diverged: false,
    parameters: { m: learned.m, c: learned.c },
  });
}

interface LearnedLine {
  mode: LineOptions['mode'];
  samples: number;
  noise: number;
  noiseType: LineOptions['noiseType'];
  epochs: number;
  steps: number;
  lr: number;
  finalLoss: number;
  m: number;
  c: number;
  leastSquares: { m: number; c: number };
  history: number[];
}

/**
 * Ordinary least squares for one feature: m = cov(x, y) / var(x), c = ȳ − m·x̄.
 * The best any fit of these samples can do; the gap from it to the true line is the noise.
 */
function leastSquares(xs: readonly number[], ys: readonly number[]): { m: number; c: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * ((ys[i] ?? 0) - my);
    sxx += (x - mx) * (x - mx);
  });
  const m = sxy / sxx;
  return { m, c: my - m * mx };
}

/**
 * Step 3: `Linear(1, 1)` trained by `fit` with SGD on noisy samples of the line. A run that
 * diverges hands what it has to `onDiverged` (for the --json summary) and throws.
 */
async function sgdOnNoisySamples(
  options: LineOptions,
  out: RunOutput,
  onDiverged: (fit: Record<string, unknown>) => void,
): Promise<LearnedLine> {
  const { slope, intercept, samples, noise, noiseType, epochs, lr, seed } = options;
  // One stream per random choice, so changing one (say the shuffle) leaves the data as it was.
  const rng = new Rng(seed);
  const data = linear({
    samples,
    slope,
    intercept,
    noise,
    noiseType,
    seed: rng.fork(),
  });
  const model = new Linear(1, 1, { random: rng.fork().toFunction() });
  const optimizer = new SGD(model.parameters(), { lr });
  const { fitMode, stepsPerEpoch } = trainingPlan(options.mode, samples, options.batchSize);
  // Stochastic updates keep jittering around the minimum at a constant rate; a rate falling
  // to 1/20 lets them settle. Full-batch gradients are exact, so batch keeps its rate.
  const decays = options.mode !== 'batch';
  const schedule: Schedule = decays
    ? linearDecay(lr, { steps: stepsPerEpoch * epochs, endFactor: 0.05 })
    : constantLR(lr);
  const [m0, c0] = [model.weight[0]?.[0]?.data ?? 0, model.bias[0]?.data ?? 0];

  const how = {
    online: 'Online SGD',
    batch: 'Batch gradient descent',
    minibatch: `Mini-batch SGD (batches of ${options.batchSize})`,
  }[options.mode];
  out.say(`3. ${how} with @ag/nn on ${samples} noisy samples of ${lineEquation(slope, intercept)}`);
  out.say(
    `   ${noiseType === 'gaussian' ? `Gaussian noise sd ${noise}` : `uniform noise in [0, ${noise})`}, seed ${seed}; Linear(1, 1) from m = ${m0.toFixed(4)}, c = ${c0.toFixed(4)}; mean squared error;`,
  );
  out.say(
    `   SGD lr ${lr}${decays ? `, falling linearly to ${shortNumber(lr * 0.05)}` : ''}; ${epochs} epochs of ${stepsPerEpoch} update${stepsPerEpoch === 1 ? '' : 's'}`,
  );

  const progress = out.progress('line', epochs, 'epoch');
  let result;
  try {
    // fitAsync gives the event loop a turn every 50 ms, so a Ctrl-C is handled mid-run.
    result = await fitAsync({
      yieldEveryMs: 50,
      model,
      data,
      loss: (outputs: Parameters<typeof mse>[0], targets: number[]) => mse(outputs, targets),
      optimizer,
      mode: fitMode,
      epochs,
      schedule,
      shuffle: rng.fork().toFunction(),
      onEpoch: (info) => progress.update(info.epoch, info.loss),
    });
  } finally {
    progress.stop();
  }
  const m = model.weight[0]?.[0]?.data ?? Number.NaN;
  const c = model.bias[0]?.data ?? Number.NaN;
  const finalLoss = result.history[result.history.length - 1] ?? Number.NaN;
  const diverged = divergence(result.history);
  if (diverged !== undefined) {
    onDiverged({ mode: options.mode, lr, epochs: result.epochs, finalLoss, m, c });
    throw new DivergedError(diverged);
  }
  const xs = data.x.map((row) => row[0] ?? 0);
  const best = leastSquares(xs, data.y);
  const cell = (n: number): string => n.toFixed(4).padStart(9);
  out.say(`                        m         c`);
  // The loss a perfect fit still has: N(0, sd²) noise leaves sd²; uniform noise in [0, sd)
  // has variance sd²/12 around its mean sd/2, which the best line absorbs into c.
  const floor =
    noiseType === 'gaussian'
      ? `sd² = ${shortNumber(noise * noise)}`
      : `sd²/12 = ${shortNumber((noise * noise) / 12)}`;
  out.say(
    `   learned       ${cell(m)} ${cell(c)}   epoch ${result.epochs} loss ${formatLoss(finalLoss)} (the noise alone: ${floor})`,
  );
  out.say(`   least squares ${cell(best.m)} ${cell(best.c)}   the best fit of these samples`);
  out.say(`   true          ${cell(slope)} ${cell(intercept)}`);
  if (noiseType === 'uniform') {
    out.say(
      `   the noise has mean sd/2 = ${shortNumber(noise / 2)}, so the samples sit on ${lineEquation(slope, intercept + noise / 2)}`,
    );
  }
  out.writeFile(
    'line-loss.svg',
    lossCurveSvg(result.history, {
      title: `${how} on ${lineEquation(slope, intercept)}: loss per epoch`,
      yLabel: 'mean squared error',
    }),
  );
  out.writeFile(
    'line-fit.svg',
    lineFitSvg({
      xs,
      ys: data.y,
      fitted: { m, c },
      truth: { m: slope, c: intercept },
      title: `${samples} noisy samples and the fitted line`,
    }),
  );
  out.chart('loss per epoch', result.history);
  return {
    mode: options.mode,
    samples,
    noise,
    noiseType,
    epochs: result.epochs,
    steps: result.steps,
    lr,
    finalLoss,
    m,
    c,
    leastSquares: best,
    history: result.history,
  };
}
