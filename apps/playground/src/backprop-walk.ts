import type { Activation } from '@ag/nn';
import type { LayerWeights } from './mlp-snapshot.js';
import { activate } from './mlp-snapshot.js';
import type { LossName } from './playground-state.js';

/**
 * One sample's forward and backward pass, worked out by hand with the chain rule (no
 * graph): what the walk-through shows, layer by layer. Every product and sum is formed in
 * the order `backward()` forms it, so the numbers are not just close to backward()'s but
 * the same doubles.
 */
export interface BackpropWalk {
  inputs: number[];
  /** z[l][j] = Σᵢ w_ji·a[l−1][i] + b_j, left to right, bias last. */
  z: number[][];
  /** a[l][j] = act(z[l][j]); a[L−1][0] is the output. */
  a: number[][];
  loss: number;
  /** ∂loss/∂a[l][j]. */
  da: number[][];
  /** δ[l][j] = ∂loss/∂z[l][j] = act′(z)·∂loss/∂a. */
  dz: number[][];
  /** ∂loss/∂w_ji = a[l−1][i]·δ_j (the link's contribution); index nin is the bias, δ_j. */
  dw: number[][][];
}

/** σ(x), in the stable form @ag/core uses. */
function sigma(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|), as @ag/core computes it. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** act′ as @ag/core's backward applies it to an upstream gradient g. */
function slopeTimes(activation: Activation, z: number, a: number, g: number): number {
  switch (activation) {
    case 'linear':
      return g;
    case 'relu':
      return a > 0 ? g : 0;
    case 'tanh':
      return (1 - a * a) * g;
    case 'sigmoid':
      // σ′(z) = σ(z)·σ(−z), as core's rule writes it (exact where σ(z) rounds to 1).
      return a * sigma(-z) * g;
  }
}

/** The loss of one sample and ∂loss/∂output, for each loss, as its ops differentiate it. */
export function lossAndSlope(loss: LossName, o: number, t: number): [number, number] {
  switch (loss) {
    case 'mse': {
      const d = o - t;
      return [d * d, 2 * d * 1];
    }
    case 'mae': {
      const d = o - t;
      return [Math.abs(d), d > 0 ? 1 : d < 0 ? -1 : 0];
    }
    case 'huber': {
      // ½q² + δ(|d| − q) with q = min(|d|, δ), δ = 1: q gets q·1 from ½q² and −δ from
      // the second term; |d| gets δ, plus q's gradient where |d| < δ chose it.
      const d = o - t;
      const a = Math.abs(d);
      const q = Math.min(a, 1);
      const dq = 2 * q * 0.5 + -1;
      const da = a < 1 ? 1 + dq : 1;
      return [q * q * 0.5 + (a - q) * 1, d > 0 ? da : d < 0 ? -da : 0];
    }
    case 'hinge': {
      const m = 1 - t * o;
      return [m <= 0 ? 0 : m, m > 0 ? t * -1 : 0];
    }
    case 'bce': {
      // (1 − y)·softplus(z) + y·softplus(−z), as @ag/nn writes it (no cancellation);
      // ∂/∂z = σ(z)·(1 − y) − σ(−z)·y, which is σ(z) − y.
      const notT = 1 - t;
      return [softplus(o) * notT + softplus(-o) * t, sigma(o) * notT + -(sigma(-o) * t)];
    }
  }
}

/**
 * Walk one sample through layers of weights: forward, the loss against `target`, backward.
 * @example
 *   const walk = backpropWalk(frame.weights, [0.5, -1], 1, 'hinge');
 *   walk.dw[0][2][1]; // ∂loss/∂(weight from input 1 into neuron 2 of the first layer)
 */
export function backpropWalk(
  layers: readonly LayerWeights[],
  inputs: readonly number[],
  target: number,
  lossName: LossName,
): BackpropWalk {
  const z: number[][] = [];
  const a: number[][] = [];
  let x: readonly number[] = inputs;
  for (const { nin, nout, activation, w, b } of layers) {
    const zl: number[] = [];
    const al: number[] = [];
    for (let j = 0; j < nout; j++) {
      let s = (w[j * nin] as number) * (x[0] as number);
      for (let i = 1; i < nin; i++) s += (w[j * nin + i] as number) * (x[i] as number);
      s += b[j] as number;
      zl.push(s);
      al.push(activate(activation, s));
    }
    z.push(zl);
    a.push(al);
    x = al;
  }
  const L = layers.length;
  const output = a[L - 1]?.[0] as number;
  const [loss, slope] = lossAndSlope(lossName, output, target);

  const da: number[][] = layers.map((l) => new Array<number>(l.nout).fill(0));
  const dz: number[][] = layers.map((l) => new Array<number>(l.nout).fill(0));
  const dw: number[][][] = layers.map((l) =>
    Array.from({ length: l.nout }, () => new Array<number>(l.nin + 1).fill(0)),
  );
  // backward() adds every contribution to a gradient that starts at +0, so a zero
  // contribution of −0 leaves +0: the `0 +` below does the same.
  (da[L - 1] as number[])[0] = 0 + slope;
  for (let l = L - 1; l >= 0; l--) {
    const { nin, nout, activation, w } = layers[l] as LayerWeights;
    const prev = l === 0 ? inputs : (a[l - 1] as number[]);
    for (let j = 0; j < nout; j++) {
      const g =
        0 + slopeTimes(activation, z[l]?.[j] as number, a[l]?.[j] as number, da[l]?.[j] as number);
      (dz[l] as number[])[j] = g;
      const row = dw[l]?.[j] as number[];
      for (let i = 0; i < nin; i++) row[i] = 0 + (prev[i] as number) * g;
      row[nin] = 0 + g;
    }
    if (l > 0) {
      // Each neuron of the layer below gets Σⱼ w_ji·δ_j, the neurons' terms added in the
      // order backward() visits them: first neuron first.
      const below = da[l - 1] as number[];
      for (let j = 0; j < nout; j++) {
        const g = dz[l]?.[j] as number;
        for (let i = 0; i < nin; i++)
          below[i] = (below[i] as number) + (w[j * nin + i] as number) * g;
      }
    }
  }
  return { inputs: [...inputs], z, a, loss, da, dz, dw };
}
