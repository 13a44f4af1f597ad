import { formatLoss } from './format-loss.js';
import { createFrame, escapeXml, px } from './svg-frame.js';

/** Above this many points a curve keeps every k-th one: the picture is the same, the file small. */
const MAX_POINTS = 1500;

/**
 * The loss per epoch as an SVG line chart; the y axis turns logarithmic when the loss
 * spans more than two decades, so the tail of a converging run stays visible. The corner
 * names the last epoch's loss as the progress lines print it, and, given `after`, the loss
 * of the trained model, so that two different numbers are never both just "final".
 *
 * @example
 * const svg = lossCurveSvg([4, 1, 0.25, 0.06], { title: 'Loss of y = 3x + 4' });
 * svg.startsWith('<svg'); // true
 */
export function lossCurveSvg(
  losses: readonly number[],
  options: { title: string; yLabel?: string; after?: number },
): string {
  const points: [number, number][] = [];
  const stride = Math.max(1, Math.ceil(losses.length / MAX_POINTS));
  losses.forEach((loss, i) => {
    if (Number.isFinite(loss) && (i % stride === 0 || i === losses.length - 1))
      points.push([i + 1, loss]);
  });
  const ys = points.map(([, y]) => y);
  const lo = ys.length > 0 ? Math.min(...ys) : 0;
  const hi = ys.length > 0 ? Math.max(...ys) : 1;
  const yLog = lo > 0 && hi / lo > 100;
  const frame = createFrame({
    title: options.title,
    xLabel: 'epoch',
    yLabel: options.yLabel ?? 'loss',
    x: [1, Math.max(1, losses.length)],
    y: [yLog ? lo : Math.min(0, lo), hi],
    yLog,
  });
  const path = points.map(([x, y]) => `${px(frame.sx(x))},${px(frame.sy(y))}`).join(' ');
  const last = points[points.length - 1];
  const notes =
    last === undefined ? [] : [`epoch ${last[0]} (mean over its updates): ${formatLoss(last[1])}`];
  if (options.after !== undefined) notes.push(`trained model: ${formatLoss(options.after)}`);
  const body = [
    frame.axes(),
    `<polyline points="${path}" fill="none" stroke="#1f77b4" stroke-width="2"/>`,
    ...notes.map(
      (note, i) =>
        `<text x="${px(frame.right - 6)}" y="${px(frame.top + 18 + 16 * i)}" text-anchor="end">${escapeXml(note)}</text>`,
    ),
  ].join('\n');
  return frame.document(body);
}
