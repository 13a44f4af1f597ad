import { CLASS_COLORS, cssColor } from './color-scale.js';
import { setupCanvas } from './canvas-setup.js';
import { decades, formatTick } from './nice-ticks.js';

/** Loss measurements over a run: after `steps[i]` updates, the train and test loss were … */
export interface LossHistory {
  steps: number[];
  train: number[];
  test: number[];
}

/**
 * Draw train (dark) and test (orange) loss against the number of updates, on a log scale
 * from the largest finite loss down to the smallest positive one (at most six decades).
 * @example
 *   drawLossChart(canvas, 320, 180, { steps: [0, 10], train: [1, 0.5], test: [1.1, 0.6] });
 *   drawLossChart(canvas, 320, 180, { steps: [], train: [], test: [] }); // empty axes
 */
export function drawLossChart(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  history: LossHistory,
): void {
  const ctx = setupCanvas(canvas, width, height);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  const left = 40;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const plotW = width - left - right;
  const plotH = height - top - bottom;

  // A log scale: losses fall by orders of magnitude, and a linear axis flattens all but the start.
  let yMax = 0;
  let yMinPositive = Infinity;
  for (const v of [...history.train, ...history.test]) {
    if (!Number.isFinite(v)) continue;
    if (v > yMax) yMax = v;
    if (v > 0 && v < yMinPositive) yMinPositive = v;
  }
  if (yMax === 0) yMax = 1;
  // Losses that reach exactly 0 (hinge does) sit on the floor, six decades below the top at most.
  const floor = Math.max(Math.min(yMinPositive, yMax / 10), yMax * 1e-6);
  const logTop = Math.log10(yMax);
  const logBottom = Math.log10(floor);
  const xMax = Math.max(1, history.steps[history.steps.length - 1] ?? 1);
  const px = (s: number): number => left + (s / xMax) * plotW;
  const py = (v: number): number => {
    const t = (Math.log10(Math.max(v, floor)) - logBottom) / (logTop - logBottom || 1);
    return top + plotH - t * plotH;
  };

  ctx.font = '10px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#eaeef2';
  ctx.fillStyle = '#656d76';
  for (const v of decades(floor, yMax)) {
    const y = Math.round(py(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(width - right, y);
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.fillText(formatTick(Number(v.toPrecision(2))), left - 4, y + 3);
  }
  ctx.textAlign = 'left';
  ctx.fillText('0', left, height - 6);
  ctx.textAlign = 'right';
  ctx.fillText(`${xMax} update${xMax === 1 ? '' : 's'}`, width - right, height - 6);
  ctx.textAlign = 'left';

  const line = (values: number[], color: string): void => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.8;
    ctx.beginPath();
    let drawing = false;
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        drawing = false;
        return;
      }
      const x = px(history.steps[i] ?? 0);
      const y = py(v);
      if (drawing) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      drawing = true;
    });
    ctx.stroke();
  };
  line(history.test, cssColor(CLASS_COLORS[0]));
  line(history.train, '#24292f');
}
