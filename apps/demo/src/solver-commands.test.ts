import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@ag/data';
import { afterAll, describe, expect, it } from 'vitest';
import { xmlRoot } from './well-formed-xml.js';

// As cli.test.ts: the program runs in its own node process, as a user runs it.
const appDir = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ag-demo-solvers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@ag/source', 'src/cli.ts', ...args],
    {
      cwd: appDir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', AG_DEBUG: '' },
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectSvg(file: string): void {
  expect(existsSync(file), file).toBe(true);
  expect(xmlRoot(readFileSync(file, 'utf8'))).toBe('svg');
}

describe('ag-demo fit-curve', { timeout: 120_000 }, () => {
  it('finds the least-squares fit in tens of steps, Adam in hundreds, and draws both', () => {
    const out = join(tmp, 'fit');
    const result = run(['fit-curve', '--json', '--out', out, '--seed', '3']);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      leastSquares: { a: number; b: number; cost: number; iterations: number; converged: boolean };
      adam: { cost: number; steps: number };
      files: string[];
    };
    // The samples, made here as the command makes them (seed 3, 40 points, sd 0.1).
    const rng = new Rng(3);
    const xs = Array.from({ length: 40 }, (_, i) => (10 * i) / 39);
    const ys = xs.map((x) => 5 * (1 - Math.exp(-0.8 * x)) + rng.normal(0, 0.1));
    const cost = (a: number, b: number): number =>
      0.5 * xs.reduce((s, x, i) => s + (a * (1 - Math.exp(-b * x)) - ys[i]!) ** 2, 0);
    const { a, b } = summary.leastSquares;
    expect(summary.leastSquares.converged).toBe(true);
    expect(summary.leastSquares.cost).toBeCloseTo(cost(a, b), 12);
    // A minimum: the cost's central differences vanish there.
    const h = 1e-6;
    expect(Math.abs((cost(a + h, b) - cost(a - h, b)) / (2 * h))).toBeLessThan(1e-6);
    expect(Math.abs((cost(a, b + h) - cost(a, b - h)) / (2 * h))).toBeLessThan(1e-6);
    expect(Math.abs(a - 5)).toBeLessThan(0.1);
    expect(Math.abs(b - 0.8)).toBeLessThan(0.05);
    expect(summary.leastSquares.iterations).toBeLessThan(50);
    // Adam cannot beat the minimum.
    expect(summary.adam.cost).toBeGreaterThanOrEqual(summary.leastSquares.cost * (1 - 1e-12));
    expect(summary.adam.steps).toBe(2000);
    expect(summary.files).toEqual([join(out, 'fit-curve.svg')]);
    expectSvg(join(out, 'fit-curve.svg'));
  });

  it('prints the story with both fits', () => {
    const result = run(['fit-curve', '--out', join(tmp, 'fit-story'), '--steps', '50']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/leastSquares \(Levenberg–Marquardt\): \d+ steps/);
    expect(result.stdout).toContain('Adam (lr 0.05): 50 steps');
  });
});

describe('ag-demo constraints', { timeout: 120_000 }, () => {
  for (const angle of [60, 100]) {
    it(`solves the four-bar linkage with the crank at ${angle}°, as the circle construction does`, () => {
      const out = join(tmp, `linkage-${angle}`);
      const result = run(['constraints', '--angle', String(angle), '--json', '--out', out]);
      expect(result.status).toBe(0);
      const summary = JSON.parse(result.stdout) as {
        B: number[];
        C: number[];
        converged: boolean;
        files: string[];
      };
      // B at distance 2 along the crank; C where the circles about B (radius 3.5)
      // and D = (4, 0) (radius 2.5) meet, the upper of the two points.
      const t = (angle * Math.PI) / 180;
      const B = [2 * Math.cos(t), 2 * Math.sin(t)] as const;
      const D = [4, 0] as const;
      const d = Math.hypot(D[0] - B[0], D[1] - B[1]);
      const along = (3.5 ** 2 - 2.5 ** 2 + d * d) / (2 * d);
      const h = Math.sqrt(3.5 ** 2 - along ** 2);
      const ux = (D[0] - B[0]) / d;
      const uy = (D[1] - B[1]) / d;
      const candidates = [1, -1].map((s) => [
        B[0] + along * ux - s * h * uy,
        B[1] + along * uy + s * h * ux,
      ]);
      const upper = candidates.reduce((p, q) => (q[1]! > p[1]! ? q : p));
      expect(summary.converged).toBe(true);
      expect(summary.B[0]).toBeCloseTo(B[0], 9);
      expect(summary.B[1]).toBeCloseTo(B[1], 9);
      expect(summary.C[0]).toBeCloseTo(upper[0]!, 9);
      expect(summary.C[1]).toBeCloseTo(upper[1]!, 9);
      expectSvg(join(out, 'constraints.svg'));
    });
  }
});

describe('the solver demos refuse bad flags', { timeout: 120_000 }, () => {
  it.each([
    [['constraints', '--angle', '200'], '--angle: expected a number from 0 to 180'],
    [['fit-curve', '--samples', '2'], '--samples: expected an integer from 3 to 10000'],
    [['fit-curve', '--lr', '0'], '--lr: expected a positive number'],
    [['fit-curve', '--bogus'], 'unknown option --bogus'],
  ])('%j exits 2 and says why', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('--help prints each usage', () => {
    expect(run(['fit-curve', '--help']).stdout).toContain('Usage: ag-demo fit-curve');
    expect(run(['help', 'constraints']).stdout).toContain('Usage: ag-demo constraints');
  });
});
