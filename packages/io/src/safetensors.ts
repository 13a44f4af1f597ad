/** A model's weights as a safetensors file in PyTorch's layout, and back. */
import type { Linear, MLP } from '@ag/nn';
import { describe } from './describe.js';
import { parseSafetensors, writeSafetensors, type SafetensorsDtype } from './safetensors-format.js';
import { assignTensors, toTorchStateDict, torchSlots } from './torch-state-dict.js';

/** Options of {@link saveSafetensors}. */
export interface SaveSafetensorsOptions {
  /** `F64` (default: every bit kept) or `F32` (PyTorch's default dtype, each weight rounded). */
  dtype?: SafetensorsDtype;
}

/**
 * The model's weights as the bytes of a safetensors file, under the names and
 * shapes of the equivalent PyTorch module (see `toTorchStateDict`); PyTorch
 * loads it with `safetensors.torch.load_file` and `load_state_dict`.
 *
 * @example
 * const bytes = saveSafetensors(model, { dtype: 'F32' });
 * writeFileSync('model.safetensors', bytes); // in Node; in a browser, a Blob
 */
export function saveSafetensors(
  model: Linear | MLP,
  options: SaveSafetensorsOptions = {},
): Uint8Array {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      `saveSafetensors(model, options): expected an options object, received ${describe(options)}`,
    );
  const dtype = options.dtype ?? 'F64';
  if (dtype !== 'F64' && dtype !== 'F32')
    throw new RangeError(
      `saveSafetensors(model, options): expected options.dtype 'F64' or 'F32', received ${describe(dtype)}`,
    );
  return writeSafetensors(toTorchStateDict(model), { dtype });
}

/**
 * Loads a safetensors file in PyTorch's layout into the model. The whole file
 * is checked before any weight changes (its format, then: every tensor of the
 * model present, none extra, the same shapes, finite numbers); on any fault it
 * throws an error that names it, and the model is unchanged. F32 files load
 * exactly (every single is a double).
 *
 * @example
 * loadSafetensors(model, new Uint8Array(readFileSync('model.safetensors')));
 */
export function loadSafetensors(model: Linear | MLP, bytes: Uint8Array): void {
  const where = 'loadSafetensors(model, bytes)';
  const slots = torchSlots(model, where);
  const { tensors } = parseSafetensors(bytes, where);
  assignTensors(slots, tensors, where);
}
