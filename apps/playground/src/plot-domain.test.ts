import { describe, expect, it } from 'vitest';
import {
  fromPixelX,
  fromPixelY,
  rangeDomain,
  squareDomain,
  toPixelX,
  toPixelY,
} from './plot-domain.js';

describe('plot domains', () => {
  it('squares the bounding box around its centre and pads every side', () => {
    // Box [0, 2] × [0, 1]: side 2, centre (1, 0.5); pad 0.1 adds 0.2 on each side.
    const d = squareDomain(
      [
        [0, 0],
        [2, 1],
      ],
      0.1,
    );
    expect(d.xMin).toBeCloseTo(-0.2, 15);
    expect(d.xMax).toBeCloseTo(2.2, 15);
    expect(d.yMin).toBeCloseTo(-0.7, 15);
    expect(d.yMax).toBeCloseTo(1.7, 15);
  });

  it('gives a lone point an area and an empty set the square [-1, 1]²', () => {
    expect(squareDomain([[3, 4]], 0)).toEqual({ xMin: 2.5, xMax: 3.5, yMin: 3.5, yMax: 4.5 });
    expect(squareDomain([])).toEqual({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
  });

  it('pads x and y ranges separately for regression', () => {
    const d = rangeDomain([0, 1], [7, 12], 0.1);
    expect([d.xMin, d.xMax, d.yMin, d.yMax].map((v) => Number(v.toFixed(12)))).toEqual([
      -0.1, 1.1, 6.5, 12.5,
    ]);
  });

  it('maps data to pixels with y pointing up, and pixel centres back to data', () => {
    const d = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
    expect([toPixelX(d, 100, -1), toPixelX(d, 100, 0), toPixelX(d, 100, 1)]).toEqual([0, 50, 100]);
    expect([toPixelY(d, 100, 1), toPixelY(d, 100, 0), toPixelY(d, 100, -1)]).toEqual([0, 50, 100]);
    // Pixel 0 spans [-1, -0.98], so its centre is -0.99; the top row's centre is at +0.99.
    expect(fromPixelX(d, 100, 0)).toBeCloseTo(-0.99, 15);
    expect(fromPixelY(d, 100, 0)).toBeCloseTo(0.99, 15);
  });
});
