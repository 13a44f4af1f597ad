import type { Value } from '@ag/core';
import { noGrad } from '@ag/core';
import { MLP, seededRandom } from '@ag/nn';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import { toOnnx } from './to-onnx.js';

/**
 * What a float32 export costs a user: the float32 ONNX model fed the float32
 * inputs a runtime receives, against the float64 model's predictions on the
 * original inputs (weights and inputs both rounded to singles, and the
 * arithmetic in singles). The figures are printed; the README quotes them.
 *
 *   cd packages/io && npx vitest run src/float32-cost.test.ts
 *
 * Each rounding is a relative 2⁻²⁴ ≈ 6e-8, so a sum of k products carries an
 * error of order k·6e-8 of the sum of |products|: relative to the output
 * when it is of size ~1, unbounded relative to an output near 0 (cancellation),
 * which is why the bound is asserted against max(|y|, 1).
 */
const SAMPLES = 1000;

function quantiles(errors: number[]): { median: number; p99: number; max: number } {
  const s = [...errors].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median: at(0.5), p99: at(0.99), max: s[s.length - 1] as number };
}

const fmt = (q: { median: number; p99: number; max: number }): string =>
  `median ${q.median.toExponential(1)}, 99th percentile ${q.p99.toExponential(1)}, max ${q.max.toExponential(1)}`;

const models: [string, () => MLP, number][] = [
  ["micrograd's MLP(2, [16, 16, 1]), relu", () => new MLP(2, [16, 16, 1], { random: seededRandom(5) }), 2],
  ['MLP(4, [8, 8, 1]), tanh, xavier', () => new MLP(4, [8, 8, 1], { activation: 'tanh', init: 'xavier', random: seededRandom(6) }), 4],
]; // prettier-ignore

describe('float32 export: its error against the float64 predictions, 1,000 inputs in [−3, 3]', () => {
  for (const [label, make, nin] of models) {
    test(label, async () => {
      const model = make();
      // Biases start at 0: give them numbers too.
      model.layers.forEach((layer, l) =>
        layer.neurons.forEach((n, j) => (n.b.data = Math.sin(3 * l + j) / 2)),
      );
      const random = seededRandom(40 + nin);
      const rows = Array.from({ length: SAMPLES }, () =>
        Array.from({ length: nin }, () => 6 * random() - 3),
      );
      const exact = noGrad(() => rows.map((x) => (model.forward(x)[0] as Value).data));

      const session = await InferenceSession.create(toOnnx(model, { dtype: 'float32' }));
      const { output } = await session.run({
        input: new Tensor('float32', Float32Array.from(rows.flat()), [SAMPLES, nin]),
      });
      const single = Array.from(output?.data as Float32Array);
      const relative = single.map((y, i) => Math.abs(y - (exact[i] as number)) / Math.abs(exact[i] as number)); // prettier-ignore
      const floored = single.map(
        (y, i) => Math.abs(y - (exact[i] as number)) / Math.max(Math.abs(exact[i] as number), 1),
      );

      // F32 safetensors loaded back into @ag: the weights' rounding alone, arithmetic in doubles.
      const copy = make();
      loadSafetensors(copy, saveSafetensors(model, { dtype: 'F32' }));
      const weightsOnly = noGrad(() =>
        rows.map((x, i) => {
          const want = exact[i] as number;
          return Math.abs((copy.forward(x)[0] as Value).data - want) / Math.abs(want);
        }),
      );

      const q = quantiles(relative);
      console.log(
        `${label}\n  ONNX float32 vs float64 predictions, relative: ${fmt(q)}\n` +
          `  relative to max(|y|, 1): max ${quantiles(floored).max.toExponential(1)}\n` +
          `  F32 weights in float64 arithmetic, relative: ${fmt(quantiles(weightsOnly))}`,
      );
      // The issue's float32 tolerance, here with the inputs' rounding counted too.
      expect(quantiles(floored).max).toBeLessThan(1e-6);
      // A typical output keeps about 7 significant digits: a few roundings of 6e-8.
      expect(q.median).toBeLessThan(1e-6);
    });
  }
});
