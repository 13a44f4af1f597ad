/**
 * @ag/core: scalar automatic differentiation. A `Value` records the op that
 * made it and its operands; `backward()` fills every node's `grad`.
 *
 * @packageDocumentation
 */
export { Value, value, type ValueOptions } from './value.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  max,
  min,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  log1p,
  expm1,
  log2,
  log10,
  erf,
  erfc,
  gelu,
  silu,
  sign,
  floor,
  ceil,
  round,
  leakyRelu,
  elu,
  clamp,
  atan2,
  hypot,
} from './functions.js';
export {
  gradients,
  grad,
  jacobian,
  hessian,
  hvp,
  jvp,
  type GradientsOptions,
} from './higher-order.js';
export { sum, dot, affine, type Operand } from './nary.js';
export {
  noGrad,
  isGradEnabled,
  detectAnomaly,
  setAnomalyDetection,
  isAnomalyDetectionEnabled,
  AnomalyError,
} from './grad-mode.js';
export {
  gradcheck,
  gradgradcheck,
  type GradcheckOptions,
  type GradcheckResult,
  type GradcheckEntry,
} from './gradcheck.js';
export { toDot, toGraph, type DotOptions, type GraphJSON, type GraphNode } from './graph-export.js';
export {
  compile,
  type CompileMode,
  type CompileOptions,
  type ColumnData,
  type CompiledFunction,
  type ShapeOf,
  sourceOf,
  type CompiledSource,
} from './compile/compile.js';
export type { InputSpec, Placeholders, Sample } from './compile/inputs.js';
export { TraceError } from './compile/trace-error.js';
export { compileJacobian, type CompiledJacobian } from './compile/forward.js';
