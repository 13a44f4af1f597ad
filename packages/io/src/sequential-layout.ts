/**
 * The PyTorch module each supported `@ag` model is: `Linear(nin, nout)` is
 * `nn.Linear(nin, nout)`; `MLP(nin, sizes)` is an `nn.Sequential` of
 * `nn.Linear`s, each followed by the module of its activation (`relu` →
 * `nn.ReLU()`, `tanh` → `nn.Tanh()`, `sigmoid` → `nn.Sigmoid()`, `linear` →
 * nothing). Activation modules take an index in the `Sequential` without
 * holding parameters, so `MLP(2, [16, 16, 1])` has `0.weight`, `0.bias`,
 * `2.weight`, `2.bias`, `4.weight`, `4.bias`.
 */
import type { Value } from '@ag/core';
import { Linear, MLP } from '@ag/nn';
import { describe } from './describe.js';

/** An activation that crosses to PyTorch and ONNX: its module and its ONNX operator. */
export interface CrossingActivation {
  /** The `torch.nn` module, as Python source (`null`: the identity, no module). */
  readonly torch: string | null;
  /** The ONNX operator (`null`: the identity, no node). */
  readonly onnx: string | null;
}

/** Every activation `@ag/nn` layers may use that has a PyTorch module and an ONNX operator. */
export const ACTIVATION_EQUIVALENTS: Readonly<Record<string, CrossingActivation>> = Object.freeze({
  linear: { torch: null, onnx: null },
  relu: { torch: 'nn.ReLU()', onnx: 'Relu' },
  tanh: { torch: 'nn.Tanh()', onnx: 'Tanh' },
  sigmoid: { torch: 'nn.Sigmoid()', onnx: 'Sigmoid' },
});

/** One `nn.Linear` of the PyTorch module, then its activation. */
export interface DenseLayer {
  /** weight[o][i] multiplies input i for output o: PyTorch's [out, in]. */
  readonly weight: readonly (readonly Value[])[];
  readonly bias: readonly Value[];
  readonly activation: string;
  /** The layer's key prefix in the state dict: `''` for a lone `Linear`, else `'0.'`, `'2.'`, … */
  readonly prefix: string;
}

/**
 * The model as PyTorch's module lays it out, or a TypeError naming a model
 * that has no such layout, or a RangeError naming an activation without one.
 */
export function sequentialLayout(model: unknown, where: string): DenseLayer[] {
  if (model instanceof Linear)
    return [{ weight: model.weight, bias: model.bias, activation: 'linear', prefix: '' }];
  if (model instanceof MLP) {
    const layers: DenseLayer[] = [];
    let index = 0;
    model.layers.forEach((layer, i) => {
      const activation: string = layer.activation;
      const equivalent = Object.hasOwn(ACTIVATION_EQUIVALENTS, activation)
        ? ACTIVATION_EQUIVALENTS[activation]
        : undefined;
      if (equivalent === undefined) {
        throw new RangeError(
          `${where}: layer ${i} of the MLP uses the activation '${activation}', which has no PyTorch/ONNX equivalent here (supported: ${Object.keys(ACTIVATION_EQUIVALENTS).join(', ')})`,
        );
      }
      layers.push({
        weight: layer.neurons.map((n) => n.w),
        bias: layer.neurons.map((n) => n.b),
        activation,
        prefix: `${index}.`,
      });
      index += equivalent.torch === null ? 1 : 2;
    });
    return layers;
  }
  throw new TypeError(
    `${where}: expected a Linear or an MLP from @ag/nn, received ${describe(model)}${
      typeof model === 'object' && model !== null ? ' (not supported)' : ''
    }`,
  );
}

/**
 * The equivalent PyTorch module as Python source, for documentation and for
 * the printout of the demo.
 *
 * @example
 * torchModuleSource(new MLP(2, [16, 16, 1]));
 * // 'nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))'
 */
export function torchModuleSource(model: Linear | MLP): string {
  const layers = sequentialLayout(model, 'torchModuleSource(model)');
  if (model instanceof Linear) return `nn.Linear(${model.nin}, ${model.nout})`;
  const parts: string[] = [];
  for (const layer of layers) {
    parts.push(
      `nn.Linear(${(layer.weight[0] as readonly Value[]).length}, ${layer.weight.length})`,
    );
    const torch = ACTIVATION_EQUIVALENTS[layer.activation]?.torch ?? null;
    if (torch !== null) parts.push(torch);
  }
  return `nn.Sequential(${parts.join(', ')})`;
}
