/**
 * W6, a mini-batch MLP: two spirals (1,000 points, noise 0.05, labels 0/1,
 * `@ag/data`'s order, which is shuffled), `@ag/nn`'s MLP 2-32-32-1 (tanh
 * hidden, linear output), `binaryCrossEntropyWithLogits` (mean), `Adam` at lr
 * 0.01, `fit` with mini-batches of 32 in order (31 of 32 and one of 8 per
 * epoch), 20 epochs (640 updates). Weights U(−1, 1) from one seeded stream,
 * biases 0 (mlp-floor.ts).
 *
 * Every contender returns the last epoch's loss as `fit`'s history gives it
 * (Σ lₖ·bₖ / n over the epoch's batches k of bₖ samples) and the parameters it
 * ends with.
 */
import { spirals } from '@ag/data';
import type { Value } from '@ag/core';
import { Adam, binaryCrossEntropyWithLogits, fit, MLP } from '@ag/nn';
import { FloorAdam } from './adam-floor.js';
import { FloorMlp, initialParameters } from './mlp-floor.js';
import type { Outcome } from './outcome.js';
import { ratioTarget, type ResultRow } from './result-row.js';
import { runTimedWorkload } from './timed-workload.js';
import type { TimingPlan } from './timing.js';
import { parameterChecks } from './w1-micrograd-demo.js';

export const W6_SIZES = [2, 32, 32, 1] as const;
export const W6_SAMPLES = 1000;
export const W6_BATCH = 32;
export const W6_LR = 0.01;
const DATA_SEED = 6;
const INIT_SEED = 66;

export interface W6Setup {
  rows: number[][];
  /** Labels 0 or 1. */
  labels: number[];
  /** Point i is (xs[2i], xs[2i + 1]). */
  xs: Float64Array;
  ys: Float64Array;
  initial: Float64Array;
  epochs: number;
}

export function w6Setup(epochs: number, samples = W6_SAMPLES): W6Setup {
  const { x, y } = spirals({ samples, noise: 0.05, seed: DATA_SEED });
  return {
    rows: x,
    labels: y,
    xs: Float64Array.from(x.flat()),
    ys: Float64Array.from(y),
    initial: initialParameters(W6_SIZES, INIT_SEED),
    epochs,
  };
}

/** σ(a), as the engine's stable sigmoid: 1/(1 + e⁻ᵃ), for a < 0 eᵃ/(1 + eᵃ). */
function sigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

/** ln(1 + eᵃ), as the engine's softplus: max(a, 0) + ln(1 + e^−|a|). */
function softplus(a: number): number {
  return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
}

/**
 * The floor. Per batch of b samples, as the engine computes
 * `binaryCrossEntropyWithLogits` and its backward pass:
 *
 * - the term of logit z and target y is softplus(z)·(1 − y) + softplus(−z)·y,
 *   the terms summed left to right and divided by b (one term is its own mean);
 * - each term receives g = (1/b)·1 from the division, and z receives
 *   σ(z)·((1 − y)·g) − σ(−z)·(y·g) (softplus′ = σ, through the negation);
 * - the samples' gradients accumulate in order, then Adam takes one step.
 */
export function floorMinibatchMlp(setup: W6Setup): Outcome {
  const { xs, ys, epochs } = setup;
  const n = ys.length;
  const net = new FloorMlp(W6_SIZES, setup.initial.slice(), 'last', 'tanh');
  const p = net.params;
  const g = net.grads;
  const adam = new FloorAdam(p.length, { lr: W6_LR });
  let loss = Number.NaN;
  for (let e = 0; e < epochs; e++) {
    let weighted = 0;
    for (let start = 0; start < n; start += W6_BATCH) {
      const end = Math.min(n, start + W6_BATCH);
      const b = end - start;
      const gTerm = b === 1 ? 1 : (1 / b) * 1;
      g.fill(0);
      let s = 0;
      for (let i = start; i < end; i++) {
        const z = net.forward(xs, 2 * i);
        const y = ys[i] as number;
        const notY = 1 - y;
        const term = softplus(z) * notY + softplus(-z) * y;
        s = i === start ? term : s + term;
        net.backward(sigmoid(z) * (notY * gTerm) - sigmoid(-z) * (y * gTerm));
      }
      const l = b === 1 ? s : s / b;
      adam.step(p, g);
      weighted += l * b;
    }
    loss = weighted / n;
  }
  return { loss, checks: parameterChecks(p) };
}

/** An `@ag/nn` MLP 2-32-32-1 (tanh) holding the run's initial parameters. */
function nnModel(setup: W6Setup): MLP {
  const model = new MLP(W6_SIZES[0], W6_SIZES.slice(1), { activation: 'tanh' });
  model.parameters().forEach((q, i) => (q.data = setup.initial[i] as number));
  return model;
}

/**
 * Variant: `fit` in mini-batches of 32 with Adam. `compile: false` forces
 * eager; without it (`'default'`), `fit` decides.
 */
export function fitMinibatchMlp(setup: W6Setup, compile: false | 'default'): Outcome {
  const model = nnModel(setup);
  const params = model.parameters();
  const common = {
    model,
    data: { x: setup.rows, y: setup.labels },
    loss: (outputs: Value[][], targets: readonly (number | Value)[]) =>
      binaryCrossEntropyWithLogits(outputs, targets),
    optimizer: new Adam(params, { lr: W6_LR }),
    mode: { batchSize: W6_BATCH },
    epochs: setup.epochs,
  };
  const { history } = compile === false ? fit({ ...common, compile: false }) : fit(common);
  return {
    loss: history[history.length - 1] as number,
    checks: parameterChecks(params.map((q) => q.data)),
  };
}

/**
 * The rows of W6.
 *
 * @example
 * const rows = runW6({ epochs: 20, plan: { warmups: 2, rounds: 7 } });
 */
export function runW6(options: { epochs: number; plan: TimingPlan }): ResultRow[] {
  const setup = w6Setup(options.epochs);
  return runTimedWorkload(
    'W6',
    { 'minibatch MLP': () => floorMinibatchMlp(setup) },
    [
      { name: 'W6 eager fit', floor: 'minibatch MLP', run: () => fitMinibatchMlp(setup, false) },
      {
        name: 'W6 fit default',
        floor: 'minibatch MLP',
        run: () => fitMinibatchMlp(setup, 'default'),
        target: ratioTarget(3),
      },
    ],
    options.plan,
  );
}
