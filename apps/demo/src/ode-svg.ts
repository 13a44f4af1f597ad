import { createFrame, escapeXml, px } from './svg-frame.js';

/**
 * The fitted u(t) (solid) over the exact e^(−t) (dashed), with the largest error in the title.
 *
 * @example
 * odeSvg([0, 1], [1, 0.37], 3e-4).includes('<polyline'); // true
 */
export function odeSvg(ts: readonly number[], u: readonly number[], maxError: number): string {
  const frame = createFrame({
    title: `u' = -u, u(0) = 1: the network against e^-t (max error ${maxError.toExponential(2)})`,
    xLabel: 't',
    yLabel: 'u(t)',
    x: [0, 2],
    y: [0, 1.05],
  });
  const line = (ys: readonly number[]): string =>
    ts.map((t, i) => `${px(frame.sx(t))},${px(frame.sy(ys[i] as number))}`).join(' ');
  const exact = ts.map((t) => Math.exp(-t));
  const lx = frame.right - 190;
  return frame.document(
    [
      frame.axes(),
      `<polyline points="${line(exact)}" fill="none" stroke="#999" stroke-width="3" stroke-dasharray="6 4"/>`,
      `<polyline points="${line(u)}" fill="none" stroke="#d62728" stroke-width="1.5"/>`,
      `<line x1="${px(lx)}" y1="${px(frame.top + 16)}" x2="${px(lx + 24)}" y2="${px(frame.top + 16)}" stroke="#999" stroke-width="3" stroke-dasharray="6 4"/>`,
      `<text x="${px(lx + 30)}" y="${px(frame.top + 20)}">${escapeXml('exact e^-t')}</text>`,
      `<line x1="${px(lx)}" y1="${px(frame.top + 34)}" x2="${px(lx + 24)}" y2="${px(frame.top + 34)}" stroke="#d62728" stroke-width="2"/>`,
      `<text x="${px(lx + 30)}" y="${px(frame.top + 38)}">${escapeXml('network u(t)')}</text>`,
    ].join('\n'),
  );
}
