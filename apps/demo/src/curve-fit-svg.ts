import { createFrame, escapeXml, px } from './svg-frame.js';

export interface CurveFitPicture {
  xs: readonly number[];
  ys: readonly number[];
  /** Curves y = a·(1 − e^(−b·x)), each with its legend text and SVG stroke attributes. */
  curves: readonly { label: string; a: number; b: number; style: string }[];
  title: string;
}

/**
 * The samples as dots and each curve as a polyline over the samples' range, with a legend.
 *
 * @example
 * curveFitSvg({ xs: [0, 1], ys: [0, 2], curves: [{ label: 'fit', a: 5, b: 0.8, style: 'stroke="red"' }], title: 'Fit' });
 */
export function curveFitSvg(picture: CurveFitPicture): string {
  const { xs, ys, curves } = picture;
  const xLo = Math.min(...xs);
  const xHi = Math.max(...xs);
  const grid = Array.from({ length: 101 }, (_, k) => xLo + ((xHi - xLo) * k) / 100);
  const at = (c: { a: number; b: number }, x: number): number => c.a * (1 - Math.exp(-c.b * x));
  const yAll = [...ys, ...curves.flatMap((c) => grid.map((x) => at(c, x)))].filter(Number.isFinite);
  const frame = createFrame({
    title: picture.title,
    xLabel: 'x',
    yLabel: 'y',
    x: [xLo, xHi],
    y: [Math.min(...yAll), Math.max(...yAll)],
  });
  const dots = xs.map(
    (x, i) =>
      `<circle cx="${px(frame.sx(x))}" cy="${px(frame.sy(ys[i] ?? 0))}" r="3" fill="#555" fill-opacity="0.5"/>`,
  );
  const lines = curves.map(
    (c) =>
      `<polyline fill="none" ${c.style} points="${grid
        .filter((x) => Number.isFinite(at(c, x)))
        .map((x) => `${px(frame.sx(x))},${px(frame.sy(at(c, x)))}`)
        .join(' ')}"/>`,
  );
  const legendX = frame.left + 160;
  const legend = curves.flatMap((c, k) => {
    const y = frame.bottom - 16 - 18 * (curves.length - 1 - k);
    return [
      `<line x1="${px(legendX)}" y1="${px(y)}" x2="${px(legendX + 24)}" y2="${px(y)}" ${c.style}/>`,
      `<text x="${px(legendX + 30)}" y="${px(y + 4)}">${escapeXml(c.label)}</text>`,
    ];
  });
  return frame.document([frame.axes(), ...dots, ...lines, ...legend].join('\n'));
}
