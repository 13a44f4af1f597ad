/**
 * W1, micrograd's demo: moons (100 points, noise 0.1), MLP 2-16-16-1 (ReLU
 * hidden, linear output), hinge loss mean(relu(1 − y·score)) + 1e-4·Σp²,
 * full-batch SGD with learning rate 1 − 0.9·k/steps, 100 steps.
 *
 * Every contender starts from the same data and the same initial parameters
 * and returns the loss of its last step (computed before that step's update).
 */
import { compile, Value, type CompiledFunction, type CompileMode } from '@ag/core';
import { fit, hinge, l2Penalty, linearDecay, MLP, SGD } from '@ag/nn';
import type * as Tf from '@tensorflow/tfjs';
import { retainedPerCopy } from './heap.js';
import { countNodes } from './graph-size.js';
import { MicrogradMlp } from './micrograd-mlp.js';
import { MINIMAL_ENGINE_NOTE, MinimalNode, minimalDot, minimalSum } from './minimal-engine.js';
import { FloorMlp, initialParameters } from './mlp-floor.js';
import { moons, type MoonsData } from './moons.js';
import type { Outcome } from './outcome.js';
import { ratioTarget, stepGraphReading, type ResultRow } from './result-row.js';
import { runTimedWorkload, type Variant } from './timed-workload.js';
import { compareRows, tfjsTarget } from './row-targets.js';
import {
  disposeTfjsMlp,
  TFJS_TOLERANCE,
  tfjsForward,
  tfjsMlp,
  tfjsParameters,
  tfjsSquares,
  tfjs,
} from './tfjs-mlp.js';
import type { TimingPlan } from './timing.js';

export const W1_SIZES = [2, 16, 16, 1] as const;
export const W1_SAMPLES = 100;
export const W1_NOISE = 0.1;
export const W1_ALPHA = 1e-4;
const DATA_SEED = 1337;
const INIT_SEED = 42;

/**
 * micrograd's schedule, evaluated as Python evaluates `1.0 - 0.9*k/100`.
 *
 * @example
 * learningRate(50, 100); // 0.55
 */
export function learningRate(k: number, steps: number): number {
  return 1 - (0.9 * k) / steps;
}

export interface W1Setup {
  data: MoonsData;
  initial: Float64Array;
  steps: number;
}

export function w1Setup(steps: number): W1Setup {
  return {
    data: moons(W1_SAMPLES, W1_NOISE, DATA_SEED),
    initial: initialParameters(W1_SIZES, INIT_SEED),
    steps,
  };
}

/** Numbers besides the loss that every contender must reproduce (W1, W5, W6). */
export function parameterChecks(p: ArrayLike<number>): Record<string, number> {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i] as number;
  return {
    'params[0]': p[0] as number,
    [`params[${p.length - 1}]`]: p[p.length - 1] as number,
    'Σ params': sum,
  };
}

/**
 * The arithmetic a W1 contender performs, written out by hand:
 *
 * - `micrograd`, variant (a): neuron sums bias first; per step
 *   S = ((L₀ + L₁) + …), Lᵢ = relu(scoreᵢ·(−yᵢ) + 1), R = ((p₀p₀ + p₁p₁) + …),
 *   loss = S·(1/n) + R·α; `p·p` hands p its gradient as two terms p·α, p·α.
 * - `nn`, variant (b): neuron sums bias last (`dot`); `hinge` builds
 *   relu(1 − yᵢ·scoreᵢ) and divides the sum by n; `l2Penalty` is (Σ p²)·α, whose
 *   `square` hands p one term (2p)·α.
 *
 * In both, the engine's backward reaches the samples in order and the penalty
 * last, which is the order of the sums below.
 */
export function floorTraining(
  setup: W1Setup,
  style: 'micrograd' | 'nn',
  report: 'step' | 'epoch' = 'step',
): Outcome {
  const { data, steps } = setup;
  const micrograd = style === 'micrograd';
  const net = new FloorMlp(W1_SIZES, setup.initial.slice(), micrograd ? 'first' : 'last');
  const p = net.params;
  const g = net.grads;
  const { n, xs, ys } = data;
  const invN = 1 / n;
  let loss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    g.fill(0);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const y = ys[i] as number;
      const score = net.forward(xs, 2 * i);
      // 1 + score·(−y) and 1 − y·score are the same double
      const u = micrograd ? score * -y + 1 : 1 - y * score;
      const l = u <= 0 ? 0 : u;
      s = i === 0 ? l : s + l;
      // ∂loss/∂score = (−y)·(1/n) where the hinge is active
      if (l > 0) net.backward(-y * invN);
    }
    let r = (p[0] as number) * (p[0] as number);
    for (let j = 1; j < p.length; j++) r = r + (p[j] as number) * (p[j] as number);
    loss = (micrograd ? s * invN : s / n) + r * W1_ALPHA;
    if (micrograd) {
      for (let j = 0; j < p.length; j++) {
        const pa = (p[j] as number) * W1_ALPHA;
        g[j] = (g[j] as number) + pa + pa;
      }
    } else {
      for (let j = 0; j < p.length; j++) g[j] = (g[j] as number) + 2 * (p[j] as number) * W1_ALPHA;
    }
    const lr = learningRate(k, steps);
    for (let j = 0; j < p.length; j++) p[j] = (p[j] as number) - lr * (g[j] as number);
  }
  // `fit`'s history: an epoch's losses weighted by their samples over its samples,
  // here the one full-batch loss, (loss·n)/n.
  if (report === 'epoch') loss = (loss * n) / n;
  return { loss, checks: parameterChecks(p) };
}

/**
 * One step's loss of variant (a) as micrograd builds it, over sample i's
 * inputs `x(i)` and its label's negation `minusY(i)`.
 */
function microgradBatchLoss(
  model: MicrogradMlp,
  n: number,
  x: (i: number) => Value[],
  minusY: (i: number) => Value | number,
): Value {
  let s: Value | null = null;
  for (let i = 0; i < n; i++) {
    // micrograd: (1 + -yi*scorei).relu()
    const l = model.call(x(i)).mul(minusY(i)).add(1).relu();
    s = s === null ? l : s.add(l);
  }
  const params = model.parameters();
  let r = (params[0] as Value).mul(params[0] as Value);
  for (let j = 1; j < params.length; j++) r = r.add((params[j] as Value).mul(params[j] as Value));
  return (s as Value).mul(1 / n).add(r.mul(W1_ALPHA));
}

/** One step's loss graph of variant (a), built as micrograd's demo builds it. */
export function microgradLoss(model: MicrogradMlp, data: MoonsData): Value {
  const { n, xs, ys } = data;
  return microgradBatchLoss(
    model,
    n,
    // micrograd: inputs = [list(map(Value, xrow)) for xrow in Xb]
    (i) => [new Value(xs[2 * i] as number), new Value(xs[2 * i + 1] as number)],
    (i) => -(ys[i] as number),
  );
}

/**
 * Variant (a) through `compile`: the same micrograd-style loss recorded once
 * over the batch as vector inputs (−y as a `neg` node of the label, the same
 * double), then the loop of `eagerMicrograd` with `f.backward` in place of
 * building the graph. The compilation is part of the run.
 */
export function compiledMicrograd(setup: W1Setup): Outcome {
  const { data, steps } = setup;
  const model = new MicrogradMlp(W1_SIZES, setup.initial);
  const params = model.parameters();
  const f = compile(
    ({ xs, ys }) =>
      microgradBatchLoss(
        model,
        data.n,
        (i) => [xs[2 * i] as Value, xs[2 * i + 1] as Value],
        (i) => (ys[i] as Value).neg(),
      ),
    { inputs: { xs: Array.from(data.xs), ys: Array.from(data.ys) } },
  );
  const sample = { xs: data.xs, ys: data.ys };
  return microgradTraining(params, steps, () => f.backward(sample));
}

/** Variant (a): micrograd's training loop over `@ag/core` `Value`s. */
export function eagerMicrograd(setup: W1Setup): Outcome {
  const { data, steps } = setup;
  const model = new MicrogradMlp(W1_SIZES, setup.initial);
  return microgradTraining(model.parameters(), steps, () => {
    const total = microgradLoss(model, data);
    total.backward();
    return total.data;
  });
}

/**
 * micrograd's training loop: per step, every gradient to 0, then `step()`,
 * which returns the loss and leaves the gradients in the parameters, then SGD
 * at the step's learning rate.
 */
function microgradTraining(params: readonly Value[], steps: number, step: () => number): Outcome {
  let loss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    for (const p of params) p.grad = 0;
    loss = step();
    const lr = learningRate(k, steps);
    for (const p of params) p.data -= lr * p.grad;
  }
  return { loss, checks: parameterChecks(params.map((p) => p.data)) };
}

/**
 * W1's parameters as minimal-engine leaves: per layer, per neuron, the
 * weights then the bias (the order of `parameters()`).
 */
function minimalLayers(initial: Float64Array): MinimalNode[][][] {
  const layers: MinimalNode[][][] = [];
  let at = 0;
  for (let l = 0; l + 1 < W1_SIZES.length; l++) {
    const layer: MinimalNode[][] = [];
    for (let k = 0; k < (W1_SIZES[l + 1] as number); k++) {
      const wb: MinimalNode[] = [];
      for (let i = 0; i <= (W1_SIZES[l] as number); i++)
        wb.push(new MinimalNode(initial[at++] as number));
      layer.push(wb);
    }
    layers.push(layer);
  }
  return layers;
}

/**
 * Variant (a) on the minimal engine (minimal-engine.ts): micrograd's model,
 * loss and loop, node for node, over `MinimalNode`s. Written apart from
 * `MicrogradMlp` and `microgradTraining` on purpose: sharing them would show
 * V8 two node classes at the same call sites and slow the `@ag/core` rows.
 */
export function minimalMicrograd(setup: W1Setup): Outcome {
  const { data, steps } = setup;
  const { n, xs, ys } = data;
  const layers = minimalLayers(setup.initial);
  const params = layers.flat(2);
  const last = layers.length - 1;
  let loss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    for (const p of params) p.grad = 0;
    let s: MinimalNode | null = null;
    for (let i = 0; i < n; i++) {
      let h = [new MinimalNode(xs[2 * i] as number), new MinimalNode(xs[2 * i + 1] as number)];
      for (let l = 0; l <= last; l++) {
        const out: MinimalNode[] = [];
        for (const wb of layers[l] as MinimalNode[][]) {
          const m = wb.length - 1;
          let act = wb[m] as MinimalNode;
          for (let j = 0; j < m; j++)
            act = act.add((wb[j] as MinimalNode).mul(h[j] as MinimalNode));
          out.push(l < last ? act.relu() : act);
        }
        h = out;
      }
      const term = (h[0] as MinimalNode)
        .mul(-(ys[i] as number))
        .add(1)
        .relu();
      s = s === null ? term : s.add(term);
    }
    let r = (params[0] as MinimalNode).mul(params[0] as MinimalNode);
    for (let j = 1; j < params.length; j++)
      r = r.add((params[j] as MinimalNode).mul(params[j] as MinimalNode));
    const total = (s as MinimalNode).mul(1 / n).add(r.mul(W1_ALPHA));
    total.backward();
    loss = total.data;
    const lr = learningRate(k, steps);
    for (const p of params) p.data -= lr * p.grad;
  }
  return { loss, checks: parameterChecks(params.map((p) => p.data)) };
}

/**
 * Variant (b) on the minimal engine: one dot node per neuron (bias last), the
 * hinge terms relu(1 − y·score) summed in one node and divided by n, the
 * penalty (Σ p²)·α, as `@ag/nn` builds them.
 */
export function minimalIdiomatic(setup: W1Setup): Outcome {
  const { data, steps } = setup;
  const { n, xs, labels } = data;
  const layers = minimalLayers(setup.initial);
  const params = layers.flat(2);
  const last = layers.length - 1;
  let loss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    const terms: MinimalNode[] = [];
    for (let i = 0; i < n; i++) {
      let h = [new MinimalNode(xs[2 * i] as number), new MinimalNode(xs[2 * i + 1] as number)];
      for (let l = 0; l <= last; l++) {
        const layer = layers[l] as MinimalNode[][];
        const out: MinimalNode[] = [];
        for (const wb of layer) {
          const z = minimalDot(wb, h);
          out.push(l < last ? z.relu() : z);
        }
        h = out;
      }
      const score = new MinimalNode(labels[i] as number).mul(h[0] as MinimalNode);
      terms.push(new MinimalNode(1).sub(score).relu());
    }
    const squares = params.map((p) => p.square());
    const total = minimalSum(terms).div(n).add(minimalSum(squares).mul(W1_ALPHA));
    for (const p of params) p.grad = 0;
    total.backward();
    loss = total.data;
    const lr = learningRate(k, steps);
    for (const p of params) p.data -= lr * p.grad;
  }
  return { loss, checks: parameterChecks(params.map((p) => p.data)) };
}

/** An `@ag/nn` MLP holding the run's initial parameters. */
function nnModel(setup: W1Setup): MLP {
  const model = new MLP(W1_SIZES[0], W1_SIZES.slice(1));
  const params = model.parameters();
  if (params.length !== setup.initial.length)
    throw new Error('W1: @ag/nn MLP has an unexpected parameter count');
  params.forEach((p, i) => (p.data = setup.initial[i] as number));
  return model;
}

/** One step's loss graph of variant (b): the library's model, hinge loss and L2 penalty. */
export function idiomaticLoss(model: MLP, data: MoonsData): Value {
  const scores = data.rows.map((x) => model.forward(x));
  return hinge(scores, data.labels).add(l2Penalty(model.parameters(), W1_ALPHA));
}

/** Variant (b): `@ag/nn`'s MLP, hinge loss, L2 penalty, SGD and linear decay, the loop written out. */
export function eagerIdiomatic(setup: W1Setup): Outcome {
  const { data, steps } = setup;
  const model = nnModel(setup);
  const optimizer = new SGD(model.parameters(), { lr: 1 });
  const schedule = linearDecay(1, { steps });
  let loss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    const total = idiomaticLoss(model, data);
    loss = total.data;
    optimizer.zeroGrad();
    total.backward();
    optimizer.lr = schedule(k);
    optimizer.step();
  }
  return { loss, checks: parameterChecks(model.parameters().map((p) => p.data)) };
}

/**
 * Variant (b) through `fit`: one full-batch update per epoch; with `compile`,
 * fit compiles the loss over the batch once per call and replays it.
 */
export function eagerIdiomaticFit(setup: W1Setup, compile = false): Outcome {
  const { data, steps } = setup;
  const model = nnModel(setup);
  const params = model.parameters();
  let loss = Number.NaN;
  fit({
    model,
    data: { x: data.rows, y: data.labels },
    loss: (outputs, targets) => hinge(outputs, targets).add(l2Penalty(params, W1_ALPHA)),
    optimizer: new SGD(params, { lr: 1 }),
    schedule: linearDecay(1, { steps }),
    mode: 'batch',
    epochs: steps,
    compile,
    onStep: (info) => {
      loss = info.loss;
    },
  });
  return { loss, checks: parameterChecks(params.map((p) => p.data)) };
}

/**
 * Variant (b) through `fit` as a user who sets no `compile` option calls it:
 * `fit` decides how to run, and the loss is the last entry of its history
 * (floor `nn` reporting the epoch's loss).
 */
export function defaultIdiomaticFit(setup: W1Setup): Outcome {
  const { data, steps } = setup;
  const model = nnModel(setup);
  const params = model.parameters();
  const { history } = fit({
    model,
    data: { x: data.rows, y: data.labels },
    loss: (outputs: Value[][], targets: readonly (number | Value)[]) =>
      hinge(outputs, targets).add(l2Penalty(params, W1_ALPHA)),
    optimizer: new SGD(params, { lr: 1 }),
    schedule: linearDecay(1, { steps }),
    mode: 'batch',
    epochs: steps,
  });
  return {
    loss: history[history.length - 1] as number,
    checks: parameterChecks(params.map((p) => p.data)),
  };
}

/** W1's data as tfjs tensors, made before timing: inputs [n, 2] and labels [n, 1]. */
export interface W1Tensors {
  x: Tf.Tensor2D;
  y: Tf.Tensor2D;
}

export function w1Tensors(setup: W1Setup): W1Tensors {
  const tf = tfjs();
  const { n, xs, ys } = setup.data;
  return {
    x: tf.tensor2d(Float32Array.from(xs), [n, 2]),
    y: tf.tensor2d(Float32Array.from(ys), [n, 1]),
  };
}

/**
 * The peer: variant (b)'s training in TensorFlow.js (tfjs-mlp.ts): the
 * full-batch hinge loss mean(relu(1 − y·s)) + α·Σp² and one
 * `optimizer.minimize` per step at micrograd's learning rate, the loss of
 * the last step read at the end.
 */
export function tfjsIdiomatic(setup: W1Setup, tensors: W1Tensors): Outcome {
  const { steps } = setup;
  const tf = tfjs();
  const net = tfjsMlp(W1_SIZES, setup.initial, 'relu');
  const optimizer = tf.train.sgd(1);
  const lossFn = (): Tf.Scalar =>
    tf
      .relu(tf.sub(1, tf.mul(tensors.y, tfjsForward(net, tensors.x))))
      .mean()
      .add(tfjsSquares(net).mul(W1_ALPHA));
  let loss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    optimizer.setLearningRate(learningRate(k, steps));
    if (k < steps - 1) {
      tf.tidy(() => {
        optimizer.minimize(lossFn);
      });
      continue;
    }
    const cost = tf.tidy(() => optimizer.minimize(lossFn, true) as Tf.Scalar);
    loss = cost.dataSync()[0] as number;
    cost.dispose();
  }
  const params = tfjsParameters(net);
  disposeTfjsMlp(net);
  optimizer.dispose();
  return { loss, checks: parameterChecks(params) };
}

/** Variant (b)'s full-batch loss compiled (issue 8) over the batch as vector inputs. */
export interface CompiledW1 {
  params: Value[];
  f: CompiledFunction<{ xs: number[]; ys: number[] }>;
}

export function compileW1(setup: W1Setup, mode: CompileMode = 'auto'): CompiledW1 {
  const model = nnModel(setup);
  const params = model.parameters();
  const f = compile(
    ({ xs, ys }) => {
      const scores: Value[][] = [];
      for (let i = 0; i < ys.length; i++)
        scores.push(model.forward([xs[2 * i] as Value, xs[2 * i + 1] as Value]));
      return hinge(scores, ys).add(l2Penalty(params, W1_ALPHA));
    },
    { inputs: { xs: Array.from(setup.data.xs), ys: setup.data.labels }, mode },
  );
  return { params, f };
}

/**
 * Variant (c): the compiled loss replayed every step, no graph per step; the
 * parameters start from the run's initial values, so a compiled function can
 * be reused across runs.
 */
export function trainCompiled(setup: W1Setup, compiled: CompiledW1): Outcome {
  const { data, steps } = setup;
  const { params, f } = compiled;
  params.forEach((p, i) => {
    p.data = setup.initial[i] as number;
    p.grad = 0;
  });
  const sample = { xs: data.xs, ys: data.ys };
  const optimizer = new SGD(params, { lr: 1 });
  const schedule = linearDecay(1, { steps });
  let loss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    optimizer.zeroGrad();
    loss = f.backward(sample);
    optimizer.lr = schedule(k);
    optimizer.step();
  }
  return { loss, checks: parameterChecks(params.map((p) => p.data)) };
}

/**
 * A step graph's memory, the model made beforehand (its parameters outlive
 * the steps), `copies` graphs held at once (see retainedPerCopy).
 */
function graphMemory<M extends { parameters(): Value[] }>(
  makeModel: () => M,
  loss: (model: M) => Value,
  copies: number,
): () => { text: string; figures: Record<string, number> } {
  return () => {
    const model = makeModel();
    const { bytes, result } = retainedPerCopy(() => loss(model), copies);
    return stepGraphReading(bytes, countNodes(result, new Set(model.parameters())));
  };
}

/**
 * The rows of W1.
 *
 * @example
 * const rows = runW1({ steps: 100, plan: { warmups: 1, rounds: 7 } });
 */
export function runW1(options: {
  steps: number;
  plan: TimingPlan;
  peerPlan: TimingPlan;
}): ResultRow[] {
  const setup = w1Setup(options.steps);
  const compiled = compileW1(setup);
  const interpreted = compileW1(setup, 'interpreter');
  const floors: Record<string, () => Outcome> = {
    micrograd: () => floorTraining(setup, 'micrograd'),
    nn: () => floorTraining(setup, 'nn'),
    'nn, epoch loss': () => floorTraining(setup, 'nn', 'epoch'),
  };
  const variants: Variant[] = [
    {
      name: '(a) micrograd style',
      floor: 'micrograd',
      run: () => eagerMicrograd(setup),
      target: ratioTarget(15),
      memory: graphMemory(
        () => new MicrogradMlp(W1_SIZES, setup.initial),
        (model) => microgradLoss(model, setup.data),
        2,
      ),
    },
    {
      name: '(a) micrograd style through compile()',
      floor: 'micrograd',
      run: () => compiledMicrograd(setup),
      target: ratioTarget(15),
      note: 'compile() of the 65,477-node batch graph in every run (one recording; code reused from the first run), then 100 steps of f.backward',
    },
    {
      name: '(b) idiomatic @ag/nn',
      floor: 'nn',
      run: () => eagerIdiomatic(setup),
      target: ratioTarget(4),
      memory: graphMemory(
        () => nnModel(setup),
        (model) => idiomaticLoss(model, setup.data),
        8,
      ),
    },
    {
      name: '(b) idiomatic via fit',
      floor: 'nn',
      run: () => eagerIdiomaticFit(setup),
      target: ratioTarget(4),
    },
    {
      name: '(b) idiomatic via fit, compile: true',
      floor: 'nn',
      run: () => eagerIdiomaticFit(setup, true),
      target: ratioTarget(4),
      note: 'fit compiles the full-batch loss in every run (one recording, code reused from the first run), then replays it',
    },
    {
      name: 'W1 (b) fit default',
      floor: 'nn, epoch loss',
      run: () => defaultIdiomaticFit(setup),
      target: ratioTarget(2),
      note: 'fit without a compile option, its loss read from the history (recording, where fit records, in every run)',
    },
    {
      name: `(c) compiled (b), replay, auto → ${compiled.f.mode}`,
      floor: 'nn',
      run: () => trainCompiled(setup, compiled),
      target: ratioTarget(1.5),
      note: 'compiled once before timing; each run replays it from the initial parameters',
    },
    {
      name: `(c) compiled (b), replay, ${interpreted.f.mode}`,
      floor: 'nn',
      run: () => trainCompiled(setup, interpreted),
      target: ratioTarget(1.5),
      note: "mode 'interpreter' forced (the fallback where code generation is forbidden)",
    },
    {
      name: `(c) compiled (b), incl. compile`,
      floor: 'nn',
      run: () => trainCompiled(setup, compileW1(setup)),
      target: ratioTarget(1.5),
      note: 'compile() of the full-batch loss inside every timed run; the generated code is reused from the first run (same source)',
    },
  ];
  // The references are timed apart, against floors timed again beside them:
  // their garbage would otherwise land on the variants that run after them.
  const references: Variant[] = [
    {
      name: '(ref) minimal engine, (a)',
      floor: 'micrograd',
      run: () => minimalMicrograd(setup),
      note: MINIMAL_ENGINE_NOTE,
    },
    {
      name: '(ref) minimal engine, (b)',
      floor: 'nn',
      run: () => minimalIdiomatic(setup),
      note: MINIMAL_ENGINE_NOTE,
    },
  ];
  const tensors = w1Tensors(setup);
  const peers: Variant[] = [
    {
      name: 'W1 tfjs-cpu',
      floor: 'nn',
      run: () => tfjsIdiomatic(setup, tensors),
      tolerance: TFJS_TOLERANCE,
      note: `TensorFlow.js ${tfjs().version.tfjs}, cpu backend, float32: variables + optimizer.minimize per step in tf.tidy; timed apart with the floors; guard within ${TFJS_TOLERANCE.relative} relative (${TFJS_TOLERANCE.absolute} absolute)`,
    },
  ];
  const rows = [
    ...runTimedWorkload('W1', floors, variants, options.plan),
    ...runTimedWorkload('W1', floors, references, options.plan),
    ...runTimedWorkload('W1', { nn: floors.nn as () => Outcome }, peers, options.peerPlan),
  ];
  tensors.x.dispose();
  tensors.y.dispose();
  compareRows(rows, 'W1 tfjs-cpu', tfjsTarget('W1 (b) fit default'));
  return rows;
}
