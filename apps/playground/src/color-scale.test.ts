import { describe, expect, it } from 'vitest';
import { heatColor } from './color-scale.js';

describe('heatColor', () => {
  it('is neutral at the boundary and the class colours at ±1, clamped beyond', () => {
    expect(heatColor(0)).toEqual([247, 247, 247]);
    expect(heatColor(1)).toEqual([108, 166, 214]);
    expect(heatColor(-1)).toEqual([246, 176, 100]);
    expect(heatColor(7)).toEqual(heatColor(1));
    expect(heatColor(-Infinity)).toEqual(heatColor(-1));
    expect(heatColor(NaN)).toEqual([247, 247, 247]);
  });

  it('blends linearly: half way to class 1 is the rounded mid-point', () => {
    // (247 + 108) / 2 = 177.5, (247 + 166) / 2 = 206.5, (247 + 214) / 2 = 230.5; Math.round rounds .5 up.
    expect(heatColor(0.5)).toEqual([178, 207, 231]);
  });
});
