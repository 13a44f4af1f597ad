/**
 * A `Linear` or an `MLP` as an ONNX model: per layer one `Gemm` node
 * (Y = X·Wᵀ + b, with W in PyTorch's [out, in] layout, as `torch.onnx.export`
 * writes `nn.Linear`), then one node for its activation (`Relu`, `Tanh`,
 * `Sigmoid`; none for `linear`). The input is [batch, nin] and the
 * output [batch, nout], the batch size symbolic, so one model runs any number
 * of samples at once. The initializers carry the names of the PyTorch state
 * dict (`0.weight`, `0.bias`, …).
 */
import type { Value } from '@ag/core';
import { OnnxGraph } from './onnx-builder.js';
import type { ResolvedOnnxOptions } from './onnx-options.js';
import type { Linear, MLP } from '@ag/nn';
import {
  ACTIVATION_EQUIVALENTS,
  sequentialLayout,
  torchModuleSource,
} from './sequential-layout.js';

export function moduleToOnnx(
  model: unknown,
  options: ResolvedOnnxOptions,
  where: string,
): Uint8Array {
  const layers = sequentialLayout(model, where);
  const g = new OnnxGraph(options.dtype);
  const batch = 'batch';
  const first = layers[0] as (typeof layers)[number];
  const nin = (first.weight[0] as readonly Value[]).length;
  let x = g.input(g.fresh(options.inputName), [batch, nin]);
  const outputName = g.fresh(options.outputName);
  layers.forEach((layer, i) => {
    const nout = layer.weight.length;
    const w = g.initializer(
      g.fresh(`${layer.prefix}weight`),
      [nout, (layer.weight[0] as readonly Value[]).length],
      layer.weight.flat().map((v) => v.data),
    );
    const b = g.initializer(
      g.fresh(`${layer.prefix}bias`),
      [nout],
      layer.bias.map((v) => v.data),
    );
    const last = i === layers.length - 1;
    const op = ACTIVATION_EQUIVALENTS[layer.activation]?.onnx ?? null;
    const gemmOut = last && op === null ? outputName : g.fresh(`${layer.prefix}linear`);
    x = g.node('Gemm', [x, w, b], gemmOut, { transB: 1 });
    if (op !== null)
      x = g.node(op, [x], last ? outputName : g.fresh(`${layer.prefix}${op.toLowerCase()}`));
  });
  const nout = (layers[layers.length - 1] as (typeof layers)[number]).weight.length;
  g.output(x, [batch, nout]);
  const source = torchModuleSource(model as Linear | MLP);
  return g.encode(
    (model as Linear | MLP).constructor.name,
    `Exported by @ag/io; in PyTorch: ${source}`,
  );
}
