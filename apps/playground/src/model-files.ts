import type { MLP } from '@ag/nn';
import { FEATURE_INFO } from './features.js';
import type { PlaygroundState } from './playground-state.js';
import { FEATURES, isOneDimensional, isRegression } from './playground-state.js';

/** The files "Download" offers: `stateDict()` JSON, safetensors weights, an ONNX model. */
export const MODEL_FORMATS = ['json', 'safetensors', 'onnx'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];
/** Numbers in safetensors and ONNX files: float64 keeps every bit, float32 rounds each weight. */
export const PRECISIONS = ['float64', 'float32'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** A file to hand to the browser: its name, MIME type, bytes, and a line saying how to use it. */
export interface ModelFile {
  name: string;
  type: string;
  bytes: Uint8Array;
  note: string;
}

/**
 * The model's inputs in order, by label. The feature transforms (x₁², sin x₁, …) are
 * computed before the network, so an exported model expects them, not the raw point.
 * @example
 *   modelInputs({ ...state, features: ['x1', 'x2', 'sinx1'] }); // ['x₁', 'x₂', 'sin x₁']
 */
export function modelInputs(state: Readonly<PlaygroundState>): string[] {
  if (isOneDimensional(state.dataset)) return ['x'];
  return FEATURES.filter((f) => state.features.includes(f)).map((f) => FEATURE_INFO[f].label);
}

/** What the model's one output means for the page's task and loss. */
export function modelOutput(state: Readonly<PlaygroundState>): string {
  if (isRegression(state.dataset)) return 'the predicted value';
  if (state.loss === 'bce') return 'the logit of class 1 (its sigmoid is the probability)';
  return 'a score, class 1 where it is positive';
}

/**
 * The page's model as a file in one of the formats. safetensors and ONNX come from @ag/io,
 * loaded on first use (it brings protobufjs, which the page needs for nothing else).
 * @example
 *   const file = await modelFile(session.model, state, 'onnx', 'float64');
 *   file.name; // 'ag-playground-seed42.onnx'
 */
export async function modelFile(
  model: MLP,
  state: Readonly<PlaygroundState>,
  format: ModelFormat,
  precision: Precision,
): Promise<ModelFile> {
  const base = `ag-playground-seed${state.seed}`;
  const inputs = modelInputs(state);
  const shape = `[batch, ${inputs.length}]: ${inputs.join(', ')}`;
  if (format === 'json') {
    return {
      name: `ag-playground-weights-seed${state.seed}.json`,
      type: 'application/json',
      bytes: new TextEncoder().encode(JSON.stringify(model.stateDict(), null, 1)),
      note: 'Weights saved as stateDict() JSON: load them with model.loadStateDict(json).',
    };
  }
  const io = await import('@ag/io');
  if (format === 'safetensors') {
    const dtype = precision === 'float64' ? 'F64' : 'F32';
    return {
      name: `${base}-${dtype.toLowerCase()}.safetensors`,
      type: 'application/octet-stream',
      bytes: io.saveSafetensors(model, { dtype }),
      note: `safetensors (${dtype}) in PyTorch's layout, for ${io.torchModuleSource(model)}; its input is ${shape}.`,
    };
  }
  return {
    name: `${base}-${precision}.onnx`,
    type: 'application/octet-stream',
    bytes: io.toOnnx(model, { dtype: precision }),
    note: `ONNX (${precision}): input "input" ${shape}; output "output" [batch, 1], ${modelOutput(state)}.`,
  };
}
