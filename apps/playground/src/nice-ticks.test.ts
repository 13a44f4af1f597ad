import { describe, expect, it } from 'vitest';
import { decades, formatTick, niceTicks } from './nice-ticks.js';

describe('niceTicks', () => {
  it('picks steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 17, 4)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(0.07, 0.43, 4)).toEqual([0.1, 0.2, 0.3, 0.4]);
    // (12.9 − 6.2) / 6 ≈ 1.12 per tick, so the step rounds up to 2.
    expect(niceTicks(6.2, 12.9, 6)).toEqual([8, 10, 12]);
  });

  it('gives nothing for an empty or broken range', () => {
    expect(niceTicks(1, 1, 5)).toEqual([]);
    expect(niceTicks(2, 1, 5)).toEqual([]);
    expect(niceTicks(0, Infinity, 5)).toEqual([]);
    expect(niceTicks(0, 1, 0)).toEqual([]);
  });

  it('formats labels without floating-point noise', () => {
    expect(formatTick(0.1 + 0.2)).toBe('0.3');
    expect(formatTick(-2)).toBe('-2');
  });
});

describe('decades', () => {
  it('lists the powers of ten inside the range', () => {
    expect(decades(0.003, 2)).toEqual([0.01, 0.1, 1]);
    expect(decades(1e-4, 1)).toEqual([0.0001, 0.001, 0.01, 0.1, 1]);
  });

  it('falls back to the ends when the range holds no power of ten', () => {
    expect(decades(0.2, 0.6)).toEqual([0.2, 0.6]);
    expect(decades(0.5, 3)).toEqual([1]);
    expect(decades(0, 1)).toEqual([]);
  });
});
