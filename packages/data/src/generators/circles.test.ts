import { describe, expect, it } from 'vitest';
import { circles } from './circles.js';

describe('circles', () => {
  it('without noise puts class 0 on the unit circle and class 1 on radius factor', () => {
    const data = circles({ samples: 51, factor: 0.3, noise: 0 });
    data.x.forEach(([a, b], i) => {
      expect(Math.hypot(a!, b!)).toBeCloseTo(data.y[i] === 0 ? 1 : 0.3, 12);
    });
  });

  it('spaces the points evenly over [0, 2π) without repeating the start', () => {
    const data = circles({ samples: 8, noise: 0, shuffle: false });
    const angles = data.x.slice(0, 4).map(([a, b]) => Math.atan2(b!, a!));
    expect(angles[0]).toBeCloseTo(0, 14);
    expect(angles[1]).toBeCloseTo(Math.PI / 2, 14);
    expect(Math.abs(angles[2]!)).toBeCloseTo(Math.PI, 14);
    expect(angles[3]).toBeCloseTo(-Math.PI / 2, 14);
  });

  it('defaults to factor 0.8 and rejects a factor outside [0, 1)', () => {
    const data = circles({ samples: 4, noise: 0, shuffle: false });
    expect(Math.hypot(...(data.x[3] as [number, number]))).toBeCloseTo(0.8, 14);
    expect(() => circles({ factor: 1 })).toThrow(
      /options\.factor: expected a number in \[0, 1\), received 1/,
    );
    expect(() => circles({ factor: -0.1 })).toThrow(RangeError);
    // @ts-expect-error checking the run-time guard
    expect(() => circles({ factor: '0.5' })).toThrow(TypeError);
  });
});
