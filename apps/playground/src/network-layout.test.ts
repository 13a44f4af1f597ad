import { describe, expect, it } from 'vitest';
import { linkStyle, networkLayout, segmentDistance } from './network-layout.js';

describe('networkLayout', () => {
  it('spreads columns over the width and centres each column', () => {
    const { size, columns } = networkLayout([2, 3, 1], 300, 200);
    // Tallest column 3: 200 / (3 · 1.25) = 53.3, capped at 40.
    expect(size).toBe(40);
    expect(columns.map((c) => c[0]?.x)).toEqual([0, 130, 260]);
    // Column of 3: 3·40 + 2·10 = 140 tall, top at 30.
    expect(columns[1]?.map((p) => p.y)).toEqual([30, 80, 130]);
    expect(columns[2]?.[0]?.y).toBe(80);
  });

  it('shrinks nodes to fit 64 in a column, never below 4 px', () => {
    expect(networkLayout([2, 64, 1], 300, 400).size).toBe(5); // floor(400 / 80)
    expect(networkLayout([2, 64, 1], 300, 100).size).toBe(4);
  });
});

describe('linkStyle and segmentDistance', () => {
  it('grows the stroke with |w| up to 2, the same for either sign', () => {
    expect(linkStyle(0)).toEqual({ width: 0.5, alpha: 0.25 });
    expect(linkStyle(-1).width).toBeCloseTo(3.25, 12);
    expect(linkStyle(1)).toEqual(linkStyle(-1));
    expect(linkStyle(10).width).toBe(6);
  });

  it('measures to the nearest point of the segment', () => {
    expect(segmentDistance(1, 1, 0, 0, 2, 0)).toBe(1);
    expect(segmentDistance(3, 0, 0, 0, 2, 0)).toBe(1);
    expect(segmentDistance(0, 5, 0, 0, 0, 0)).toBe(5);
  });
});
