import type { Activation, MLP } from '@ag/nn';

/** A frozen copy of an MLP's weights that runs forward on plain numbers, with no graph. */
export type PlainForward = (x: readonly number[]) => number;

function activate(a: Activation, z: number): number {
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
 * Copy the weights of a one-output MLP into typed arrays and return its forward pass on
 * numbers. It repeats @ag/core's arithmetic (each neuron ((w₀x₀ + w₁x₁) + …) + b, left to
 * right), so it gives `model.forward(x)[0].data` exactly, thousands of times faster: the
 * heat map evaluates the model at every pixel of a grid each frame.
 * @example
 *   const f = snapshotMLP(model);
 *   f([0.5, -0.2]) === model.forward([0.5, -0.2])[0].data; // true
 */
export function snapshotMLP(model: MLP): PlainForward {
  const layers = model.layers.map((layer) => ({
    nin: layer.nin,
    nout: layer.nout,
    activation: layer.activation,
    w: Float64Array.from(layer.neurons.flatMap((n) => n.w.map((v) => v.data))),
    b: Float64Array.from(layer.neurons.map((n) => n.b.data)),
  }));
  const width = Math.max(model.nin, ...layers.map((l) => l.nout));
  let input = new Float64Array(width);
  let output = new Float64Array(width);
  return (x) => {
    for (let i = 0; i < model.nin; i++) input[i] = x[i] ?? NaN;
    for (const { nin, nout, activation, w, b } of layers) {
      for (let j = 0; j < nout; j++) {
        const row = j * nin;
        let s = (w[row] as number) * (input[0] as number);
        for (let i = 1; i < nin; i++) s += (w[row + i] as number) * (input[i] as number);
        output[j] = activate(activation, s + (b[j] as number));
      }
      [input, output] = [output, input];
    }
    return input[0] as number;
  };
}
