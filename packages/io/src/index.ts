/**
 * @ag/io: formats that cross to other engines. PyTorch's state-dict layout,
 * safetensors files and ONNX models, bytes in and bytes out (no file system:
 * it runs in browsers too).
 */
export {
  ACTIVATION_EQUIVALENTS,
  torchModuleSource,
  type CrossingActivation,
} from './sequential-layout.js';
export {
  toTorchStateDict,
  fromTorchStateDict,
  type TorchStateDict,
  type TorchTensor,
  type TorchTensorLike,
} from './torch-state-dict.js';
export {
  readSafetensors,
  writeSafetensors,
  type SafetensorsContents,
  type SafetensorsDtype,
  type SafetensorsTensor,
  type TensorToWrite,
  type WriteSafetensorsOptions,
} from './safetensors-format.js';
export { saveSafetensors, loadSafetensors, type SaveSafetensorsOptions } from './safetensors.js';
export { ONNX_IR_VERSION, ONNX_OPSET, type OnnxDtype } from './onnx-builder.js';
export type { OnnxOptions } from './onnx-options.js';
export { toOnnx, type GraphOnnxOptions } from './to-onnx.js';
