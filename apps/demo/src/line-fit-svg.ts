import { lineEquation } from './line-equation.js';
import { createFrame, escapeXml, px } from './svg-frame.js';

export interface LineFitPicture {
  xs: readonly number[];
  ys: readonly number[];
  fitted: { m: number; c: number };
  truth: { m: number; c: number };
  title: string;
}

/**
 * The samples as dots with the true line (dashed) and the fitted line (solid).
 *
 * @example
 * const svg = lineFitSvg({ xs: [0, 1], ys: [4, 7], fitted: { m: 3, c: 4 }, truth: { m: 3, c: 4 }, title: 'Fit' });
 * svg.includes('<circle'); // true
 */
export function lineFitSvg(picture: LineFitPicture): string {
  const { xs, ys, fitted, truth } = picture;
  const xLo = Math.min(0, ...xs);
  const xHi = Math.max(1, ...xs);
  const at = (line: { m: number; c: number }, x: number): number => line.m * x + line.c;
  const yAll = [...ys, at(fitted, xLo), at(fitted, xHi), at(truth, xLo), at(truth, xHi)].filter(
    Number.isFinite,
  );
  const frame = createFrame({
    title: picture.title,
    xLabel: 'x',
    yLabel: 'y',
    x: [xLo, xHi],
    y: [Math.min(...yAll), Math.max(...yAll)],
  });
  const segment = (line: { m: number; c: number }, style: string): string =>
    `<line x1="${px(frame.sx(xLo))}" y1="${px(frame.sy(at(line, xLo)))}" x2="${px(frame.sx(xHi))}" y2="${px(
      frame.sy(at(line, xHi)),
    )}" ${style}/>`;
  const dots = xs.map(
    (x, i) =>
      `<circle cx="${px(frame.sx(x))}" cy="${px(frame.sy(ys[i] ?? 0))}" r="3" fill="#1f77b4" fill-opacity="0.6"/>`,
  );
  const legendX = frame.left + 12;
  const legend = [
    `<line x1="${px(legendX)}" y1="${px(frame.top + 16)}" x2="${px(legendX + 24)}" y2="${px(frame.top + 16)}" stroke="#999" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<text x="${px(legendX + 30)}" y="${px(frame.top + 20)}">${escapeXml(`true    ${lineEquation(truth.m, truth.c)}`)}</text>`,
    `<line x1="${px(legendX)}" y1="${px(frame.top + 34)}" x2="${px(legendX + 24)}" y2="${px(frame.top + 34)}" stroke="#d62728" stroke-width="2"/>`,
    `<text x="${px(legendX + 30)}" y="${px(frame.top + 38)}">${escapeXml(`fitted ${lineEquation(fitted.m, fitted.c)}`)}</text>`,
  ];
  return frame.document(
    [
      frame.axes(),
      ...dots,
      segment(truth, 'stroke="#999" stroke-width="2" stroke-dasharray="6 4"'),
      segment(fitted, 'stroke="#d62728" stroke-width="2"'),
      ...legend,
    ].join('\n'),
  );
}
