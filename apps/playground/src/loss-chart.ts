import { CLASS_COLORS, cssColor } from './color-scale.js';
import { setupCanvas } from './canvas-setup.js';
import { formatTick, niceTicks } from './nice-ticks.js';

/** Loss measurements over a run: after `steps[i]` updates, the train and test loss were … */
export interface LossHistory {
  steps: number[];
  train: number[];
  test: number[];
}

/**
 * Draw train (dark) and test (orange) loss against the number of updates, from 0 to the
 * largest finite loss seen.
 * @example
 *   drawLossChart(canvas, 320, 180, { steps: [0, 10], train: [1, 0.5], test: [1.1, 0.6] });
 *   drawLossChart(canvas, 320, 180, { steps: [], train: [], test: [] }); // empty axes
 */
export function drawLossChart(canvas: HTMLCanvasElement, width: number, height: number, history: LossHistory): void {
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

  let yMax = 0;
  for (const v of [...history.train, ...history.test]) if (Number.isFinite(v) && v > yMax) yMax = v;
  if (yMax === 0) yMax = 1;
  const xMax = Math.max(1, history.steps[history.steps.length - 1] ?? 1);
  const px = (s: number): number => left + (s / xMax) * plotW;
  const py = (v: number): number => top + plotH - (Math.min(v, yMax) / yMax) * plotH;

  ctx.font = '10px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#eaeef2';
  ctx.fillStyle = '#656d76';
  for (const v of niceTicks(0, yMax, 4)) {
    const y = Math.round(py(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(width - right, y);
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.fillText(formatTick(v), left - 4, y + 3);
  }
  ctx.textAlign = 'left';
  ctx.fillText('0', left, height - 6);
  ctx.textAlign = 'right';
  ctx.fillText(`${xMax} updates`, width - right, height - 6);
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
