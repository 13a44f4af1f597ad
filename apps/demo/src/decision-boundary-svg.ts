import { createFrame, px } from './svg-frame.js';

export interface BoundaryPicture {
  /** Points as [x, y]. */
  points: readonly (readonly number[])[];
  /** Class of each point: positive score means class 1, as the classifier's sign decides. */
  labels: readonly number[];
  /** The classifier's score at a point of the plane. */
  score: (x: number, y: number) => number;
  title: string;
  /** Cells per side of the background grid (default 60). */
  resolution?: number;
}

/**
 * The plane coloured by the sign of the classifier's score, with the data on top:
 * a point whose colour differs from the cell under it is misclassified.
 *
 * @example
 * const svg = decisionBoundarySvg({ points: [[0, 0], [1, 1]], labels: [-1, 1], score: (x, y) => x + y - 1, title: 'b' });
 * svg.includes('<rect'); // true
 */
export function decisionBoundarySvg(picture: BoundaryPicture): string {
  const { points, labels, score } = picture;
  const n = picture.resolution ?? 60;
  const xs = points.map((p) => p[0] ?? 0);
  const ys = points.map((p) => p[1] ?? 0);
  // A margin of a quarter of the span keeps the boundary's shape visible around the data.
  const pad = (lo: number, hi: number): [number, number] => {
    const m = Math.max(hi - lo, 1e-6) * 0.25;
    return [lo - m, hi + m];
  };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const frame = createFrame({
    title: picture.title,
    xLabel: 'x₁',
    yLabel: 'x₂',
    x: [x0, x1],
    y: [y0, y1],
    width: 560,
    height: 520,
  });
  const cells: string[] = [];
  const w = (frame.right - frame.left) / n;
  const h = (frame.bottom - frame.top) / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Score at the cell centre.
      const x = x0 + ((i + 0.5) / n) * (x1 - x0);
      const y = y0 + ((j + 0.5) / n) * (y1 - y0);
      const s = score(x, y);
      const fill = s > 0 ? '#f4b183' : '#9dc3e6';
      cells.push(
        `<rect x="${px(frame.left + i * w)}" y="${px(frame.bottom - (j + 1) * h)}" width="${px(w + 0.3)}" height="${px(
          h + 0.3,
        )}" fill="${fill}"/>`,
      );
    }
  }
  const dots = points.map((p, k) => {
    const positive = (labels[k] ?? 0) > 0;
    return `<circle cx="${px(frame.sx(p[0] ?? 0))}" cy="${px(frame.sy(p[1] ?? 0))}" r="4" fill="${
      positive ? '#c55a11' : '#2e75b6'
    }" stroke="#fff" stroke-width="1"/>`;
  });
  return frame.document(
    [`<g shape-rendering="crispEdges">`, ...cells, '</g>', frame.axes(), ...dots].join('\n'),
  );
}
