/**
 * PyTorch's state-dict layout: one tensor per `nn.Linear` weight ([out, in],
 * row-major) and bias ([out]), under the keys of the equivalent module (see
 * sequential-layout.ts).
 */
import type { Value } from '@ag/core';
import type { Linear, MLP } from '@ag/nn';
import { describe, showShape } from './describe.js';
import { sequentialLayout } from './sequential-layout.js';

/** A tensor as PyTorch holds it: a shape and its numbers in row-major order. */
export interface TorchTensor {
  /** The sizes of its dimensions: [out, in] for a weight, [out] for a bias. */
  readonly shape: readonly number[];
  /** Its numbers, row-major: weight[o][i] at o·in + i. */
  readonly data: Float64Array;
}

/** Tensor name → tensor, as `module.state_dict()` in PyTorch. */
export type TorchStateDict = Record<string, TorchTensor>;

/** A tensor to load: its shape and numbers in row-major order (any array-like of numbers). */
export interface TorchTensorLike {
  /** The sizes of its dimensions. */
  readonly shape: readonly number[];
  /** Its numbers, row-major. */
  readonly data: ArrayLike<number>;
}

/** A parameter tensor of the model: where its numbers go, in row-major order. */
interface Slot {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: readonly Value[];
}

/** The model's tensors in PyTorch's order and layout. */
export function torchSlots(model: unknown, where: string): Slot[] {
  const slots: Slot[] = [];
  for (const layer of sequentialLayout(model, where)) {
    const nin = (layer.weight[0] as readonly Value[]).length;
    slots.push({
      name: `${layer.prefix}weight`,
      shape: [layer.weight.length, nin],
      values: layer.weight.flat(),
    });
    slots.push({ name: `${layer.prefix}bias`, shape: [layer.bias.length], values: layer.bias });
  }
  return slots;
}

/**
 * The model's weights under the names and shapes of the equivalent PyTorch
 * module (`nn.Linear` for a `Linear`, an `nn.Sequential` for an `MLP`).
 *
 * @example
 * const state = toTorchStateDict(new MLP(2, [16, 1]));
 * state['0.weight'].shape; // [16, 2]
 */
export function toTorchStateDict(model: Linear | MLP): TorchStateDict {
  const out: TorchStateDict = {};
  for (const { name, shape, values } of torchSlots(model, 'toTorchStateDict(model)')) {
    out[name] = { shape: [...shape], data: Float64Array.from(values, (v) => v.data) };
  }
  return out;
}

/**
 * Loads weights in PyTorch's layout (as {@link toTorchStateDict} gives them).
 * Every name, shape and number is checked first: the same names, none extra,
 * the same shapes, finite numbers. On any error it throws and no parameter
 * changes; gradients are left as they are.
 *
 * @example
 * fromTorchStateDict(model, toTorchStateDict(trained));
 */
export function fromTorchStateDict(
  model: Linear | MLP,
  state: Record<string, TorchTensorLike>,
): void {
  const where = 'fromTorchStateDict(model, state)';
  const slots = torchSlots(model, where);
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new TypeError(`${where}: expected an object of tensors, received ${describe(state)}`);
  }
  const tensors = new Map<string, TorchTensorLike>();
  for (const name of Object.keys(state)) {
    const t: unknown = (state as Record<string, unknown>)[name];
    if (typeof t !== 'object' || t === null)
      throw new TypeError(
        `${where}: expected tensor '${name}' to be { shape, data }, received ${describe(t)}`,
      );
    const { shape, data } = t as { shape?: unknown; data?: unknown };
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
      throw new TypeError(
        `${where}: expected '${name}'.shape to be an array of sizes, received ${describe(shape)}`,
      );
    if (!isArrayLikeOfNumbers(data))
      throw new TypeError(
        `${where}: expected '${name}'.data to be an array or typed array of numbers, received ${describe(data)}`,
      );
    tensors.set(name, { shape: shape as number[], data });
  }
  assignTensors(slots, tensors, where);
}

function isArrayLikeOfNumbers(x: unknown): x is ArrayLike<number> {
  if (x instanceof Float64Array || x instanceof Float32Array) return true;
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

/**
 * Checks `tensors` against the model's slots (no name missing, none extra, the
 * same shapes, finite numbers), then sets every parameter: all or nothing.
 */
export function assignTensors(
  slots: readonly Slot[],
  tensors: ReadonlyMap<string, TorchTensorLike>,
  where: string,
): void {
  const expected = new Set(slots.map((s) => s.name));
  for (const name of tensors.keys()) {
    if (!expected.has(name))
      throw new RangeError(
        `${where}: unexpected tensor '${name}' (the model has ${[...expected].map((n) => `'${n}'`).join(', ')})`,
      );
  }
  for (const { name, shape, values } of slots) {
    const t = tensors.get(name);
    if (t === undefined)
      throw new RangeError(`${where}: missing tensor '${name}' of shape ${showShape(shape)}`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      throw new RangeError(
        `${where}: tensor '${name}' has shape ${showShape(t.shape)}, expected ${showShape(shape)}`,
      );
    if (t.data.length !== values.length)
      throw new RangeError(
        `${where}: tensor '${name}' of shape ${showShape(shape)} must hold ${values.length} numbers, received ${t.data.length}`,
      );
    for (let i = 0; i < values.length; i++) {
      const x = t.data[i] as number;
      if (!Number.isFinite(x))
        throw new RangeError(
          `${where}: tensor '${name}' holds ${x} at flat index ${i}; expected finite numbers`,
        );
    }
  }
  for (const { name, values } of slots) {
    const data = (tensors.get(name) as TorchTensorLike).data;
    for (let i = 0; i < values.length; i++) (values[i] as Value).data = data[i] as number;
  }
}
