/** `toOnnx`: a model, or a recorded scalar graph, as the bytes of an ONNX model. */
import {
  sourceOf,
  type CompiledFunction,
  type InputSpec,
  type Placeholders,
  type Value,
} from '@ag/core';
import type { Linear, MLP } from '@ag/nn';
import { graphToOnnx } from './onnx-graph.js';
import { moduleToOnnx } from './onnx-module.js';
import { resolveOnnxOptions, type OnnxOptions } from './onnx-options.js';

/** Options of `toOnnx` for a function: the inputs as `compile` takes them. */
export interface GraphOnnxOptions<S extends InputSpec> {
  /** Names (scalars), or example values by name (a number, or an array for a vector input). */
  inputs: S;
  /** `float64` (default: every number exactly) or `float32`. */
  dtype?: OnnxOptions['dtype'];
  /** The name of the graph output (default `output`); the inputs keep their own names. */
  outputName?: string;
}

/**
 * The ONNX model (IR version 8, opset 17) of a `Linear` or an `MLP`: one
 * `Gemm` per layer and one node per activation, input [batch, nin], output
 * [batch, nout]. Any other module, or an activation without an ONNX operator,
 * is refused with an error naming it.
 *
 * @example
 * const bytes = toOnnx(model, { dtype: 'float32' });
 * await InferenceSession.create(bytes); // onnxruntime-node or onnxruntime-web
 */
export function toOnnx(model: Linear | MLP, options?: OnnxOptions): Uint8Array;
/**
 * The ONNX model of the graph `fn` builds from its inputs, recorded as
 * `compile(fn, { inputs })` records it (and checked by it to be the same for
 * every input): each input a tensor of one number per sample (`[batch]`, or
 * `[batch, n]` for a vector input), one ONNX node per op node (a `dot` becomes
 * a `Mul` per product and one `Sum`), the output `[batch]`.
 *
 * @example
 * const bytes = toOnnx(({ x, y }) => x.mul(y).tanh(), { inputs: ['x', 'y'] });
 * // feeds: { x: Float64Array of n, y: Float64Array of n }
 */
export function toOnnx<const N extends string>(
  fn: (inputs: Placeholders<Record<N, number>>) => Value,
  options: GraphOnnxOptions<readonly N[]>,
): Uint8Array;
export function toOnnx<const S extends Readonly<Record<string, number | readonly number[]>>>(
  fn: (inputs: Placeholders<S>) => Value,
  options: GraphOnnxOptions<S>,
): Uint8Array;
/**
 * The ONNX model of the graph a compiled function replays: the function and
 * inputs it was compiled from, recorded again as `toOnnx(fn, { inputs })`
 * records them (the same ONNX model).
 *
 * @example
 * const f = compile(({ x, y }) => x.mul(y).tanh(), { inputs: ['x', 'y'] });
 * const bytes = toOnnx(f, { dtype: 'float32' });
 */
export function toOnnx<S extends InputSpec>(
  compiled: CompiledFunction<S>,
  options?: Omit<GraphOnnxOptions<S>, 'inputs'>,
): Uint8Array;
export function toOnnx(target: unknown, options?: unknown): Uint8Array {
  const source = sourceOf(target);
  if (source !== undefined) {
    const where = 'toOnnx(compiled, options)';
    const o = resolveOnnxOptions(options, where, ['dtype', 'outputName']);
    return graphToOnnx(source.fn, { ...o, inputs: source.inputs }, where);
  }
  if (typeof target === 'function') {
    const where = 'toOnnx(fn, options)';
    const o = resolveOnnxOptions(options, where, ['inputs', 'dtype', 'outputName']);
    return graphToOnnx(target as (inputs: never) => Value, o, where);
  }
  const where = 'toOnnx(model, options)';
  return moduleToOnnx(
    target,
    resolveOnnxOptions(options, where, ['dtype', 'inputName', 'outputName']),
    where,
  );
}
