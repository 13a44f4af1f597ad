/**
 * The floor of W1: an MLP's forward and backward written out by hand over
 * `Float64Array`s, no graph. It performs exactly the eager engine's
 * floating-point operations in the engine's order, so its losses match an
 * eager run bit for bit:
 *
 * - a neuron's sum is taken in the order of the variant it stands for:
 *   `first`: ((b + w₀x₀) + w₁x₁) + … (micrograd's `sum(…, self.b)`),
 *   `last`:  ((w₀x₀ + w₁x₁) + …) + b (`@ag/core`'s `dot`);
 * - the backward pass visits the neurons of a layer in ascending order, which
 *   is the order in which the engine's reverse topological order reaches them,
 *   so the gradient of a hidden unit is summed over the next layer's neurons
 *   k = 0, 1, … exactly as the engine sums it;
 * - a parameter receives one contribution per sample, samples in order.
 *
 * Parameters are laid out as `parameters()` lists them in micrograd and
 * `@ag/nn`: layer by layer, neuron by neuron, the weights then the bias.
 */
import { Rng } from '@ag/data';

export type BiasOrder = 'first' | 'last';
/** The activation of the hidden layers (the output layer is linear). */
export type HiddenActivation = 'relu' | 'tanh';

/**
 * How many numbers an MLP with these layer widths holds.
 *
 * @example
 * parameterCount([2, 16, 16, 1]); // 337
 */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++)
    n += ((sizes[l] as number) + 1) * (sizes[l + 1] as number);
  return n;
}

/**
 * The initial parameters every W1 contender starts from: weights U(−1, 1) from
 * one seeded stream, biases 0, as micrograd's `Neuron`.
 *
 * @example
 * const p = initialParameters([2, 16, 16, 1], 1337);
 * p.length; // 337
 */
export function initialParameters(sizes: readonly number[], seed: number): Float64Array {
  const rng = new Rng(seed);
  const p = new Float64Array(parameterCount(sizes));
  let at = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nin = sizes[l] as number;
    for (let k = 0; k < (sizes[l + 1] as number); k++) {
      for (let i = 0; i < nin; i++) p[at++] = rng.uniform(-1, 1);
      p[at++] = 0;
    }
  }
  return p;
}

/**
 * A scalar-output MLP, ReLU (or tanh) on the hidden layers and a linear
 * output, computed by hand. `forward` reads one sample and keeps its activations; `backward`
 * adds that sample's gradient into `grads`.
 *
 * @example
 * const net = new FloorMlp([2, 16, 16, 1], initialParameters([2, 16, 16, 1], 1), 'last');
 * net.forward(xs, 0); net.backward(1); // grads now hold ∂score/∂parameter
 */
export class FloorMlp {
  readonly sizes: readonly number[];
  readonly params: Float64Array;
  readonly grads: Float64Array;
  readonly biasOrder: BiasOrder;
  readonly activation: HiddenActivation;
  /** acts[0] is the input, acts[l + 1] the output of layer l. */
  private readonly acts: Float64Array[];
  /** deltas[l][k]: ∂loss/∂(pre-activation of neuron k of layer l). */
  private readonly deltas: Float64Array[];
  /** inGrads[l][i]: ∂loss/∂(input i of layer l), summed over the layer's neurons. */
  private readonly inGrads: Float64Array[];
  /** Index in `params` of the first weight of each layer. */
  private readonly layerStart: Int32Array;

  constructor(
    sizes: readonly number[],
    params: Float64Array,
    biasOrder: BiasOrder,
    activation: HiddenActivation = 'relu',
  ) {
    if (sizes[sizes.length - 1] !== 1)
      throw new RangeError(`FloorMlp(sizes): expected one output, received ${sizes.join('-')}`);
    if (params.length !== parameterCount(sizes)) {
      throw new RangeError(
        `FloorMlp(params): expected ${parameterCount(sizes)} numbers, received ${params.length}`,
      );
    }
    this.sizes = sizes;
    this.params = params;
    this.grads = new Float64Array(params.length);
    this.biasOrder = biasOrder;
    this.activation = activation;
    this.acts = sizes.map((n) => new Float64Array(n));
    this.deltas = sizes.slice(1).map((n) => new Float64Array(n));
    this.inGrads = sizes.slice(0, -1).map((n) => new Float64Array(n));
    this.layerStart = new Int32Array(sizes.length - 1);
    for (let l = 1; l < sizes.length - 1; l++) {
      this.layerStart[l] =
        (this.layerStart[l - 1] as number) + ((sizes[l - 1] as number) + 1) * (sizes[l] as number);
    }
  }

  /** The score of the sample whose inputs start at `xs[at]`. */
  forward(xs: Float64Array, at: number): number {
    const sizes = this.sizes;
    const p = this.params;
    const layers = sizes.length - 1;
    const input0 = this.acts[0] as Float64Array;
    for (let i = 0; i < input0.length; i++) input0[i] = xs[at + i] as number;
    const biasFirst = this.biasOrder === 'first';
    const tanh = this.activation === 'tanh';
    for (let l = 0; l < layers; l++) {
      const nin = sizes[l] as number;
      const nout = sizes[l + 1] as number;
      const input = this.acts[l] as Float64Array;
      const output = this.acts[l + 1] as Float64Array;
      const hidden = l < layers - 1;
      let w = this.layerStart[l] as number;
      for (let k = 0; k < nout; k++) {
        let s: number;
        if (biasFirst) {
          s = p[w + nin] as number;
          for (let i = 0; i < nin; i++) s = s + (p[w + i] as number) * (input[i] as number);
        } else {
          s = (p[w] as number) * (input[0] as number);
          for (let i = 1; i < nin; i++) s = s + (p[w + i] as number) * (input[i] as number);
          s = s + (p[w + nin] as number);
        }
        // relu as the engine computes it: a ≤ 0 ? 0 : a; tanh as Math.tanh
        output[k] = hidden ? (tanh ? Math.tanh(s) : s <= 0 ? 0 : s) : s;
        w += nin + 1;
      }
    }
    return (this.acts[layers] as Float64Array)[0] as number;
  }

  /**
   * Adds ∂loss/∂parameter into `grads`, given ∂loss/∂score of the sample last
   * passed to `forward`. A neuron whose gradient is 0 (an inactive ReLU) is
   * skipped: the engine adds ±0 there, which changes no sum.
   */
  backward(gScore: number): void {
    const sizes = this.sizes;
    const p = this.params;
    const g = this.grads;
    const layers = sizes.length - 1;
    const tanh = this.activation === 'tanh';
    (this.deltas[layers - 1] as Float64Array)[0] = gScore;
    for (let l = layers - 1; l >= 0; l--) {
      const nin = sizes[l] as number;
      const nout = sizes[l + 1] as number;
      const input = this.acts[l] as Float64Array;
      const delta = this.deltas[l] as Float64Array;
      const gIn = this.inGrads[l] as Float64Array;
      const needInput = l > 0;
      if (needInput) gIn.fill(0);
      let w = this.layerStart[l] as number;
      for (let k = 0; k < nout; k++, w += nin + 1) {
        const d = delta[k] as number;
        if (d === 0) continue;
        // ∂(w·x + b)/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1
        for (let i = 0; i < nin; i++) {
          g[w + i] = (g[w + i] as number) + (input[i] as number) * d;
          if (needInput) gIn[i] = (gIn[i] as number) + (p[w + i] as number) * d;
        }
        g[w + nin] = (g[w + nin] as number) + d;
      }
      if (needInput) {
        const below = this.deltas[l - 1] as Float64Array;
        if (tanh) {
          // tanh′ as the engine's rule: (1 − t·t)·g, t the unit's output
          for (let i = 0; i < nin; i++) {
            const t = input[i] as number;
            below[i] = (1 - t * t) * (gIn[i] as number);
          }
        } else {
          // relu′: the gradient passes where the unit's output is > 0
          for (let i = 0; i < nin; i++)
            below[i] = (input[i] as number) > 0 ? (gIn[i] as number) : 0;
        }
      }
    }
  }
}
