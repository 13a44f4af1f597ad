import { drawClassPoints, drawHeatmap, drawRegression } from './decision-map.js';
import type { LossHistory } from './loss-chart.js';
import { drawLossChart } from './loss-chart.js';
import type { PlotDomain } from './plot-domain.js';
import { rangeDomain, squareDomain } from './plot-domain.js';
import type { PlaygroundState } from './playground-state.js';
import type { Metrics } from './training-session.js';
import { TrainingSession, initFor } from './training-session.js';
import { pageElement } from './page-element.js';

const PLOT_SIZE = 480;
const CHART_W = 320;
const CHART_H = 180;
/** Time given to training in each animation frame; drawing takes a few ms more. */
const FRAME_BUDGET_MS = 12;
/**
 * While playing, metrics, chart and heat map are refreshed at most every 100 ms, and less
 * often when a refresh is costly (a large model on many samples), so they never take more
 * than about a seventh of the time.
 */
const REFRESH_INTERVAL_MS = 100;
const REFRESH_SHARE = 6;
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
 * The training half of the page: owns the session, the play/pause loop (training in
 * time-boxed slices per animation frame, so the page stays responsive) and the drawing.
 */
export class TrainView {
  #session: TrainingSession;
  #domain: PlotDomain;
  #history: LossHistory = { steps: [], train: [], test: [] };
  #playing = false;
  #frame = 0;
  /** When the running view may next refresh metrics, chart and heat map. */
  #nextRefresh = 0;
  /** The points move only when the data does, i.e. with a new session. */
  #pointsDrawnFor: TrainingSession | undefined;
  readonly #heatmap = pageElement('heatmap', HTMLCanvasElement);
  readonly #points = pageElement('points', HTMLCanvasElement);
  readonly #chart = pageElement('loss-chart', HTMLCanvasElement);
  readonly #play = pageElement('play', HTMLButtonElement);
  readonly #error = pageElement('train-error', HTMLParagraphElement);

  constructor(state: Readonly<PlaygroundState>) {
    this.#session = new TrainingSession(state);
    this.#domain = this.#domainOf(this.#session);
    this.#play.addEventListener('click', () => (this.#playing ? this.pause() : this.play()));
    pageElement('step', HTMLButtonElement).addEventListener('click', () => {
      this.pause();
      this.#advance(() => this.#session.step());
    });
    pageElement('reset', HTMLButtonElement).addEventListener('click', () =>
      this.reset(this.#session.state),
    );
    this.#afterChange();
  }

  /** Start over from a state: new data, new weights, empty history. Keeps playing if it was. */
  reset(state: Readonly<PlaygroundState>): void {
    this.#error.hidden = true;
    try {
      this.#session = new TrainingSession(state);
    } catch (error) {
      this.pause();
      this.#showError(error);
      return;
    }
    this.#domain = this.#domainOf(this.#session);
    this.#history = { steps: [], train: [], test: [] };
    this.#afterChange();
  }

  play(): void {
    if (this.#playing) return;
    this.#playing = true;
    this.#play.textContent = '❚❚ Pause';
    document.body.dataset.playing = 'true';
    const tick = (): void => {
      if (!this.#playing) return;
      this.#advance(() => this.#session.runFor(FRAME_BUDGET_MS));
      if (this.#playing) this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  pause(): void {
    this.#playing = false;
    cancelAnimationFrame(this.#frame);
    this.#play.textContent = '▶ Play';
    document.body.dataset.playing = 'false';
    this.#refresh();
  }

  #advance(train: () => unknown): void {
    try {
      train();
    } catch (error) {
      // The optimizer refuses a non-finite gradient and leaves the weights as they were.
      this.pause();
      this.#showError(error);
    }
    if (!this.#playing || performance.now() >= this.#nextRefresh) this.#refresh();
  }

  /** Measure, record and draw everything; while playing, schedule the next refresh by its cost. */
  #refresh(): void {
    const start = performance.now();
    this.#record();
    this.#draw();
    const cost = performance.now() - start;
    this.#nextRefresh = start + Math.max(REFRESH_INTERVAL_MS, REFRESH_SHARE * cost);
  }

  #showError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#error.textContent = `Training stopped: ${message}. Try a smaller learning rate, then Reset.`;
    this.#error.hidden = false;
  }

  #domainOf(s: TrainingSession): PlotDomain {
    const x = [...s.train.x, ...s.test.x];
    if (s.regression)
      return rangeDomain(
        x.map((p) => p[0] ?? 0),
        [...s.train.y, ...s.test.y],
      );
    return squareDomain(x);
  }

  #afterChange(): void {
    this.#refresh();
    this.#describeModel();
    const legend = document.getElementById('plot-legend');
    if (legend !== null) {
      legend.innerHTML = this.#session.regression
        ? '<span class="swatch c1"></span> training points <span class="swatch ring"></span> test points · <span class="stroke fit"></span> model <span class="stroke truth"></span> true line'
        : '<span class="swatch c0"></span> class 0 <span class="swatch c1"></span> class 1 · filled: training points, rings: test points';
    }
  }

  #record(): void {
    const s = this.#session;
    const h = this.#history;
    if (h.steps.length > 0 && h.steps[h.steps.length - 1] === s.steps) return;
    const m = s.metrics();
    h.steps.push(s.steps);
    h.train.push(m.trainLoss);
    h.test.push(m.testLoss);
    if (h.steps.length > MAX_HISTORY) {
      // Keep the first point (the loss before training) and every other one after it.
      const keep = (_: number, i: number): boolean =>
        i === 0 || i % 2 === 1 || i === h.steps.length - 1;
      h.steps = h.steps.filter(keep);
      h.train = h.train.filter(keep);
      h.test = h.test.filter(keep);
    }
    this.#showMetrics(m);
  }

  #showMetrics(m: Metrics): void {
    const s = this.#session;
    setStat('stat-epoch', s.epochs, String);
    setStat('stat-steps', s.steps, String);
    setStat('stat-train-loss', m.trainLoss, loss);
    setStat('stat-test-loss', m.testLoss, loss);
    setStat('stat-train-acc', m.trainAccuracy, percent);
    setStat('stat-test-acc', m.testAccuracy, percent);
    const first = this.#history.train[0];
    this.#chart.dataset.firstTrainLoss = String(first);
    this.#chart.dataset.lastTrainLoss = String(m.trainLoss);
    this.#chart.dataset.points = String(this.#history.steps.length);
  }

  #draw(): void {
    const s = this.#session;
    if (s.regression) {
      const truth =
        s.state.dataset === 'line' ? (x: number) => s.state.m * x + s.state.c : undefined;
      drawRegression(
        this.#heatmap,
        PLOT_SIZE,
        this.#domain,
        s.train,
        s.test,
        (x) => s.forward([x]),
        truth,
      );
      this.#describeFit();
    } else {
      // The grid shrinks for large models (each pixel is one forward pass), from 64² to 24².
      const resolution = Math.round(
        Math.max(24, Math.min(64, Math.sqrt(2e6 / s.model.parameterCount))),
      );
      drawHeatmap(
        this.#heatmap,
        PLOT_SIZE,
        this.#domain,
        (a, b) => s.confidence([a, b]),
        resolution,
      );
      this.#heatmap.dataset.steps = String(s.steps);
    }
    if (this.#pointsDrawnFor !== s) {
      this.#pointsDrawnFor = s;
      drawClassPoints(this.#points, PLOT_SIZE, this.#domain, ...this.#classPoints());
    }
    drawLossChart(this.#chart, CHART_W, CHART_H, this.#history);
  }

  #classPoints(): [TrainingSession['train'], TrainingSession['test']] {
    const s = this.#session;
    if (s.regression)
      return [
        { x: [], y: [] },
        { x: [], y: [] },
      ];
    return [s.train, s.test];
  }

  #describeModel(): void {
    const s = this.#session;
    const widths = [s.model.nin, ...s.state.hidden, 1];
    const init = initFor(s.state) === 'he' ? 'He' : 'Glorot';
    const summary = document.getElementById('model-summary');
    if (summary !== null) {
      summary.textContent = `${widths.join(' → ')} · ${s.model.parameterCount} parameters · ${init} initialization`;
    }
    // A regression fit is described by every draw (#afterChange has just drawn).
    const fit = document.getElementById('fit-summary');
    if (fit !== null && !s.regression) fit.textContent = '';
  }

  #describeFit(): void {
    const s = this.#session;
    const fit = document.getElementById('fit-summary');
    if (fit === null) return;
    const truth = `true line y = ${s.state.m}·x + ${s.state.c}`;
    if (s.state.hidden.length === 0) {
      const neuron = s.model.layers[0]?.neurons[0];
      const m = neuron?.w[0]?.data ?? NaN;
      const c = neuron?.b.data ?? NaN;
      fit.textContent = `fitted y = ${m.toFixed(4)}·x + ${c.toFixed(4)} (${truth})`;
    } else {
      fit.textContent = truth;
    }
  }
}
