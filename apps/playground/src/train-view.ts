import { drawClassPoints, drawGrid, drawRegression, drawValuePoints } from './decision-map.js';
import type { LossHistory } from './loss-chart.js';
import { drawLossChart } from './loss-chart.js';
import { forwardLayers } from './mlp-snapshot.js';
import type { ModelFile, ModelFormat, Precision } from './model-files.js';
import type { DiagramActions } from './network-diagram.js';
import { NetworkDiagram } from './network-diagram.js';
import { pageElement } from './page-element.js';
import type { PlaygroundState } from './playground-state.js';
import type {
  DataMessage,
  FrameMessage,
  ProbeResult,
  TrainerCommand,
  TrainerMessage,
} from './trainer-protocol.js';
import type { Metrics } from './training-session.js';

const PLOT_SIZE = 480;
const CHART_W = 320;
const CHART_H = 180;
/** Loss points kept for the chart; beyond this every other point is dropped. */
const MAX_HISTORY = 1200;

function setStat(id: string, value: number | undefined, format: (x: number) => string): void {
  const node = document.getElementById(id);
  if (node === null) return;
  node.textContent = value === undefined || Number.isNaN(value) ? '–' : format(value);
  node.dataset.value = value === undefined ? '' : String(value);
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
const loss = (x: number): string => (Math.abs(x) >= 1000 ? x.toExponential(2) : x.toFixed(4));

/**
 * The training half of the page. A Web Worker owns the run and trains; this side only sends
 * commands and draws what the worker reports, one frame at a time: it draws a frame in the
 * next animation frame and then tells the worker, which sends the next one no sooner.
 */
export class TrainView {
  readonly #worker: Worker;
  /** The run the page last asked for; messages of older runs are dropped. */
  #run = 0;
  #state: PlaygroundState;
  #data: DataMessage | undefined;
  #frame: FrameMessage | undefined;
  #pending: FrameMessage | undefined;
  #drawScheduled = false;
  #history: LossHistory = { steps: [], train: [], test: [] };
  #playing = false;
  #pointsDrawn = false;
  #probes = new Map<number, (result: ProbeResult | { error: string }) => void>();
  #files = new Map<number, (file: ModelFile | { error: string }) => void>();
  #evaluations = new Map<number, (result: { inputs: number[]; activations: number[][] }) => void>();
  #nextId = 1;
  readonly diagram: NetworkDiagram;
  readonly #heatmap = pageElement('heatmap', HTMLCanvasElement);
  readonly #points = pageElement('points', HTMLCanvasElement);
  readonly #chart = pageElement('loss-chart', HTMLCanvasElement);
  readonly #play = pageElement('play', HTMLButtonElement);
  readonly #error = pageElement('train-error', HTMLParagraphElement);
  /** Called after each frame is drawn (the walk-through and the tests listen). */
  onFrame: ((frame: FrameMessage) => void) | undefined;

  constructor(
    state: Readonly<PlaygroundState>,
    actions: Omit<DiagramActions, 'setWeight' | 'preview' | 'geometry'>,
  ) {
    this.#state = { ...state };
    this.#worker = new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module' });
    this.#worker.onmessage = (event: MessageEvent<TrainerMessage>) => this.#receive(event.data);
    this.diagram = new NetworkDiagram(pageElement('network', HTMLElement), {
      ...actions,
      setWeight: (layer, neuron, input, value) =>
        this.#send({ type: 'setWeight', layer, neuron, input, value }),
      preview: (grid, resolution) => this.#preview(grid, resolution),
      geometry: (geometry) => this.#send({ type: 'geometry', geometry }),
    });
    this.#play.addEventListener('click', () => (this.#playing ? this.pause() : this.play()));
    pageElement('step', HTMLButtonElement).addEventListener('click', () => {
      this.#setPlaying(false);
      this.#send({ type: 'step' });
    });
    pageElement('reset', HTMLButtonElement).addEventListener('click', () =>
      this.reset(this.#state),
    );
    this.reset(state);
  }

  get data(): DataMessage | undefined {
    return this.#data;
  }

  get frame(): FrameMessage | undefined {
    return this.#frame;
  }

  get state(): PlaygroundState {
    return this.#state;
  }

  #send(command: TrainerCommand): void {
    this.#worker.postMessage(command);
  }

  /** Start over from a state: new data, new weights, empty history. Keeps playing if it was. */
  reset(state: Readonly<PlaygroundState>): void {
    this.#state = { ...state, hidden: [...state.hidden], features: [...state.features] };
    this.#error.hidden = true;
    this.#run++;
    this.#data = undefined;
    this.#frame = undefined;
    this.#pending = undefined;
    this.#history = { steps: [], train: [], test: [] };
    this.#pointsDrawn = false;
    document.body.dataset.run = String(this.#run);
    this.diagram.setState(this.#state);
    this.#send({ type: 'reset', state: this.#state });
    if (this.#playing) this.#send({ type: 'play' });
  }

  /** Redraw with display options (test points, discretized map) that do not change the run. */
  redraw(state: Readonly<PlaygroundState>): void {
    this.#state = { ...state, hidden: [...state.hidden], features: [...state.features] };
    this.#pointsDrawn = false;
    if (this.#frame !== undefined) this.#draw(this.#frame);
  }

  play(): void {
    this.#setPlaying(true);
    this.#send({ type: 'play' });
  }

  pause(): void {
    this.#setPlaying(false);
    this.#send({ type: 'pause' });
  }

  get playing(): boolean {
    return this.#playing;
  }

  #setPlaying(playing: boolean): void {
    this.#playing = playing;
    this.#play.textContent = playing ? '❚❚ Pause' : '▶ Play';
    this.#play.setAttribute('aria-pressed', String(playing));
    document.body.dataset.playing = String(playing);
  }

  /** Walk one training sample through the model in the worker, with backward(). */
  probe(index: number): Promise<ProbeResult | { error: string }> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#probes.set(id, resolve);
      this.#send({ type: 'probe', id, index });
    });
  }

  /** The model as a file: `stateDict()` JSON, safetensors or ONNX (made in the worker). */
  file(format: ModelFormat, precision: Precision): Promise<ModelFile | { error: string }> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#files.set(id, resolve);
      this.#send({ type: 'file', id, format, precision });
    });
  }

  /**
   * Every neuron's value at a point of the plane, computed by the @ag/nn model itself in the
   * worker: what the diagram's maps must show there. `inputs` are the model's inputs there
   * (the features of the point).
   */
  evaluate(point: number[]): Promise<{ inputs: number[]; activations: number[][] }> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#evaluations.set(id, resolve);
      this.#send({ type: 'evaluate', id, point });
    });
  }

  #receive(message: TrainerMessage): void {
    switch (message.type) {
      case 'evaluate':
        this.#evaluations.get(message.id)?.(message);
        this.#evaluations.delete(message.id);
        return;
      case 'probe':
        this.#probes.get(message.id)?.(message.result);
        this.#probes.delete(message.id);
        return;
      case 'file':
        this.#files.get(message.id)?.(message.file);
        this.#files.delete(message.id);
        return;
      case 'data':
        if (message.run !== this.#run) return;
        this.#data = message;
        this.#describe(message);
        return;
      case 'error':
        if (message.run !== this.#run) return;
        this.#setPlaying(false);
        this.#error.textContent = `Training stopped: ${message.message}. Try a smaller learning rate, then Reset.`;
        this.#error.hidden = false;
        return;
      case 'frame':
        if (message.run !== this.#run) {
          this.#send({ type: 'drawn' });
          return;
        }
        this.#pending = message;
        if (!this.#drawScheduled) {
          this.#drawScheduled = true;
          requestAnimationFrame(() => {
            this.#drawScheduled = false;
            const frame = this.#pending;
            this.#pending = undefined;
            if (frame !== undefined) this.#draw(frame);
            this.#send({ type: 'drawn' });
          });
        }
        return;
    }
  }

  /** How long the last frames took to draw, in ms (the tests report them). */
  readonly drawTimes: number[] = [];

  #draw(frame: FrameMessage): void {
    const start = performance.now();
    this.#draw1(frame);
    this.drawTimes.push(performance.now() - start);
    if (this.drawTimes.length > 500) this.drawTimes.shift();
  }

  #draw1(frame: FrameMessage): void {
    this.#frame = frame;
    this.#record(frame);
    this.#drawPlot(frame);
    this.diagram.update(frame);
    drawLossChart(this.#chart, CHART_W, CHART_H, this.#history);
    this.#heatmap.dataset.steps = String(frame.steps);
    this.onFrame?.(frame);
  }

  #drawPlot(frame: FrameMessage): void {
    const data = this.#data;
    if (data === undefined) return;
    const test = this.#state.showTest ? data.test : { x: [], y: [] };
    if (data.oneDimensional) {
      const out = frame.weights.map((l) => new Float64Array(l.nout));
      const last = out[out.length - 1] as Float64Array;
      const predict = (x: number): number => {
        forwardLayers(frame.weights, [x], out);
        return last[0] as number;
      };
      const { m, c } = this.#state;
      drawRegression(
        this.#heatmap,
        PLOT_SIZE,
        data.domain,
        data.train,
        test,
        predict,
        (x) => m * x + c,
      );
      this.#describeLine(frame);
      if (!this.#pointsDrawn) {
        this.#pointsDrawn = true;
        drawClassPoints(this.#points, PLOT_SIZE, data.domain, { x: [], y: [] }, { x: [], y: [] });
      }
      return;
    }
    drawGrid(
      this.#heatmap,
      PLOT_SIZE,
      data.domain,
      frame.map.values,
      frame.map.resolution,
      this.#state.discretize,
    );
    if (!this.#pointsDrawn) {
      this.#pointsDrawn = true;
      const draw = data.regression ? drawValuePoints : drawClassPoints;
      draw(this.#points, PLOT_SIZE, data.domain, data.train, test);
    }
  }

  /** Show a neuron's map on the big plot while the pointer is on it. */
  #preview(grid: Float32Array | undefined, resolution: number): void {
    const data = this.#data;
    if (data === undefined || data.oneDimensional) return;
    if (grid === undefined) {
      if (this.#frame !== undefined) this.#drawPlot(this.#frame);
      return;
    }
    drawGrid(this.#heatmap, PLOT_SIZE, data.domain, grid, resolution, this.#state.discretize);
  }

  #record(frame: FrameMessage): void {
    const h = this.#history;
    if (h.steps.length === 0 || h.steps[h.steps.length - 1] !== frame.steps) {
      h.steps.push(frame.steps);
      h.train.push(frame.metrics.trainLoss);
      h.test.push(frame.metrics.testLoss);
      if (h.steps.length > MAX_HISTORY) {
        // Keep the first point (the loss before training) and every other one after it.
        const keep = (_: number, i: number): boolean =>
          i === 0 || i % 2 === 1 || i === h.steps.length - 1;
        h.steps = h.steps.filter(keep);
        h.train = h.train.filter(keep);
        h.test = h.test.filter(keep);
      }
    }
    this.#showMetrics(frame, frame.metrics);
  }

  #showMetrics(frame: FrameMessage, m: Metrics): void {
    setStat('stat-epoch', frame.epochs, String);
    setStat('stat-epoch-top', frame.epochs, String);
    setStat('stat-steps', frame.steps, String);
    setStat('stat-train-loss', m.trainLoss, loss);
    setStat('stat-test-loss', m.testLoss, loss);
    setStat('stat-train-acc', m.trainAccuracy, percent);
    setStat('stat-test-acc', m.testAccuracy, percent);
    const first = this.#history.train[0];
    this.#chart.dataset.firstTrainLoss = String(first);
    this.#chart.dataset.lastTrainLoss = String(m.trainLoss);
    this.#chart.dataset.points = String(this.#history.steps.length);
  }

  #describe(data: DataMessage): void {
    const s = this.#state;
    const widths = [s.features.length, ...s.hidden, 1];
    if (data.oneDimensional) widths[0] = 1;
    const init = s.activation === 'relu' ? 'He' : 'Glorot';
    const summary = document.getElementById('model-summary');
    if (summary !== null)
      summary.textContent = `${widths.join(' → ')} · ${data.parameterCount} parameters · ${init} initialization`;
    const fit = document.getElementById('fit-summary');
    if (fit !== null && !data.oneDimensional) fit.textContent = '';
    const legend = document.getElementById('plot-legend');
    if (legend !== null) {
      legend.innerHTML = data.oneDimensional
        ? '<span class="swatch c1"></span> training points <span class="swatch ring"></span> test points · <span class="stroke fit"></span> model <span class="stroke truth"></span> true line'
        : data.regression
          ? 'colour: value, <span class="swatch c0"></span> −1 … <span class="swatch c1"></span> +1 · map: the model, points: the targets (dark edge: training, light: test)'
          : '<span class="swatch c0"></span> class 0 <span class="swatch c1"></span> class 1 · filled: training points, rings: test points';
    }
  }

  #describeLine(frame: FrameMessage): void {
    const s = this.#state;
    const fit = document.getElementById('fit-summary');
    if (fit === null) return;
    const truth = `true line y = ${s.m}·x + ${s.c}`;
    const only = frame.weights.length === 1 ? frame.weights[0] : undefined;
    fit.textContent =
      only === undefined
        ? truth
        : `fitted y = ${(only.w[0] ?? NaN).toFixed(4)}·x + ${(only.b[0] ?? NaN).toFixed(4)} (${truth})`;
  }
}
