import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from './clip-grad.js';

/** Leaves holding the given gradients. */
const withGrads = (...gs: number[]): Value[] =>
  gs.map((g) => {
    const p = new Value(0);
    p.grad = g;
    return p;
  });

describe('clipGradNorm', () => {
  it('scales gradients (3, 4) of 2-norm 5 down to norm 1, as PyTorch: by 1/(5 + 1e-6)', () => {
    const ps = withGrads(3, 4);
    expect(clipGradNorm(ps, 1)).toBe(5);
    expect(ps[0]!.grad).toBeCloseTo(3 / (5 + 1e-6), 15);
    expect(ps[1]!.grad).toBeCloseTo(4 / (5 + 1e-6), 15);
  });

  it('leaves gradients below maxNorm as they are and returns their norm', () => {
    const ps = withGrads(0.3, -0.4);
    expect(clipGradNorm(ps, 1)).toBeCloseTo(0.5, 15);
    expect(ps.map((p) => p.grad)).toEqual([0.3, -0.4]);
  });

  it('takes the infinity norm (the largest |gradient|) and other p-norms', () => {
    const ps = withGrads(1, -6, 2);
    expect(clipGradNorm(ps, 3, { normType: Infinity })).toBe(6);
    expect(ps[1]!.grad).toBeCloseTo((-6 * 3) / (6 + 1e-6), 14);
    expect(ps[0]!.grad).toBeCloseTo(3 / (6 + 1e-6), 14);
    // 1-norm of (1, −2, 2) is 5; 3-norm is (1 + 8 + 8)^(1/3) = 17^(1/3).
    expect(clipGradNorm(withGrads(1, -2, 2), 10, { normType: 1 })).toBe(5);
    expect(clipGradNorm(withGrads(1, -2, 2), 10, { normType: 3 })).toBeCloseTo(Math.cbrt(17), 14);
  });

  it('skips parameters that need no gradient', () => {
    const [a, b] = withGrads(3, 4);
    b!.requiresGrad = false;
    expect(clipGradNorm([a!, b!], 10)).toBe(3);
  });

  it('throws on bad input and changes nothing on a non-finite gradient', () => {
    const ps = withGrads(3, Number.NaN);
    expect(() => clipGradNorm(ps, 1)).toThrow(RangeError);
    expect(ps[0]!.grad).toBe(3);
    expect(() => clipGradNorm(withGrads(1), 0)).toThrow(RangeError);
    expect(() => clipGradNorm(withGrads(1), '1' as never)).toThrow(TypeError);
    expect(() => clipGradNorm('p' as never, 1)).toThrow(TypeError);
    expect(() => clipGradNorm([1] as never, 1)).toThrow(/params\[0\] to be a Value/);
    expect(() => clipGradNorm(withGrads(1), 1, { normType: 0 })).toThrow(RangeError);
    expect(() => clipGradNorm(withGrads(1), 1, { norm: 2 } as never)).toThrow(TypeError);
  });
});

describe('clipGradValue', () => {
  it('clamps each gradient to [−c, c]', () => {
    const ps = withGrads(-3, 0.2, 5);
    clipGradValue(ps, 1);
    expect(ps.map((p) => p.grad)).toEqual([-1, 0.2, 1]);
  });

  it('throws on bad input and changes nothing on a non-finite gradient', () => {
    const ps = withGrads(3, Infinity);
    expect(() => clipGradValue(ps, 1)).toThrow(RangeError);
    expect(ps[0]!.grad).toBe(3);
    expect(() => clipGradValue(withGrads(1), -1)).toThrow(RangeError);
    expect(() => clipGradValue({} as never, 1)).toThrow(TypeError);
  });
});
