import { describe, expect, it } from 'vitest';
import { linkStyle, networkLayout, segmentDistance } from './network-layout.js';

describe('networkLayout', () => {
  it('spreads column centres over the width and centres each column', () => {
    const { sizes, columns } = networkLayout([2, 3, 1], 300, 200);
    // Column of 3: 200 / (3 · 1.25) = 53.3, capped at 40; so are the others.
    expect(sizes).toEqual([40, 40, 40]);
    // Centres at 20, 150, 280 (from maxSize / 2 to width − maxSize / 2).
    expect(columns.map((c) => c[0]?.x)).toEqual([0, 130, 260]);
    // Column of 3: 3·40 + 2·10 = 140 tall, top at 30.
    expect(columns[1]?.map((p) => p.y)).toEqual([30, 80, 130]);
    expect(columns[2]?.[0]?.y).toBe(80);
  });

  it('sizes each column by its own count: 64 neurons small, 7 inputs large, never below 4 px', () => {
    const { sizes, columns } = networkLayout([7, 64, 1], 300, 400);
    expect(sizes).toEqual([40, 5, 40]); // floor(400 / 80) = 5
    // A small node sits on the same centre line as a large one would.
    expect((columns[1]?.[0]?.x ?? 0) + 2.5).toBe(150);
    expect(networkLayout([2, 64, 1], 300, 100).sizes[1]).toBe(4);
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
