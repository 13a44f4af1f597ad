import { describe, expect, it } from 'vitest';
import { decisionBoundarySvg } from './decision-boundary-svg.js';
import { lineEquation } from './line-equation.js';
import { lineFitSvg } from './line-fit-svg.js';
import { lossCurveSvg } from './loss-curve-svg.js';
import { escapeXml, logTicks, niceTicks } from './svg-frame.js';
import { xmlRoot } from './well-formed-xml.js';

describe('niceTicks', () => {
  it('steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 7, 5)).toEqual([-2, 0, 2, 4, 6]);
    expect(niceTicks(0.1, 0.35, 5)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });
});

describe('logTicks', () => {
  it('labels 1, 2 and 5 times each power of ten over a few decades', () => {
    // The moons loss, 1.8 down to 0.0114: 0.02 and 0.05 lie inside, 0.01 just below, 2 above.
    expect(logTicks(0.0114, 1.8)).toEqual([0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(0.003, 2)).toEqual([0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]);
    // Just over three decades: powers of ten only.
    expect(logTicks(0.003, 4)).toEqual([0.01, 0.1, 1]);
  });

  it('keeps to powers of ten over many decades', () => {
    // Nine decades: every second power, as niceTicks steps 0..9 by 2 (offset from -6).
    expect(logTicks(1e-6, 1e3)).toEqual([1e-6, 1e-4, 0.01, 1, 100]);
  });

  it('the moons loss curve is labelled at 0.02, 0.05, 0.1, 0.2, 0.5 and 1', () => {
    const svg = lossCurveSvg([1.8, 0.5, 0.1, 0.03, 0.0114], { title: 't' });
    expect(svg).toContain('(log scale)');
    const labels = [...svg.matchAll(/text-anchor="end" dy="4">([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['0.02', '0.05', '0.1', '0.2', '0.5', '1']);
  });
});

describe('escapeXml', () => {
  it('escapes the five special characters', () => {
    expect(escapeXml(`<a & "b" 'c'>`)).toBe('&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;');
  });
});

describe('SVG pictures', () => {
  it('the loss curve is well-formed and plots one point per epoch', () => {
    const svg = lossCurveSvg([4, 2, 1, 0.5, 0.25], { title: 'Loss <of> y = 3x & 4' });
    expect(xmlRoot(svg)).toBe('svg');
    const points = /<polyline points="([^"]*)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(points).toHaveLength(5);
    // y decreases, so pixel y increases along the curve.
    const pys = points.map((p) => Number(p.split(',')[1]));
    expect([...pys].sort((a, b) => a - b)).toEqual(pys);
  });

  it('the loss curve turns logarithmic over many decades and skips non-finite losses', () => {
    const svg = lossCurveSvg([1e3, 1, 1e-3, Number.NaN, 1e-6], { title: 't' });
    expect(xmlRoot(svg)).toBe('svg');
    expect(svg).toContain('(log scale)');
    const points = /<polyline points="([^"]*)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(points).toHaveLength(4);
    // Equal ratios are equal distances on a log scale: 1e3→1 and 1→1e-3.
    const pys = points.map((p) => Number(p.split(',')[1]));
    expect((pys[1] ?? 0) - (pys[0] ?? 0)).toBeCloseTo((pys[2] ?? 0) - (pys[1] ?? 0), 1);
  });

  it('the line fit draws every sample and both lines', () => {
    const svg = lineFitSvg({
      xs: [0, 0.5, 1],
      ys: [4, 5.5, 7],
      fitted: { m: 3, c: 4 },
      truth: { m: 3, c: 4 },
      title: 'fit',
    });
    expect(xmlRoot(svg)).toBe('svg');
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('fitted y = 3x + 4');
    expect(lineEquation(-2, -0.5)).toBe('y = -2x - 0.5');
  });

  it('the decision boundary colours each cell by the sign of the score', () => {
    const svg = decisionBoundarySvg({
      points: [
        [0, 0],
        [1, 1],
      ],
      labels: [-1, 1],
      score: (x, y) => x + y - 1.01,
      title: 'b',
      resolution: 10,
    });
    expect(xmlRoot(svg)).toBe('svg');
    // Cell centres are -0.25 + 0.15·(i + 0.5) on each axis; x + y > 1.01 holds when i + j >= 10: 45 cells.
    const positive = svg.match(/fill="#f4b183"/g)?.length ?? 0;
    const negative = svg.match(/fill="#9dc3e6"/g)?.length ?? 0;
    expect(positive + negative).toBe(100);
    expect(positive).toBe(45);
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });
});
