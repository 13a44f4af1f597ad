import type { Activation, MLP } from '@ag/nn';

/** A frozen copy of an MLP's weights that runs forward on plain numbers, with no graph. */
export type PlainForward = (x: readonly number[]) => number;

/** One layer's weights as numbers: `w[j·nin + i]` is the weight from input i to neuron j. */
export interface LayerWeights {
  nin: number;
  nout: number;
  activation: Activation;
  w: Float64Array;
  b: Float64Array;
}

export function activate(a: Activation, z: number): number {
  switch (a) {
    case 'linear':
      return z;
    case 'relu':
      return z <= 0 ? 0 : z;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      // The same two-branch formula as @ag/core, so large |z| neither overflows nor loses digits.
      if (z >= 0) return 1 / (1 + Math.exp(-z));
      return Math.exp(z) / (1 + Math.exp(z));
  }
}

/**
 * Copy an MLP's weights (or, with `grads`, their gradients) into typed arrays.
 * @example
 *   const [first] = copyLayers(new MLP(2, [3, 1]));
 *   first.w.length; // 6
 */
export function copyLayers(model: MLP, grads = false): LayerWeights[] {
  return model.layers.map((layer) => ({
    nin: layer.nin,
    nout: layer.nout,
    activation: layer.activation,
    w: Float64Array.from(layer.neurons.flatMap((n) => n.w.map((v) => (grads ? v.grad : v.data)))),
    b: Float64Array.from(layer.neurons.map((n) => (grads ? n.b.grad : n.b.data))),
  }));
}

/**
 * Run layers forward on one input and write every neuron's activation into `out[layer][j]`.
 * It repeats @ag/core's arithmetic (each neuron ((w₀x₀ + w₁x₁) + …) + b, left to right), so
 * each activation equals the Value model's exactly.
 * @example
 *   const out = layers.map((l) => new Float64Array(l.nout));
 *   forwardLayers(layers, [0.5, -0.2], out); // out.at(-1)[0] is the model's output
 */
export function forwardLayers(
  layers: readonly LayerWeights[],
  x: ArrayLike<number>,
  out: Float64Array[],
): void {
  let input: ArrayLike<number> = x;
  layers.forEach(({ nin, nout, activation, w, b }, l) => {
    const output = out[l] as Float64Array;
    for (let j = 0; j < nout; j++) {
      const row = j * nin;
      let s = (w[row] as number) * (input[0] as number);
      for (let i = 1; i < nin; i++) s += (w[row + i] as number) * (input[i] as number);
      output[j] = activate(activation, s + (b[j] as number));
    }
    input = output;
  });
}

/**
 * Copy the weights of a one-output MLP into typed arrays and return its forward pass on
 * numbers. It gives `model.forward(x)[0].data` exactly, thousands of times faster: the
 * heat map evaluates the model at every pixel of a grid each frame.
 * @example
 *   const f = snapshotMLP(model);
 *   f([0.5, -0.2]) === model.forward([0.5, -0.2])[0].data; // true
 */
export function snapshotMLP(model: MLP): PlainForward {
  const layers = copyLayers(model);
  const out = layers.map((l) => new Float64Array(l.nout));
  const last = out[out.length - 1] as Float64Array;
  return (x) => {
    forwardLayers(layers, x, out);
    return last[0] as number;
  };
}
