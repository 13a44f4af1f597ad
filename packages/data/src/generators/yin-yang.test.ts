import { describe, expect, it } from 'vitest';
import { yinYang, yinYangClass } from './yin-yang.js';

describe('yinYangClass', () => {
  it('follows the symbol at hand-picked points', () => {
    expect(yinYangClass(-0.9, 0)).toBe(0); // left half
    expect(yinYangClass(0.9, 0)).toBe(1); // right half
    expect(yinYangClass(0.3, 0.5)).toBe(0); // yin head reaching into the right half
    expect(yinYangClass(-0.3, -0.5)).toBe(1); // yang head reaching into the left half
    expect(yinYangClass(0, 0.5)).toBe(1); // yang dot in the yin head
    expect(yinYangClass(0.1, -0.45)).toBe(0); // yin dot in the yang head
  });

  it('swaps classes under p -> -p', () => {
    for (const [a, b] of [
      [0.2, 0.7],
      [-0.6, 0.1],
      [0.05, 0.52],
      [0.4, -0.3],
    ] as const) {
      expect(yinYangClass(-a, -b)).toBe(1 - yinYangClass(a, b));
    }
  });
});

describe('yinYang', () => {
  it('draws points in the unit disk, labeled by the symbol, exactly balanced', () => {
    const data = yinYang({ samples: 1001, seed: 4 });
    data.x.forEach(([a, b], i) => {
      expect(Math.hypot(a!, b!)).toBeLessThan(1);
      expect(data.y[i]).toBe(yinYangClass(a!, b!));
    });
    expect(data.y.filter((v) => v === 0)).toHaveLength(500);
  });

  it('covers the disk uniformly: about π/36 / π of the points fall in the two dots', () => {
    const data = yinYang({ samples: 20000, seed: 5 });
    const inDots = data.x.filter(
      ([a, b]) => Math.hypot(a!, b! - 0.5) < 1 / 6 || Math.hypot(a!, b! + 0.5) < 1 / 6,
    ).length;
    // Two dots of area π/36 each in a disk of area π: 1/18 ~ 0.0556; sd ~ 0.0016.
    expect(Math.abs(inDots / 20000 - 1 / 18)).toBeLessThan(0.008);
  });
});
