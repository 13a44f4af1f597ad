import type { Value } from '@ag/core';
import { noGrad } from '@ag/core';
import type { DiagramGeometry } from './diagram-render.js';
import { renderDiagram } from './diagram-render.js';
import { FEATURE_INFO } from './features.js';
import type { LayerWeights } from './mlp-snapshot.js';
import { copyLayers } from './mlp-snapshot.js';
import { modelFile } from './model-files.js';
import type { NeuronGrids } from './network-grids.js';
import { gridPoint, neuronGrids } from './network-grids.js';
import type { PlotDomain } from './plot-domain.js';
import { rangeDomain, squareDomain } from './plot-domain.js';
import type { PlaygroundState } from './playground-state.js';
import { FEATURES, isOneDimensional } from './playground-state.js';
import type { FrameMessage, TrainerCommand, TrainerMessage } from './trainer-protocol.js';
import { TrainingSession } from './training-session.js';

/** Training time between looks at the message queue; short, so Pause answers at once. */
const SLICE_MS = 20;
/** Frames are sent at most this often, and the page must have drawn the last one. */
const FRAME_INTERVAL_MS = 50;
/** Cells per side of the diagram's neuron maps. */
const THUMBNAIL_RESOLUTION = 20;

/**
 * The plot's grid for a model: 64² cells for a small model, down to 24² for a large one
 * (each cell is one forward pass), so a frame's maps stay a few milliseconds.
 * @example
 *   mapResolution(337);   // 64
 *   mapResolution(21057); // 24
 */
export function mapResolution(parameterCount: number): number {
  return Math.round(Math.max(24, Math.min(64, Math.sqrt(2e6 / parameterCount))));
}

export function domainOf(s: TrainingSession): PlotDomain {
  const x = [...s.train.x, ...s.test.x];
  if (isOneDimensional(s.state.dataset))
    return rangeDomain(
      x.map((p) => p[0] ?? 0),
      [...s.train.y, ...s.test.y],
    );
  return squareDomain(x);
}

/**
 * The training side of the page, independent of where it runs: it takes commands and
 * sends messages. In the page it runs in a Web Worker (training-worker.ts), so training
 * never takes the main thread's frames; tests run it directly.
 */
export class Trainer {
  #session: TrainingSession | undefined;
  #domain: PlotDomain = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  #run = 0;
  #playing = false;
  #waitingForPage = false;
  #nextFrame = 0;
  #scheduled = false;
  #geometry: DiagramGeometry | undefined;
  #canvas: OffscreenCanvas | undefined;
  /** Maps of the features that are not inputs, by feature index, for the current run. */
  #featureGrids = new Map<number, Float32Array>();

  constructor(
    private readonly send: (message: TrainerMessage, transfer: Transferable[]) => void,
    private readonly later: (task: () => void) => void = (task) => setTimeout(task, 0),
    private readonly now: () => number = () => performance.now(),
  ) {}

  handle(command: TrainerCommand): void {
    switch (command.type) {
      case 'reset':
        this.#reset(command);
        return;
      case 'play':
        this.#playing = true;
        this.#schedule();
        return;
      case 'pause':
        this.#playing = false;
        this.#frame();
        return;
      case 'step':
        this.#playing = false;
        this.#guard(() => this.#session?.step());
        this.#frame();
        return;
      case 'drawn':
        this.#waitingForPage = false;
        return;
      case 'geometry':
        this.#geometry = command.geometry;
        this.#waitingForPage = false;
        this.#frame();
        return;
      case 'setWeight':
        this.#guard(() =>
          this.#session?.setWeight(command.layer, command.neuron, command.input, command.value),
        );
        this.#frame();
        return;
      case 'probe': {
        const s = this.#session;
        try {
          if (s === undefined) throw new Error('no run yet');
          this.send({ type: 'probe', id: command.id, result: s.probe(command.index) }, []);
        } catch (error) {
          this.send({ type: 'probe', id: command.id, result: { error: messageOf(error) } }, []);
        }
        return;
      }
      case 'evaluate': {
        const s = this.#session;
        if (s === undefined) return;
        const inputs = s.inputsOf(command.point);
        const activations: number[][] = [];
        let x: readonly (number | Value)[] = inputs;
        for (const layer of s.model.layers) {
          const out = noGrad(() => layer.forward(x));
          activations.push(out.map((v) => v.data));
          x = out;
        }
        this.send({ type: 'evaluate', id: command.id, inputs, activations }, []);
        return;
      }
      case 'file':
        void this.#file(command);
        return;
    }
  }

  /** The model as a file; the bytes are handed over, not copied. */
  async #file(command: Extract<TrainerCommand, { type: 'file' }>): Promise<void> {
    try {
      const s = this.#session;
      if (s === undefined) throw new Error('no run yet');
      const file = await modelFile(s.model, s.state, command.format, command.precision);
      const { bytes } = file;
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      if (!own) file.bytes = bytes.slice();
      this.send({ type: 'file', id: command.id, file }, [file.bytes.buffer as ArrayBuffer]);
    } catch (error) {
      this.send({ type: 'file', id: command.id, file: { error: messageOf(error) } }, []);
    }
  }

  #reset(command: { state: PlaygroundState }): void {
    this.#run++;
    let session: TrainingSession;
    try {
      session = new TrainingSession(command.state);
    } catch (error) {
      this.#playing = false;
      this.send({ type: 'error', run: this.#run, message: messageOf(error) }, []);
      return;
    }
    this.#session = session;
    this.#domain = domainOf(session);
    this.#featureGrids.clear();
    this.send(
      {
        type: 'data',
        run: this.#run,
        train: session.train,
        test: session.test,
        domain: this.#domain,
        regression: session.regression,
        oneDimensional: isOneDimensional(session.state.dataset),
        parameterCount: session.model.parameterCount,
      },
      [],
    );
    this.#waitingForPage = false;
    this.#frame();
  }

  #guard(action: () => unknown): boolean {
    try {
      action();
      return true;
    } catch (error) {
      this.#playing = false;
      this.send({ type: 'error', run: this.#run, message: messageOf(error) }, []);
      return false;
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.later(() => {
      this.#scheduled = false;
      this.#loop();
    });
  }

  #loop(): void {
    if (!this.#playing || this.#session === undefined) return;
    const s = this.#session;
    this.#guard(() => s.runFor(SLICE_MS, this.now));
    if (!this.#waitingForPage && this.now() >= this.#nextFrame) this.#frame();
    if (this.#playing) this.#schedule();
  }

  /** The diagram as a picture, where the page has put its nodes; undefined until it says. */
  #paint(weights: LayerWeights[], thumbnails: NeuronGrids, oneD: boolean): ImageBitmap | undefined {
    const g = this.#geometry;
    if (g === undefined || typeof OffscreenCanvas === 'undefined') return undefined;
    const width = Math.max(1, Math.round(g.width * g.dpr));
    const height = Math.max(1, Math.round(g.height * g.dpr));
    if (this.#canvas === undefined) this.#canvas = new OffscreenCanvas(width, height);
    const canvas = this.#canvas;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return undefined;
    const res = thumbnails.resolution;
    renderDiagram(ctx, g, weights, thumbnails, (k) => {
      if (oneD) return undefined;
      let grid = this.#featureGrids.get(k);
      if (grid === undefined) {
        grid = featureMap(this.#domain, k, res);
        if (grid !== undefined) this.#featureGrids.set(k, grid);
      }
      return grid;
    });
    return canvas.transferToImageBitmap();
  }

  /** Measure and map the model as it is now, and send it. */
  #frame(): void {
    const s = this.#session;
    if (s === undefined) return;
    const start = this.now();
    const weights = copyLayers(s.model);
    const oneD = isOneDimensional(s.state.dataset);
    // The line's model reads x alone: its maps vary along the plot's x axis only.
    const inputsOf = oneD
      ? (p: readonly number[]): number[] => [p[0] ?? NaN]
      : (p: readonly number[]): number[] => s.inputsOf(p);
    const thumbnails = neuronGrids(weights, this.#domain, inputsOf, THUMBNAIL_RESOLUTION);
    const resolution = oneD ? 1 : mapResolution(s.model.parameterCount);
    const full = oneD ? undefined : neuronGrids(weights, this.#domain, inputsOf, resolution);
    const values = full?.layers[full.layers.length - 1] ?? new Float32Array(1);
    if (!s.regression) {
      // Confidence of class 1 in [−1, 1]: tanh of the margin, or 2σ(z) − 1 = tanh(z/2) for logits.
      const scale = s.state.loss === 'bce' ? 0.5 : 1;
      for (let i = 0; i < values.length; i++) values[i] = Math.tanh(scale * (values[i] as number));
    }
    const diagram = this.#paint(weights, thumbnails, oneD);
    const frame: FrameMessage = {
      type: 'frame',
      run: this.#run,
      steps: s.steps,
      epochs: s.epochs,
      playing: this.#playing,
      metrics: s.metrics(),
      weights,
      grads: s.lastGrads,
      thumbnails,
      map: { resolution, values },
      diagram,
    };
    const transfer: Transferable[] = [values, ...thumbnails.inputs, ...thumbnails.layers].map(
      (a) => a.buffer as ArrayBuffer,
    );
    if (diagram !== undefined) transfer.push(diagram);
    this.#waitingForPage = true;
    this.send(frame, transfer);
    const cost = this.now() - start;
    // A costly frame (a large model on many points) waits twice its cost: training keeps
    // at least two thirds of the worker's time.
    this.#nextFrame = start + Math.max(FRAME_INTERVAL_MS, 2 * cost);
  }
}

/** A feature's map over the plane, from its formula (for features that are not inputs). */
function featureMap(domain: PlotDomain, k: number, resolution: number): Float32Array | undefined {
  const feature = FEATURES[k];
  if (feature === undefined) return undefined;
  const grid = new Float32Array(resolution * resolution);
  for (let row = 0; row < resolution; row++)
    for (let col = 0; col < resolution; col++) {
      const [x1, x2] = gridPoint(domain, resolution, row, col);
      grid[row * resolution + col] = FEATURE_INFO[feature].f(x1, x2);
    }
  return grid;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
