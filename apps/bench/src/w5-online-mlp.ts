/**
 * W5, an online MLP as a new user trains one: moons (200 points, noise 0.1,
 * labels ±1), `@ag/nn`'s MLP 2-16-16-1 (ReLU hidden, linear output), `hinge`,
 * plain `SGD` at lr 0.05, `fit` in `online` mode, 30 epochs (6,000 updates).
 * Weights U(−1, 1) from one seeded stream, biases 0 (mlp-floor.ts).
 *
 * Every contender returns the last epoch's loss as `fit`'s history gives it
 * (the mean of the epoch's 200 single-sample losses, each taken before its
 * update) and the parameters it ends with.
 */
import type { Value } from '@ag/core';
import { fit, hinge, MLP, SGD } from '@ag/nn';
import type * as Tf from '@tensorflow/tfjs';
import { FloorMlp, initialParameters } from './mlp-floor.js';
import { moons, type MoonsData } from './moons.js';
import type { Outcome } from './outcome.js';
import type { ResultRow } from './result-row.js';
import { compareRows, ratioAndNotSlower, tfjsTarget } from './row-targets.js';
import { runTimedWorkload, type Variant } from './timed-workload.js';
import {
  disposeTfjsMlp,
  TFJS_TOLERANCE,
  tfjsForward,
  tfjsMlp,
  tfjsParameters,
  tfjs,
} from './tfjs-mlp.js';
import type { TimingPlan } from './timing.js';
import { parameterChecks } from './w1-micrograd-demo.js';

export const W5_SIZES = [2, 16, 16, 1] as const;
export const W5_SAMPLES = 200;
export const W5_LR = 0.05;
const DATA_SEED = 5;
const INIT_SEED = 55;

export interface W5Setup {
  data: MoonsData;
  initial: Float64Array;
  epochs: number;
}

export function w5Setup(epochs: number): W5Setup {
  return {
    data: moons(W5_SAMPLES, 0.1, DATA_SEED),
    initial: initialParameters(W5_SIZES, INIT_SEED),
    epochs,
  };
}

/**
 * The floor: per sample, the score s by hand, the loss relu(1 − y·s) and, where
 * it is active, ∂loss/∂s = −y (the engine's y·(0 − 1)) back through the net,
 * then p ← p − lr·g. The epoch's loss is Σ lᵢ·1 / n, as `fit` sums it.
 */
export function floorOnlineMlp(setup: W5Setup): Outcome {
  const { data, epochs } = setup;
  const net = new FloorMlp(W5_SIZES, setup.initial.slice(), 'last');
  const p = net.params;
  const g = net.grads;
  const { n, xs, ys } = data;
  let loss = Number.NaN;
  for (let e = 0; e < epochs; e++) {
    let weighted = 0;
    for (let i = 0; i < n; i++) {
      g.fill(0);
      const y = ys[i] as number;
      const u = 1 - y * net.forward(xs, 2 * i);
      const l = u <= 0 ? 0 : u;
      if (l > 0) {
        net.backward(-y);
        for (let j = 0; j < p.length; j++) p[j] = (p[j] as number) - W5_LR * (g[j] as number);
      }
      // An inactive hinge leaves every gradient 0: p − lr·0 is p.
      weighted += l * 1;
    }
    loss = weighted / n;
  }
  return { loss, checks: parameterChecks(p) };
}

/** An `@ag/nn` MLP 2-16-16-1 holding the run's initial parameters. */
function nnModel(setup: W5Setup): MLP {
  const model = new MLP(W5_SIZES[0], W5_SIZES.slice(1));
  const params = model.parameters();
  params.forEach((q, i) => (q.data = setup.initial[i] as number));
  return model;
}

/**
 * Variant: `fit`, online, hinge, SGD. `compile: false` forces eager; without
 * it (`'default'`), `fit` decides, as a user who sets nothing gets it;
 * `'codegen'` forces generated code from the first call.
 */
export function fitOnlineMlp(setup: W5Setup, compile: false | 'default' | 'codegen'): Outcome {
  const model = nnModel(setup);
  const params = model.parameters();
  const common = {
    model,
    data: { x: setup.data.rows, y: setup.data.labels },
    loss: (outputs: Value[][], targets: readonly (number | Value)[]) => hinge(outputs, targets),
    optimizer: new SGD(params, { lr: W5_LR }),
    mode: 'online' as const,
    epochs: setup.epochs,
  };
  const { history } = compile === 'default' ? fit(common) : fit({ ...common, compile });
  return {
    loss: history[history.length - 1] as number,
    checks: parameterChecks(params.map((q) => q.data)),
  };
}

/** The samples as tfjs tensors, one [1, 2] input and one [1, 1] label each, made before timing. */
export interface W5Tensors {
  xs: Tf.Tensor2D[];
  ys: Tf.Tensor2D[];
}

export function w5Tensors(setup: W5Setup): W5Tensors {
  const tf = tfjs();
  const { n, xs, ys } = setup.data;
  const out: W5Tensors = { xs: [], ys: [] };
  for (let i = 0; i < n; i++) {
    out.xs.push(tf.tensor2d([xs[2 * i] as number, xs[2 * i + 1] as number], [1, 2]));
    out.ys.push(tf.tensor2d([ys[i] as number], [1, 1]));
  }
  return out;
}

/**
 * The peer: the same training in TensorFlow.js (tfjs-mlp.ts), one
 * `optimizer.minimize` per sample; the last epoch's losses summed as a tensor
 * and read once at the end.
 */
export function tfjsOnlineMlp(setup: W5Setup, tensors: W5Tensors): Outcome {
  const { n } = setup.data;
  const tf = tfjs();
  const net = tfjsMlp(W5_SIZES, setup.initial, 'relu');
  const optimizer = tf.train.sgd(W5_LR);
  const lossOf = (i: number) => (): Tf.Scalar =>
    tf
      .relu(
        tf.sub(
          1,
          tf.mul(tensors.ys[i] as Tf.Tensor2D, tfjsForward(net, tensors.xs[i] as Tf.Tensor2D)),
        ),
      )
      .mean();
  let total = tf.scalar(0);
  for (let e = 0; e < setup.epochs; e++) {
    const last = e === setup.epochs - 1;
    for (let i = 0; i < n; i++) {
      if (!last) {
        tf.tidy(() => {
          optimizer.minimize(lossOf(i));
        });
        continue;
      }
      const before = total;
      total = tf.tidy(() => before.add(optimizer.minimize(lossOf(i), true) as Tf.Scalar));
      before.dispose();
    }
  }
  const loss = (total.dataSync()[0] as number) / n;
  total.dispose();
  const params = tfjsParameters(net);
  disposeTfjsMlp(net);
  optimizer.dispose();
  return { loss, checks: parameterChecks(params) };
}

/**
 * The rows of W5.
 *
 * @example
 * const rows = runW5({ epochs: 30, plan: { warmups: 2, rounds: 7 } });
 */
export function runW5(options: {
  epochs: number;
  plan: TimingPlan;
  peerPlan: TimingPlan;
}): ResultRow[] {
  const setup = w5Setup(options.epochs);
  const floors = { 'online MLP': () => floorOnlineMlp(setup) };
  const variants: Variant[] = [
    { name: 'W5 eager fit', floor: 'online MLP', run: () => fitOnlineMlp(setup, false) },
    { name: 'W5 fit default', floor: 'online MLP', run: () => fitOnlineMlp(setup, 'default') },
    {
      name: "W5 fit, compile: 'codegen'",
      floor: 'online MLP',
      run: () => fitOnlineMlp(setup, 'codegen'),
      note: 'generated JavaScript from the first call (fit default runs descend in WebAssembly after 200 samples of the shape); its V8 warm-up falls in the warm-up rounds',
    },
  ];
  const tensors = w5Tensors(setup);
  const peers: Variant[] = [
    {
      name: 'W5 tfjs-cpu',
      floor: 'online MLP',
      run: () => tfjsOnlineMlp(setup, tensors),
      tolerance: TFJS_TOLERANCE,
      note: `TensorFlow.js ${tfjs().version.tfjs}, cpu backend, float32: variables + optimizer.minimize per sample in tf.tidy; timed apart with the floor, guard within ${TFJS_TOLERANCE.relative} relative (${TFJS_TOLERANCE.absolute} absolute)`,
    },
  ];
  const rows = [
    ...runTimedWorkload('W5', floors, variants, options.plan),
    ...runTimedWorkload('W5', floors, peers, options.peerPlan),
  ];
  for (const t of [...tensors.xs, ...tensors.ys]) t.dispose();
  compareRows(rows, 'W5 fit default', ratioAndNotSlower(2, 'W5 eager fit'));
  compareRows(rows, 'W5 tfjs-cpu', tfjsTarget('W5 fit default'));
  return rows;
}
