import type { Value } from '@ag/core';
import { noGrad } from '@ag/core';
import type { Dataset } from '@ag/data';
import { Rng, blobs, circles, linear, moons, spirals, trainTestSplit, xor } from '@ag/data';
import type { InitScheme, Optimizer } from '@ag/nn';
import {
  Adam,
  MLP,
  SGD,
  binaryCrossEntropyWithLogits,
  hinge,
  huber,
  l2Penalty,
  mae,
  mse,
} from '@ag/nn';
import { featurize } from './features.js';
import type { ProbeResult } from './trainer-protocol.js';
import type { LayerWeights, PlainForward } from './mlp-snapshot.js';
import { copyLayers, snapshotMLP } from './mlp-snapshot.js';
import type { LossName, PlaygroundState } from './playground-state.js';
import { isRegression } from './playground-state.js';
import { gaussiansTarget, planeTarget, regression2d } from './regression-sets.js';

/**
 * Samples per slice of work, so one slice stays around a couple of milliseconds: up to 32
 * for a small model, down to one sample for a large one. It depends only on the model's
 * size, never on timing, so a run's numbers do not depend on the machine.
 * @example
 *   chunkSize(337);   // 32 (2-16-16-1)
 *   chunkSize(21057); // 1 (2-64×6-1)
 */
export function chunkSize(parameterCount: number): number {
  return Math.max(1, Math.min(32, Math.floor(16_000 / parameterCount)));
}

/** Loss and accuracy on the training and the test set (accuracy only for classification). */
export interface Metrics {
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number | undefined;
  testAccuracy: number | undefined;
}

type LossFn = (predictions: readonly (Value | number)[], targets: readonly number[]) => Value;

const LOSS_FUNCTIONS: Record<LossName, LossFn> = {
  hinge: (p, t) => hinge(p, t),
  bce: (p, t) => binaryCrossEntropyWithLogits(p, t),
  mse: (p, t) => mse(p, t),
  mae: (p, t) => mae(p, t),
  huber: (p, t) => huber(p, t),
};

/** The data set a state asks for, with labels 0/1 for classification. */
export function generateData(state: Readonly<PlaygroundState>, rng: Rng): Dataset {
  const common = { samples: state.samples, noise: state.noise, seed: rng };
  switch (state.dataset) {
    case 'moons':
      return moons(common);
    case 'circles':
      return circles({ ...common, factor: 0.5 });
    case 'spirals':
      return spirals(common);
    case 'xor':
      return xor(common);
    case 'blobs':
      // Two blobs on the diagonal; `noise` adds to their own spread of 0.5.
      return blobs({
        ...common,
        centers: [
          [-1, -1],
          [1, 1],
        ],
        clusterStd: 0.5,
      });
    case 'line':
      return linear({ ...common, slope: state.m, intercept: state.c });
    case 'plane':
      return regression2d(planeTarget, state.samples, state.noise, rng);
    case 'gaussians':
      return regression2d(gaussiansTarget, state.samples, state.noise, rng);
  }
}

/**
 * The L1 penalty's proximal step (soft thresholding): w ← sign(w)·max(|w| − τ, 0), with
 * τ = learning rate × rate. After a gradient step on the loss alone this is exactly the
 * proximal-gradient (ISTA) update for loss + rate·Σ|w|, and it is what sets small weights to
 * exactly 0: any weight within τ of zero lands on zero, where a subgradient step would make
 * it oscillate around zero forever.
 * @example
 *   softThreshold(0.3, 0.1);  // 0.2
 *   softThreshold(-0.05, 0.1); // 0
 */
export function softThreshold(w: number, tau: number): number {
  if (w > tau) return w - tau;
  if (w < -tau) return w + tau;
  return 0;
}

/** Weight initialization suited to the activation: Glorot for saturating ones, He for relu. */
export function initFor(state: Readonly<PlaygroundState>): InitScheme {
  return state.activation === 'relu' ? 'he' : 'xavier';
}

/**
 * One training run: the data (split into train and test), the model and the optimizer, all
 * derived from the state's seed. `step()` makes one update: one sample (online), one
 * mini-batch, or one pass over the training set (batch).
 */
export class TrainingSession {
  readonly state: Readonly<PlaygroundState>;
  readonly regression: boolean;
  readonly train: Dataset;
  readonly test: Dataset;
  /** The model's inputs for each training point: the chosen features of its x. */
  readonly trainInputs: number[][];
  readonly testInputs: number[][];
  /** Gradients of the last completed update (before the optimizer stepped), by layer. */
  lastGrads: LayerWeights[] | undefined;
  readonly model: MLP;
  readonly optimizer: Optimizer;
  /** Updates made so far. */
  steps = 0;
  /** Passes over the training set completed so far. */
  epochs = 0;
  readonly batchSize: number;
  /** Samples per slice of work (see {@link chunkSize}). */
  readonly chunkSize: number;
  readonly #loss: LossFn;
  readonly #targets: number[];
  readonly #shuffle: Rng;
  #order: number[];
  #cursor = 0;
  #snapshot: PlainForward | undefined;
  #pending: { batch: number[]; done: number; loss: number } | undefined;

  /**
   * Build a run from a state; the same state always builds the same run.
   * @example
   *   const session = new TrainingSession(DEFAULT_STATE);
   *   session.step(); // one Adam update on a mini-batch of 16 moons
   */
  constructor(state: Readonly<PlaygroundState>) {
    this.state = { ...state, hidden: [...state.hidden], features: [...state.features] };
    this.regression = isRegression(state.dataset);
    // Separate streams, so changing e.g. the test share does not change the initial weights.
    const root = new Rng(state.seed);
    const dataRng = root.fork();
    const splitRng = root.fork();
    const initRng = root.fork();
    this.#shuffle = root.fork();

    const data = generateData(state, dataRng);
    const { train, test } = trainTestSplit(data, { testSize: state.testRatio, seed: splitRng });
    this.train = train;
    this.test = test;

    this.trainInputs = train.x.map((p) => featurize(state.features, p));
    this.testInputs = test.x.map((p) => featurize(state.features, p));
    this.model = new MLP(
      this.trainInputs[0]?.length ?? test.x[0]?.length ?? 1,
      [...state.hidden, 1],
      {
        activation: state.activation,
        init: initFor(state),
        random: initRng.toFunction(),
      },
    );
    const params = this.model.parameters();
    this.optimizer =
      state.optimizer === 'adam'
        ? new Adam(params, { lr: state.learningRate })
        : new SGD(params, { lr: state.learningRate });

    this.#loss = LOSS_FUNCTIONS[state.loss];
    this.#targets = this.train.y.map((y) => this.target(y));
    const nTrain = this.train.x.length;
    this.batchSize =
      state.mode === 'online'
        ? 1
        : state.mode === 'batch'
          ? nTrain
          : Math.min(state.batchSize, nTrain);
    this.#order = this.#shuffle.permutation(nTrain);
    this.chunkSize = chunkSize(this.model.parameterCount);
  }

  /** What the loss compares the output with: the value itself, a 0/1 class, or a ±1 class. */
  private target(y: number): number {
    if (this.regression || this.state.loss === 'bce') return y;
    return y === 1 ? 1 : -1;
  }

  /**
   * One update: zeroGrad, forward on the next batch, loss (+ L2), backward, step.
   * Returns the batch loss before the update. A non-finite gradient throws (from the
   * optimizer, which then leaves every parameter as it was).
   * @example
   *   const loss = session.step();
   *   session.steps; // 1
   */
  step(): number {
    for (;;) {
      const loss = this.advance();
      if (loss !== undefined) return loss;
    }
  }

  /**
   * Work through the next chunk of at most `chunkSize` samples of the current batch; returns the
   * batch loss when this chunk completes an update, else undefined. A large batch is thus
   * spread over several frames: each chunk's mean loss is weighted by its share of the
   * batch, and since gradients accumulate in the leaves across `backward()` calls, the
   * update is that of the whole batch's mean loss. Chunks have a fixed size, so the
   * numbers never depend on timing.
   */
  advance(): number | undefined {
    if (this.#pending === undefined) {
      const nTrain = this.train.x.length;
      if (this.#cursor >= nTrain) {
        this.#order = this.#shuffle.permutation(nTrain);
        this.#cursor = 0;
      }
      const batch = this.#order.slice(this.#cursor, this.#cursor + this.batchSize);
      this.#pending = { batch, done: 0, loss: 0 };
      this.optimizer.zeroGrad();
    }
    const pending = this.#pending;
    const { batch } = pending;
    const chunk = batch.slice(pending.done, pending.done + this.chunkSize);
    const outputs = chunk.map(
      (i) => this.model.forward(this.trainInputs[i] as number[])[0] as Value,
    );
    let loss = this.#loss(
      outputs,
      chunk.map((i) => this.#targets[i] as number),
    );
    if (chunk.length < batch.length) loss = loss.mul(chunk.length / batch.length);
    const last = pending.done + chunk.length >= batch.length;
    if (last && this.state.regularization === 'l2' && this.state.l2 > 0)
      loss = loss.add(l2Penalty(this.model.parameters(), this.state.l2));
    loss.backward();
    pending.loss += loss.data;
    pending.done += chunk.length;
    if (!last) return undefined;

    this.#pending = undefined;
    this.lastGrads = copyLayers(this.model, true);
    this.optimizer.step();
    if (this.state.regularization === 'l1' && this.state.l2 > 0) this.#shrinkWeights();
    this.#snapshot = undefined;
    this.steps++;
    this.#cursor += batch.length;
    if (this.#cursor >= this.train.x.length) this.epochs++;
    return pending.loss;
  }

  /** L1's proximal step on every weight; biases are not penalized (as TensorFlow Playground). */
  #shrinkWeights(): void {
    const tau = this.state.learningRate * this.state.l2;
    for (const layer of this.model.layers)
      for (const neuron of layer.neurons)
        for (const w of neuron.w) w.data = softThreshold(w.data, tau);
  }

  /**
   * Set one weight (`input` = −1 for the bias) by hand; training goes on from there, with
   * the optimizer's state as it was. A batch in progress is finished with the new weight.
   * @example
   *   session.setWeight(0, 2, 1, 0.5); // layer 0, neuron 2, weight from input 1
   */
  setWeight(layer: number, neuron: number, input: number, value: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`setWeight(value): expected a finite number, received ${String(value)}`);
    }
    const n = this.model.layers[layer]?.neurons[neuron];
    const target = input === -1 ? n?.b : n?.w[input];
    if (target === undefined) {
      throw new RangeError(
        `setWeight(layer, neuron, input): no weight at (${layer}, ${neuron}, ${input})`,
      );
    }
    target.data = value;
    this.#snapshot = undefined;
  }

  /**
   * One training sample through the model with Values, and `backward()` on its loss alone
   * (no regularization): what the step-by-step walk-through shows and must match. The
   * gradients training has accumulated are put back afterwards.
   * @example
   *   session.probe(0).neuronGrads.at(-1); // [∂loss/∂output]
   */
  probe(index: number): ProbeResult {
    const point = this.train.x[index];
    if (!Number.isInteger(index) || point === undefined) {
      throw new RangeError(
        `probe(index): expected an integer in [0, ${this.train.x.length - 1}], received ${index}`,
      );
    }
    const params = this.model.parameters();
    const saved = params.map((p) => p.grad);
    try {
      for (const p of params) p.grad = 0;
      const inputs = this.trainInputs[index] as number[];
      const layers: Value[][] = [];
      let x: readonly (number | Value)[] = inputs;
      for (const layer of this.model.layers) {
        const out = layer.forward(x);
        layers.push(out);
        x = out;
      }
      const target = this.#targets[index] as number;
      const output = layers[layers.length - 1]?.[0] as Value;
      const loss = this.#loss([output], [target]);
      loss.backward();
      return {
        index,
        point: [...point],
        inputs: [...inputs],
        activations: layers.map((l) => l.map((v) => v.data)),
        neuronGrads: layers.map((l) => l.map((v) => v.grad)),
        weightGrads: this.model.layers.map((layer) =>
          layer.neurons.map((n) => [...n.w.map((w) => w.grad), n.b.grad]),
        ),
        target,
        loss: loss.data,
        weights: copyLayers(this.model),
      };
    } finally {
      params.forEach((p, i) => (p.grad = saved[i] as number));
    }
  }

  /** The model's inputs for a point of the plane (or of the line). */
  inputsOf(point: readonly number[]): number[] {
    return featurize(this.state.features, point);
  }

  /**
   * Train until `budgetMs` has passed (at least one chunk), so a frame stays short.
   * Returns the number of updates completed.
   * @example
   *   session.runFor(12); // as many updates as fit in 12 ms
   *   session.runFor(0);  // one chunk: one update unless the batch is larger than a chunk
   */
  runFor(budgetMs: number, now: () => number = () => performance.now()): number {
    const start = now();
    const before = this.steps;
    do this.advance();
    while (now() - start < budgetMs);
    return this.steps - before;
  }

  /** The model's output for one input, on plain numbers (no graph). */
  get forward(): PlainForward {
    this.#snapshot ??= snapshotMLP(this.model);
    return this.#snapshot;
  }

  /**
   * How sure the model is of class 1 at a point, in [−1, 1]: tanh of the margin for hinge
   * and squared error, 2σ(z) − 1 = tanh(z/2) for cross-entropy logits.
   */
  confidence(x: readonly number[]): number {
    const z = this.forward(this.inputsOf(x));
    return this.state.loss === 'bce' ? Math.tanh(z / 2) : Math.tanh(z);
  }

  /** Loss (without the L2 term) and accuracy on both sets, computed without a graph. */
  metrics(): Metrics {
    const f = this.forward;
    const measure = (
      data: Dataset,
      inputs: number[][],
    ): { loss: number; accuracy: number | undefined } => {
      if (data.x.length === 0) return { loss: NaN, accuracy: undefined };
      const outputs = inputs.map(f);
      const loss = noGrad(
        () =>
          this.#loss(
            outputs,
            data.y.map((y) => this.target(y)),
          ).data,
      );
      if (this.regression) return { loss, accuracy: undefined };
      let correct = 0;
      outputs.forEach((z, i) => {
        if ((z > 0 ? 1 : 0) === data.y[i]) correct++;
      });
      return { loss, accuracy: correct / outputs.length };
    };
    const train = measure(this.train, this.trainInputs);
    const test = measure(this.test, this.testInputs);
    return {
      trainLoss: train.loss,
      testLoss: test.loss,
      trainAccuracy: train.accuracy,
      testAccuracy: test.accuracy,
    };
  }
}
