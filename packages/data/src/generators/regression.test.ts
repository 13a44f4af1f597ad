import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { linear } from './linear.js';
import { polynomial } from './polynomial.js';
import { sine } from './sine.js';

/** Ordinary least squares for y = m·x + c, from the normal equations. */
function fitLine(xs: number[], ys: number[]): { m: number; c: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const m = sxy / sxx;
  return { m, c: my - m * mx };
}

const column = (x: number[][]) => x.map((row) => row[0]!);

describe('linear', () => {
  it('draws x in [0, 1) as one-feature rows and returns the true coefficients', () => {
    const data = linear({ samples: 500, slope: 3, intercept: 4, seed: 1 });
    expect(data.x).toHaveLength(500);
    expect(data.y).toHaveLength(500);
    for (const row of data.x) {
      expect(row).toHaveLength(1);
      expect(row[0]! >= 0 && row[0]! < 1).toBe(true);
    }
    expect(data.coefficients).toEqual({ slope: 3, intercept: 4 });
    expect(data.noise).toEqual({ type: 'uniform', scale: 0.1 });
  });

  it('defaults to the notebook noise: uniform in [0, sd)', () => {
    const data = linear({ samples: 2000, slope: -2, intercept: 1, noise: 0.5, seed: 2 });
    const residuals = data.x.map((row, i) => data.y[i]! - (-2 * row[0]! + 1));
    expect(Math.min(...residuals)).toBeGreaterThanOrEqual(-1e-12);
    expect(Math.max(...residuals)).toBeLessThan(0.5 + 1e-12);
    // Mean of U(0, 0.5) is 0.25, sd 0.144; standard error of the mean 0.0032.
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    expect(Math.abs(mean - 0.25)).toBeLessThan(0.016);
  });

  it('least squares recovers m and c under Gaussian noise', () => {
    const data = linear({
      samples: 2000,
      slope: 3,
      intercept: 4,
      noise: 0.1,
      noiseType: 'gaussian',
      seed: 3,
    });
    const { m, c } = fitLine(column(data.x), data.y);
    // Standard errors: sd(m) = 0.1 / (sqrt(n) * sd(x)) ~ 0.0077, sd(c) ~ 0.0045.
    expect(Math.abs(m - 3)).toBeLessThan(0.04);
    expect(Math.abs(c - 4)).toBeLessThan(0.025);
  });

  it('least squares recovers m and c + sd/2 under the notebook uniform noise', () => {
    const data = linear({ samples: 2000, slope: 3, intercept: 4, noise: 0.2, seed: 4 });
    const { m, c } = fitLine(column(data.x), data.y);
    expect(Math.abs(m - 3)).toBeLessThan(0.04);
    expect(Math.abs(c - 4.1)).toBeLessThan(0.025);
  });

  it('is exact without noise', () => {
    const data = linear({ samples: 50, slope: 5, intercept: 7, noise: 0, xRange: [2, 5] });
    data.x.forEach((row, i) => {
      expect(row[0]! >= 2 && row[0]! < 5).toBe(true);
      expect(data.y[i]).toBe(5 * row[0]! + 7);
    });
  });

  it('draws the same inputs whatever the noise settings', () => {
    const a = linear({ samples: 20, noise: 0, seed: 'same' });
    const b = linear({ samples: 20, noise: 0.3, noiseType: 'gaussian', seed: 'same' });
    expect(b.x).toEqual(a.x);
    expect(b.y).not.toEqual(a.y);
  });

  it('is deterministic per seed and differs across seeds', () => {
    expect(linear({ seed: 9 })).toEqual(linear({ seed: 9 }));
    expect(linear({ seed: 9 }).x).not.toEqual(linear({ seed: 10 }).x);
  });

  it('rejects bad input, naming the argument and the value', () => {
    expect(() => linear({ samples: -1 })).toThrow(/options\.samples: .*received -1/);
    expect(() => linear({ samples: 2.5 })).toThrow(RangeError);
    // @ts-expect-error checking the run-time guard
    expect(() => linear({ samples: '10' })).toThrow(TypeError);
    expect(() => linear({ noise: -0.1 })).toThrow(/options\.noise: .*received -0\.1/);
    expect(() => linear({ slope: NaN })).toThrow(/options\.slope: .*received NaN/);
    // @ts-expect-error checking the run-time guard
    expect(() => linear({ noiseType: 'normal' })).toThrow(
      /options\.noiseType: .*received string "normal"/,
    );
    expect(() => linear({ xRange: [1, 1] })).toThrow(/options\.xRange/);
    expect(() => linear({ seed: Infinity })).toThrow(/options\.seed: .*received Infinity/);
    // @ts-expect-error checking the run-time guard
    expect(() => linear({ m: 3 })).toThrow(/unknown option 'm'/);
    // @ts-expect-error checking the run-time guard
    expect(() => linear(5)).toThrow(
      /linear\(options\): expected an options object, received number 5/,
    );
  });

  it('leaves a given Rng untouched when the call fails, and advances it when it succeeds', () => {
    const rng = new Rng(1);
    const before = rng.getState();
    expect(() => linear({ seed: rng, slope: Infinity })).toThrow(RangeError);
    expect(rng.getState()).toEqual(before);
    linear({ seed: rng });
    expect(rng.getState()).not.toEqual(before);
  });

  it('allows zero samples', () => {
    expect(linear({ samples: 0 })).toMatchObject({ x: [], y: [] });
  });
});

describe('polynomial', () => {
  it('is y = Σ c_k x^k exactly without noise, x in [-1, 1) by default', () => {
    const coefficients = [1, -2, 0.5, 3];
    const data = polynomial({ samples: 100, coefficients, noise: 0 });
    data.x.forEach(([x], i) => {
      expect(x! >= -1 && x! < 1).toBe(true);
      const direct = 1 - 2 * x! + 0.5 * x! ** 2 + 3 * x! ** 3;
      expect(data.y[i]).toBeCloseTo(direct, 12);
    });
    expect(data.coefficients).toEqual(coefficients);
  });

  it('defaults to y = x^2 with Gaussian noise of std `noise`', () => {
    const data = polynomial({ samples: 5000, noise: 0.2, seed: 5 });
    expect(data.noise.type).toBe('gaussian');
    const r = data.x.map(([x], i) => data.y[i]! - x! ** 2);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length);
    expect(Math.abs(mean)).toBeLessThan(0.015); // standard error 0.0028
    expect(Math.abs(sd - 0.2)).toBeLessThan(0.01); // standard error 0.002
  });

  it('rejects bad coefficients', () => {
    expect(() => polynomial({ coefficients: [] })).toThrow(/options\.coefficients: .*non-empty/);
    expect(() => polynomial({ coefficients: [1, NaN] })).toThrow(
      /options\.coefficients\[1\]: .*received NaN/,
    );
  });
});

describe('sine', () => {
  it('is amplitude · sin(2π f x + phase) + offset exactly without noise', () => {
    const data = sine({
      samples: 50,
      amplitude: 2,
      frequency: 3,
      phase: 0.5,
      offset: -1,
      noise: 0,
    });
    data.x.forEach(([x], i) => {
      expect(data.y[i]).toBe(2 * Math.sin(2 * Math.PI * 3 * x! + 0.5) + -1);
    });
    expect(data.coefficients).toEqual({ amplitude: 2, frequency: 3, phase: 0.5, offset: -1 });
  });

  it('has zero-mean Gaussian noise by default and uniform on request', () => {
    const g = sine({ samples: 4000, noise: 0.1, seed: 6 });
    const rg = g.x.map(([x], i) => g.y[i]! - Math.sin(2 * Math.PI * x!));
    expect(Math.abs(rg.reduce((a, b) => a + b, 0) / rg.length)).toBeLessThan(0.008);
    const u = sine({ samples: 4000, noise: 0.1, noiseType: 'uniform', seed: 6 });
    const ru = u.x.map(([x], i) => u.y[i]! - Math.sin(2 * Math.PI * x!));
    expect(Math.min(...ru)).toBeGreaterThanOrEqual(-1e-12);
    expect(Math.max(...ru)).toBeLessThan(0.1 + 1e-12);
  });

  it('rejects a non-finite frequency', () => {
    expect(() => sine({ frequency: Infinity })).toThrow(/options\.frequency: .*received Infinity/);
  });
});

describe('holes in arrays (issue 18)', () => {
  it('polynomial rejects holes in its coefficients', () => {
    const coefficients = [1, 2, 3];
    // eslint-disable-next-line @typescript-eslint/no-array-delete
    delete coefficients[1];
    expect(() => polynomial({ coefficients })).toThrow(TypeError);
    expect(() => polynomial({ coefficients })).toThrow(/options\.coefficients\[1\] is missing/);
    expect(() => polynomial({ xRange: new Array(2) as never })).toThrow(/xRange\[0\] is missing/);
  });
});
