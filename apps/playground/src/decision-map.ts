import { CLASS_COLORS, cssColor, heatColor } from './color-scale.js';
import { setupCanvas } from './canvas-setup.js';
import type { PlotDomain } from './plot-domain.js';
import { fromPixelX, fromPixelY, toPixelX, toPixelY } from './plot-domain.js';
import { formatTick, niceTicks } from './nice-ticks.js';

/** Points to plot: inputs and, per point, a class (0 or 1) or a regression target. */
export interface PlotPoints {
  x: readonly (readonly number[])[];
  y: readonly number[];
}

let scratch: HTMLCanvasElement | undefined;

/** A resolution² picture to fill on the reused scratch canvas, or null without a 2-D context. */
function scratchImage(resolution: number): ImageData | null {
  scratch ??= document.createElement('canvas');
  scratch.width = resolution;
  scratch.height = resolution;
  return scratch.getContext('2d')?.createImageData(resolution, resolution) ?? null;
}

/** Puts `image` on the scratch canvas, scales it up onto `canvas` and draws the axes over it. */
function paintScaled(
  canvas: HTMLCanvasElement,
  size: number,
  domain: PlotDomain,
  image: ImageData,
  smooth: boolean,
): void {
  const small = scratch?.getContext('2d');
  if (scratch === undefined || small === null || small === undefined) return;
  small.putImageData(image, 0, 0);
  const ctx = setupCanvas(canvas, size, size);
  ctx.imageSmoothingEnabled = smooth;
  ctx.imageSmoothingQuality = 'high';
  ctx.clearRect(0, 0, size, size);
  ctx.drawImage(scratch, 0, 0, size, size);
  drawAxes(ctx, size, size, domain);
}

/**
 * Paint the model's confidence over the plot: `confidence(x0, x1)` in [−1, 1] on a
 * `resolution`² grid, scaled up with smoothing (the map is smooth; a coarse grid is enough).
 * @example
 *   drawHeatmap(canvas, 480, domain, (a, b) => Math.tanh(model(a, b)));
 *   drawHeatmap(canvas, 480, domain, () => 0); // a blank, neutral map
 */
export function drawHeatmap(
  canvas: HTMLCanvasElement,
  size: number,
  domain: PlotDomain,
  confidence: (x0: number, x1: number) => number,
  resolution = 64,
): void {
  const image = scratchImage(resolution);
  if (image === null) return;
  const px = image.data;
  for (let row = 0; row < resolution; row++) {
    const y = fromPixelY(domain, resolution, row);
    for (let col = 0; col < resolution; col++) {
      const [r, g, b] = heatColor(confidence(fromPixelX(domain, resolution, col), y));
      const k = 4 * (row * resolution + col);
      px[k] = r;
      px[k + 1] = g;
      px[k + 2] = b;
      px[k + 3] = 255;
    }
  }
  paintScaled(canvas, size, domain, image, true);
}

/**
 * Paint values computed elsewhere (by the training worker) over the plot: `values` holds a
 * resolution² grid row by row from the top, each in [−1, 1] (clamped); `discretize` paints
 * only the sign, as TensorFlow Playground's "discretize output".
 * @example
 *   drawGrid(canvas, 480, domain, frame.map.values, frame.map.resolution, false);
 *   drawGrid(canvas, 480, domain, new Float32Array(4), 2, true); // a neutral map
 */
export function drawGrid(
  canvas: HTMLCanvasElement,
  size: number,
  domain: PlotDomain,
  values: ArrayLike<number>,
  resolution: number,
  discretize: boolean,
): void {
  const image = scratchImage(resolution);
  if (image === null) return;
  const px = image.data;
  for (let i = 0; i < resolution * resolution; i++) {
    const v = values[i] ?? NaN;
    const [r, g, b] = heatColor(discretize ? (v > 0 ? 1 : v < 0 ? -1 : 0) : v);
    px[4 * i] = r;
    px[4 * i + 1] = g;
    px[4 * i + 2] = b;
    px[4 * i + 3] = 255;
  }
  // A discretized map keeps its hard edge; a smooth one is smoothed when scaled up.
  paintScaled(canvas, size, domain, image, !discretize);
}

/**
 * Draw 2-D regression points, each filled with the colour of its target value (the same
 * scale as the map under it), training points with a dark edge and test points with a light one.
 * @example
 *   drawValuePoints(canvas, 480, domain, train, test);
 */
export function drawValuePoints(
  canvas: HTMLCanvasElement,
  size: number,
  domain: PlotDomain,
  train: PlotPoints,
  test: PlotPoints,
): void {
  const ctx = setupCanvas(canvas, size, size);
  ctx.clearRect(0, 0, size, size);
  const dot = (p: readonly number[], v: number, edge: string): void => {
    ctx.beginPath();
    ctx.arc(
      toPixelX(domain, size, p[0] ?? 0),
      toPixelY(domain, size, p[1] ?? 0),
      3.5,
      0,
      2 * Math.PI,
    );
    // Full strength, so a point stands out against the paler map of the same value.
    const t = Math.max(-1, Math.min(1, v));
    ctx.fillStyle = cssColor(CLASS_COLORS[t < 0 ? 0 : 1], 0.15 + 0.85 * Math.abs(t));
    ctx.fill();
    ctx.strokeStyle = edge;
    ctx.stroke();
  };
  ctx.lineWidth = 1;
  train.x.forEach((p, i) => dot(p, train.y[i] ?? 0, '#24292f'));
  test.x.forEach((p, i) => dot(p, test.y[i] ?? 0, '#8c959f'));
}

/** Faint lines at x = 0 and y = 0, when they are in view. */
function drawAxes(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  domain: PlotDomain,
): void {
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.12)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  if (domain.xMin < 0 && domain.xMax > 0) {
    const x = Math.round(toPixelX(domain, width, 0)) + 0.5;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, height);
  }
  if (domain.yMin < 0 && domain.yMax > 0) {
    const y = Math.round(toPixelY(domain, height, 0)) + 0.5;
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
  }
  ctx.stroke();
}

/**
 * Draw classification points: training points filled, test points as rings.
 * @example
 *   drawClassPoints(canvas, 480, domain, train, test);
 *   drawClassPoints(canvas, 480, domain, train, { x: [], y: [] }); // no test set
 */
export function drawClassPoints(
  canvas: HTMLCanvasElement,
  size: number,
  domain: PlotDomain,
  train: PlotPoints,
  test: PlotPoints,
): void {
  const ctx = setupCanvas(canvas, size, size);
  ctx.clearRect(0, 0, size, size);
  const radius = train.x.length + test.x.length > 500 ? 3 : 4;
  // One path per class and kind (a thousand separate fills take a frame's time many times over).
  const path = (points: PlotPoints, label: 0 | 1): Path2D => {
    const p = new Path2D();
    points.x.forEach((q, i) => {
      if ((points.y[i] === 1 ? 1 : 0) !== label) return;
      const x = toPixelX(domain, size, q[0] ?? 0);
      const y = toPixelY(domain, size, q[1] ?? 0);
      p.moveTo(x + radius, y);
      p.arc(x, y, radius, 0, 2 * Math.PI);
    });
    return p;
  };
  ctx.lineWidth = 1;
  for (const label of [0, 1] as const) {
    const p = path(train, label);
    ctx.fillStyle = cssColor(CLASS_COLORS[label]);
    ctx.fill(p);
    ctx.strokeStyle = '#fff';
    ctx.stroke(p);
  }
  ctx.lineWidth = 2;
  for (const label of [0, 1] as const) {
    ctx.strokeStyle = cssColor(CLASS_COLORS[label]);
    ctx.stroke(path(test, label));
  }
}

/**
 * Draw 1-D regression data, the true line (dashed) and the model's fitted curve, with
 * tick labels on both axes.
 * @example
 *   drawRegression(canvas, 480, domain, train, test, (x) => model(x), (x) => 5 * x + 7);
 *   drawRegression(canvas, 480, domain, train, test, () => 0, undefined);
 */
export function drawRegression(
  canvas: HTMLCanvasElement,
  size: number,
  domain: PlotDomain,
  train: PlotPoints,
  test: PlotPoints,
  predict: (x: number) => number,
  truth: ((x: number) => number) | undefined,
): void {
  const ctx = setupCanvas(canvas, size, size);
  ctx.clearRect(0, 0, size, size);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  drawTicks(ctx, size, domain);

  const curve = (f: (x: number) => number): void => {
    ctx.beginPath();
    for (let px = 0; px <= size; px += 2) {
      const y = toPixelY(domain, size, f(fromPixelX(domain, size, px)));
      if (px === 0) ctx.moveTo(px, y);
      else ctx.lineTo(px, y);
    }
    ctx.stroke();
  };
  if (truth !== undefined) {
    ctx.setLineDash([6, 5]);
    ctx.strokeStyle = '#8c959f';
    ctx.lineWidth = 1.5;
    curve(truth);
    ctx.setLineDash([]);
  }
  const dot = (p: readonly number[], y: number, filled: boolean): void => {
    ctx.beginPath();
    ctx.arc(toPixelX(domain, size, p[0] ?? 0), toPixelY(domain, size, y), 3.5, 0, 2 * Math.PI);
    if (filled) {
      ctx.fillStyle = cssColor(CLASS_COLORS[1]);
      ctx.fill();
    } else {
      ctx.strokeStyle = cssColor(CLASS_COLORS[0]);
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  };
  train.x.forEach((p, i) => dot(p, train.y[i] ?? 0, true));
  test.x.forEach((p, i) => dot(p, test.y[i] ?? 0, false));
  ctx.strokeStyle = '#cf222e';
  ctx.lineWidth = 2.5;
  curve(predict);
}

function drawTicks(ctx: CanvasRenderingContext2D, size: number, domain: PlotDomain): void {
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#656d76';
  ctx.strokeStyle = '#eaeef2';
  ctx.lineWidth = 1;
  for (const x of niceTicks(domain.xMin, domain.xMax, 6)) {
    const px = Math.round(toPixelX(domain, size, x)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, 0);
    ctx.lineTo(px, size);
    ctx.stroke();
    ctx.fillText(formatTick(x), px + 3, size - 4);
  }
  for (const y of niceTicks(domain.yMin, domain.yMax, 6)) {
    const py = Math.round(toPixelY(domain, size, y)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(0, py);
    ctx.lineTo(size, py);
    ctx.stroke();
    ctx.fillText(formatTick(y), 3, py - 3);
  }
}
