/**
 * @ag/nn: modules, losses, optimizers, learning-rate schedules and training
 * loops on top of @ag/core.
 *
 * @packageDocumentation
 */
export { seededRandom, DEFAULT_SEED, type Random } from './random.js';
export { ACTIVATIONS, type Activation } from './activation.js';
export { MAX_PARAMETERS } from './argument-checks.js';
export { INIT_SCHEMES, type InitScheme } from './init.js';
export {
  Module,
  type Model,
  type ModuleEntry,
  type ParameterTensor,
  type StateDict,
  type StateTensor,
} from './module.js';
export { Neuron, type NeuronOptions } from './neuron.js';
export { Layer, type LayerOptions } from './layer.js';
export { MLP, type MLPOptions } from './mlp.js';
export { Linear, type LinearOptions } from './linear.js';
export {
  mse,
  mae,
  huber,
  hinge,
  binaryCrossEntropyWithLogits,
  softmaxCrossEntropy,
  l2Penalty,
  type HuberOptions,
  type LossOptions,
  type Prediction,
  type Reduced,
  type Reduction,
  type Scalar,
  type SoftmaxCrossEntropyOptions,
} from './losses.js';
export {
  Optimizer,
  type GroupHead,
  type OptimizerState,
  type ParamGroup,
  type PlainDescent,
} from './optimizers/optimizer.js';
export { SGD, type SGDGroupState, type SGDOptions, type SGDState } from './optimizers/sgd.js';
export {
  Adam,
  AdamW,
  type AdamGroupState,
  type AdamOptions,
  type AdamState,
} from './optimizers/adam.js';
export { LBFGS, type LBFGSOptions, type Closure } from './optimizers/lbfgs.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip-grad.js';
export {
  constantLR,
  linearDecay,
  stepDecay,
  exponentialDecay,
  cosineDecay,
  type Schedule,
  type LinearDecayOptions,
  type StepDecayOptions,
  type ExponentialDecayOptions,
  type CosineDecayOptions,
} from './schedules.js';
export {
  fit,
  fitAsync,
  type AbortSignalLike,
  type FitAsyncOptions,
  type Dataset,
  type EpochInfo,
  type FitLoss,
  type FitMode,
  type FitOptions,
  type CompiledFitLoss,
  type CompiledFitOptions,
  type FitOptionsBase,
  type FitResult,
  type ModelOrForward,
  type StepInfo,
  type Steppable,
} from './fit.js';
export {
  evaluate,
  type EvaluateOptions,
  type EvaluateOptionsBase,
  type Evaluation,
} from './evaluate.js';
