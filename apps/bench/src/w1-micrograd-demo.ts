/**
 * W1, micrograd's demo: moons (100 points, noise 0.1), MLP 2-16-16-1 (ReLU
 * hidden, linear output), hinge loss mean(relu(1 − y·score)) + 1e-4·Σp²,
 * full-batch SGD with learning rate 1 − 0.9·k/steps, 100 steps.
 *
 * Every contender starts from the same data and the same initial parameters
 * and returns the loss of its last step (computed before that step's update).
 */
import { Value } from '@ag/core';
import { retainedBytes } from './heap.js';
import { countNodes } from './graph-size.js';
import { MicrogradMlp } from './micrograd-mlp.js';
import { FloorMlp, initialParameters, type BiasOrder } from './mlp-floor.js';
import { moons, type MoonsData } from './moons.js';
import type { Outcome } from './outcome.js';
import { formatBytes, ratioTarget, type ResultRow } from './result-row.js';
import { runTimedWorkload, type Variant } from './timed-workload.js';
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

/** Numbers besides the loss that every contender must reproduce. */
function parameterChecks(p: ArrayLike<number>): Record<string, number> {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i] as number;
  return {
    'params[0]': p[0] as number,
    [`params[${p.length - 1}]`]: p[p.length - 1] as number,
    'Σ params': sum,
  };
}

/**
 * The floor of variant (a): micrograd's loss, written out. Per step:
 * S = ((L₀ + L₁) + …), Lᵢ = relu(scoreᵢ·(−yᵢ) + 1); R = ((p₀p₀ + p₁p₁) + …);
 * loss = S·(1/n) + R·α. The engine's backward reaches the samples in order and
 * the penalty last, and p·p gives p its gradient as two terms p·α, p·α.
 */
export function floorMicrograd(setup: W1Setup, biasOrder: BiasOrder = 'first'): Outcome {
  const { data, steps } = setup;
  const net = new FloorMlp(W1_SIZES, setup.initial.slice(), biasOrder);
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
      const u = net.forward(xs, 2 * i) * -y + 1;
      const l = u <= 0 ? 0 : u;
      s = i === 0 ? l : s + l;
      // ∂loss/∂score = (−y)·(1/n) where the hinge is active
      if (l > 0) net.backward(-y * invN);
    }
    let r = (p[0] as number) * (p[0] as number);
    for (let j = 1; j < p.length; j++) r = r + (p[j] as number) * (p[j] as number);
    loss = s * invN + r * W1_ALPHA;
    for (let j = 0; j < p.length; j++) {
      const pa = (p[j] as number) * W1_ALPHA;
      g[j] = (g[j] as number) + pa + pa;
    }
    const lr = learningRate(k, steps);
    for (let j = 0; j < p.length; j++) p[j] = (p[j] as number) - lr * (g[j] as number);
  }
  return { loss, checks: parameterChecks(p) };
}

/** One step's loss graph of variant (a), built as micrograd's demo builds it. */
export function microgradLoss(model: MicrogradMlp, data: MoonsData): Value {
  const { n, xs, ys } = data;
  let s: Value | null = null;
  for (let i = 0; i < n; i++) {
    // micrograd: inputs = [list(map(Value, xrow)) for xrow in Xb]
    const x = [new Value(xs[2 * i] as number), new Value(xs[2 * i + 1] as number)];
    // micrograd: (1 + -yi*scorei).relu()
    const l = model
      .call(x)
      .mul(-(ys[i] as number))
      .add(1)
      .relu();
    s = s === null ? l : s.add(l);
  }
  const params = model.parameters();
  let r = (params[0] as Value).mul(params[0] as Value);
  for (let j = 1; j < params.length; j++) r = r.add((params[j] as Value).mul(params[j] as Value));
  return (s as Value).mul(1 / n).add(r.mul(W1_ALPHA));
}

/** Variant (a): micrograd's training loop over `@ag/core` `Value`s. */
export function eagerMicrograd(setup: W1Setup): Outcome {
  const { data, steps } = setup;
  const model = new MicrogradMlp(W1_SIZES, setup.initial);
  const params = model.parameters();
  let loss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    const total = microgradLoss(model, data);
    loss = total.data;
    for (const p of params) p.grad = 0;
    total.backward();
    const lr = learningRate(k, steps);
    for (const p of params) p.data -= lr * p.grad;
  }
  return { loss, checks: parameterChecks(params.map((p) => p.data)) };
}

function graphMemory(build: () => { root: Value; existing: Set<Value> }): () => {
  text: string;
  figures: Record<string, number>;
} {
  return () => {
    const { bytes, result } = retainedBytes(build);
    const nodes = countNodes(result.root, result.existing);
    return {
      text: `${formatBytes(bytes)}/step graph, ${nodes} nodes, ${Math.round(bytes / nodes)} B/node`,
      figures: { stepGraphBytes: bytes, stepGraphNodes: nodes },
    };
  };
}

/**
 * The rows of W1.
 *
 * @example
 * const rows = runW1({ steps: 100, plan: { warmups: 1, rounds: 7 } });
 */
export function runW1(options: { steps: number; plan: TimingPlan }): ResultRow[] {
  const setup = w1Setup(options.steps);
  const floors: Record<string, () => Outcome> = {
    'bias first': () => floorMicrograd(setup, 'first'),
  };
  const variants: Variant[] = [
    {
      name: '(a) micrograd style',
      floor: 'bias first',
      run: () => eagerMicrograd(setup),
      target: ratioTarget(15),
      memory: graphMemory(() => {
        const model = new MicrogradMlp(W1_SIZES, setup.initial);
        return { root: microgradLoss(model, setup.data), existing: new Set(model.parameters()) };
      }),
    },
  ];
  return runTimedWorkload('W1', floors, variants, options.plan);
}
