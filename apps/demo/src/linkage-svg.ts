import { createFrame, escapeXml, px } from './svg-frame.js';

type Point = readonly [number, number];

export interface LinkagePicture {
  points: { A: Point; B: Point; C: Point; D: Point };
  /** Where the solver started, drawn faintly. */
  sketch: { B: Point; C: Point };
  /** The crank's angle in degrees, marked at A. */
  angle: number;
  title: string;
}

/**
 * The linkage: the ground AD hatched, the links AB, BC, CD, the joints labelled, the sketch faint.
 *
 * @example
 * linkageSvg({ points: { A: [0, 0], B: [1, 1.7], C: [3, 2.3], D: [4, 0] }, sketch: { B: [1, 1], C: [2, 2] }, angle: 60, title: 'Linkage' });
 */
export function linkageSvg(picture: LinkagePicture): string {
  const { A, B, C, D } = picture.points;
  const all = [A, B, C, D, picture.sketch.B, picture.sketch.C].filter(
    (p) => Number.isFinite(p[0]) && Number.isFinite(p[1]),
  );
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const frame = createFrame({
    title: picture.title,
    xLabel: 'x',
    yLabel: 'y',
    x: [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5],
    y: [Math.min(...ys) - 0.5, Math.max(...ys) + 0.5],
    width: 560,
    height: 480,
  });
  const at = (p: Point): [string, string] => [px(frame.sx(p[0])), px(frame.sy(p[1]))];
  const link = (p: Point, q: Point, style: string): string => {
    const [x1, y1] = at(p);
    const [x2, y2] = at(q);
    return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" ${style}/>`;
  };
  const joint = (name: string, p: Point): string => {
    const [x, y] = at(p);
    return `<circle cx="${x}" cy="${y}" r="5" fill="#fff" stroke="#222" stroke-width="2"/><text x="${x}" y="${y}" dx="8" dy="-8" font-weight="bold">${escapeXml(name)}</text>`;
  };
  const sketch = [
    link(A, picture.sketch.B, 'stroke="#bbb" stroke-width="2" stroke-dasharray="4 4"'),
    link(
      picture.sketch.B,
      picture.sketch.C,
      'stroke="#bbb" stroke-width="2" stroke-dasharray="4 4"',
    ),
    link(picture.sketch.C, D, 'stroke="#bbb" stroke-width="2" stroke-dasharray="4 4"'),
  ];
  const [ax, ay] = at(A);
  return frame.document(
    [
      frame.axes(),
      ...sketch,
      link(A, D, 'stroke="#444" stroke-width="4"'),
      link(A, B, 'stroke="#d62728" stroke-width="4"'),
      link(B, C, 'stroke="#1f77b4" stroke-width="4"'),
      link(C, D, 'stroke="#2ca02c" stroke-width="4"'),
      `<text x="${ax}" y="${ay}" dx="22" dy="-4">${escapeXml(`${picture.angle}°`)}</text>`,
      joint('A', A),
      joint('B', B),
      joint('C', C),
      joint('D', D),
    ].join('\n'),
  );
}
