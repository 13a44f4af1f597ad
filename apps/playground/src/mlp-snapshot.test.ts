import { MLP, seededRandom } from '@ag/nn';
import type { Activation } from '@ag/nn';
import { describe, expect, it } from 'vitest';
import type { Value } from '@ag/core';
import { copyLayers, forwardLayers, snapshotMLP } from './mlp-snapshot.js';

describe('snapshotMLP', () => {
  it('gives exactly what the Value model gives, for every activation', () => {
    const inputs = [
      [0.5, -0.2],
      [-3, 4],
      [0, 0],
      [40, -40],
    ];
    for (const activation of ['tanh', 'relu', 'sigmoid', 'linear'] as Activation[]) {
      const model = new MLP(2, [5, 3, 1], { activation, random: seededRandom(7) });
      const f = snapshotMLP(model);
      for (const x of inputs) expect(f(x)).toBe(model.forward(x)[0]?.data);
    }
  });

  it('computes a hand-set 1-2-1 network by hand', () => {
    const model = new MLP(1, [2, 1], { activation: 'relu' });
    const [h0, h1] = model.layers[0]?.neurons ?? [];
    const [o] = model.layers[1]?.neurons ?? [];
    if (h0 === undefined || h1 === undefined || o === undefined) throw new Error('bad model');
    // h0 = relu(2x + 1), h1 = relu(−x), out = 3·h0 − h1 + 0.5
    [h0.w[0], h0.b, h1.w[0], h1.b, o.w[0], o.w[1], o.b].forEach((v, i) => {
      if (v !== undefined) v.data = [2, 1, -1, 0, 3, -1, 0.5][i] as number;
    });
    const f = snapshotMLP(model);
    expect(f([1])).toBe(9.5); // h = (3, 0): 9 + 0.5
    expect(f([-2])).toBe(-1.5); // h = (0, 2): −2 + 0.5
  });

  it('keeps the weights it copied when the model changes afterwards', () => {
    const model = new MLP(2, [1], { random: seededRandom(1) });
    const before = snapshotMLP(model)([1, 1]);
    const neuron = model.layers[0]?.neurons[0];
    if (neuron === undefined) throw new Error('bad model');
    neuron.b.data += 1;
    expect(snapshotMLP(model)([1, 1])).toBe(before + 1);
  });
});

describe('forwardLayers', () => {
  it('gives every hidden neuron exactly the value of that neuron in the Value model', () => {
    const model = new MLP(3, [4, 5, 1], { activation: 'tanh', random: seededRandom(11) });
    const layers = copyLayers(model);
    const out = layers.map((l) => new Float64Array(l.nout));
    const x = [0.3, -1.2, 2];
    forwardLayers(layers, x, out);
    // The reference: each @ag/nn layer's forward on the previous layer's Values.
    let values: (number | Value)[] = x;
    model.layers.forEach((layer, l) => {
      values = layer.forward(values);
      expect(Array.from(out[l] ?? [])).toEqual(values.map((v) => (v as Value).data));
    });
  });
});
