import type { Dataset } from '@ag/data';
import type { DiagramGeometry } from './diagram-render.js';
import type { LayerWeights } from './mlp-snapshot.js';
import type { ModelFile, ModelFormat, Precision } from './model-files.js';
import type { NeuronGrids } from './network-grids.js';
import type { PlaygroundState } from './playground-state.js';
import type { PlotDomain } from './plot-domain.js';
import type { Metrics } from './training-session.js';

/** What the page asks of the training worker. */
export type TrainerCommand =
  | { type: 'reset'; state: PlaygroundState }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  /** The page has drawn the last frame: the worker may send the next. */
  | { type: 'drawn' }
  /** Where the diagram's nodes are: the worker paints links and maps there from now on. */
  | { type: 'geometry'; geometry: DiagramGeometry }
  | { type: 'setWeight'; layer: number; neuron: number; input: number; value: number }
  /** Walk one training sample (by index) through the model. */
  | { type: 'probe'; id: number; index: number }
  /** The model as a file to download. */
  | { type: 'file'; id: number; format: ModelFormat; precision: Precision }
  /** Every neuron's value at a point of the plane, from the @ag/nn model's own forward. */
  | { type: 'evaluate'; id: number; point: number[] };

/** A new run's data, sent once per reset. */
export interface DataMessage {
  type: 'data';
  run: number;
  train: Dataset;
  test: Dataset;
  domain: PlotDomain;
  regression: boolean;
  /** The line data set: one input, drawn as a curve rather than a map. */
  oneDimensional: boolean;
  parameterCount: number;
}

/** What training has reached, with everything the page draws. */
export interface FrameMessage {
  type: 'frame';
  run: number;
  steps: number;
  epochs: number;
  playing: boolean;
  metrics: Metrics;
  weights: LayerWeights[];
  /** Gradients of the last update, before the optimizer stepped; undefined before the first. */
  grads: LayerWeights[] | undefined;
  /** Small maps of every input and neuron, for the network diagram. */
  thumbnails: NeuronGrids;
  /** The output over the plot at a finer grid: confidence in [−1, 1], or the regression value. */
  map: { resolution: number; values: Float32Array };
  /** The diagram's links and node maps, painted by the worker (once it knows the geometry). */
  diagram: ImageBitmap | undefined;
}

/**
 * One sample through the @ag/nn model with Values, and its `backward()`: every neuron's
 * value and grad, every weight's grad. Training's gradients are left as they were.
 */
export interface ProbeResult {
  index: number;
  /** The sample's point on the plane and the model's inputs for it. */
  point: number[];
  inputs: number[];
  /** activations[l][j]: the value of neuron j of layer l. */
  activations: number[][];
  /** neuronGrads[l][j]: ∂loss/∂(neuron j of layer l), as backward() leaves it. */
  neuronGrads: number[][];
  /** weightGrads[l][j][i]: ∂loss/∂w; index nin is the bias. */
  weightGrads: number[][][];
  target: number;
  loss: number;
  /** The weights the sample went through. */
  weights: LayerWeights[];
}

export type TrainerMessage =
  | DataMessage
  | FrameMessage
  | { type: 'error'; run: number; message: string }
  | { type: 'probe'; id: number; result: ProbeResult | { error: string } }
  | { type: 'file'; id: number; file: ModelFile | { error: string } }
  | { type: 'evaluate'; id: number; inputs: number[]; activations: number[][] };
