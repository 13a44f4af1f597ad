/** The options every ONNX export takes, checked once. */
import { describe } from './describe.js';
import type { OnnxDtype } from './onnx-builder.js';

/** Options of `toOnnx` for a `Linear` or an `MLP`. */
export interface OnnxOptions {
  /** `float64` (default: the model's numbers exactly) or `float32` (what most runtimes and GPUs prefer). */
  dtype?: OnnxDtype;
  /** The name of the graph input of a model (default `input`). */
  inputName?: string;
  /** The name of the graph output (default `output`). */
  outputName?: string;
}

/** @internal The options, checked, defaults filled in. */
export interface ResolvedOnnxOptions {
  dtype: OnnxDtype;
  inputName: string;
  outputName: string;
}

export function resolveOnnxOptions(
  options: unknown,
  where: string,
  allowed: readonly string[],
): ResolvedOnnxOptions & Record<string, unknown> {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(`${where}: expected an options object, received ${describe(options)}`);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key))
      throw new RangeError(`${where}: unknown option '${key}' (expected ${allowed.join(', ')})`);
  }
  const dtype = o.dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32')
    throw new RangeError(
      `${where}: expected options.dtype 'float64' or 'float32', received ${describe(dtype)}`,
    );
  const name = (key: string, fallback: string): string => {
    const v = o[key] ?? fallback;
    if (typeof v !== 'string' || v === '')
      throw new TypeError(
        `${where}: expected options.${key} to be a non-empty string, received ${describe(v)}`,
      );
    return v;
  };
  const inputName = name('inputName', 'input');
  const outputName = name('outputName', 'output');
  if (inputName === outputName)
    throw new RangeError(
      `${where}: options.inputName and options.outputName are both '${inputName}'; ONNX needs two names`,
    );
  return { ...o, dtype, inputName, outputName };
}
