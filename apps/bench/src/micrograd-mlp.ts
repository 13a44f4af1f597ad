/**
 * Variant (a) of W1: micrograd's `nn.py` written against `@ag/core`, one `mul`
 * and one `add` node per weight, as micrograd builds it:
 * `act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)`, i.e.
 * ((b + w₀x₀) + w₁x₁) + …
 */
import { Value } from '@ag/core';

interface Neuron {
  w: Value[];
  b: Value;
}

/**
 * micrograd's `MLP(nin, nouts)`: ReLU on the hidden layers, linear output.
 *
 * @example
 * const model = new MicrogradMlp([2, 16, 16, 1], initialParameters([2, 16, 16, 1], 1337));
 * const score = model.call([new Value(0.5), new Value(-1)]);
 */
export class MicrogradMlp {
  private readonly layers: Neuron[][];
  private readonly params: Value[];

  /** `initial` in `parameters()` order: per layer, per neuron, weights then bias. */
  constructor(sizes: readonly number[], initial: Float64Array) {
    this.layers = [];
    this.params = [];
    let at = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const layer: Neuron[] = [];
      for (let k = 0; k < (sizes[l + 1] as number); k++) {
        const w: Value[] = [];
        for (let i = 0; i < (sizes[l] as number); i++) w.push(new Value(initial[at++] as number));
        const b = new Value(initial[at++] as number);
        layer.push({ w, b });
        this.params.push(...w, b);
      }
      this.layers.push(layer);
    }
  }

  /** The output of the last neuron for input `x`. */
  call(x: readonly Value[]): Value {
    let h: readonly Value[] = x;
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l] as Neuron[];
      const out: Value[] = [];
      for (const { w, b } of layer) {
        let act = b;
        for (let i = 0; i < w.length; i++) act = act.add((w[i] as Value).mul(h[i] as Value));
        out.push(l < last ? act.relu() : act);
      }
      h = out;
    }
    return h[0] as Value;
  }

  parameters(): Value[] {
    return this.params;
  }
}
