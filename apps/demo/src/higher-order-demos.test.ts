import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gradientDescent, newton } from './newton-rosenbrock.js';
import { fitOde } from './ode-fit.js';
import { xmlRoot } from './well-formed-xml.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ag-demo-ho-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@ag/source', 'src/cli.ts', ...args],
    { cwd: appDir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000 },
  );
  return { status: result.status, stdout: result.stdout };
}

describe('ode: a physics-informed MLP for u′ = −u, u(0) = 1', () => {
  it('fits e^(−t) on [0, 2] to within 1e-3, and u(0) = 1 exactly', () => {
    const fit = fitOde();
    expect(fit.maxError).toBeLessThanOrEqual(1e-3);
    expect(fit.u[0]).toBe(1);
    // The error measured here against Math.exp, independently of the demo's own number.
    const worst = fit.grid.reduce(
      (e, t, i) => Math.max(e, Math.abs((fit.u[i] as number) - Math.exp(-t))),
      0,
    );
    expect(worst).toBe(fit.maxError);
  }, 120_000);
  it('--json prints maxError and writes the picture', () => {
    const out = join(tmp, 'ode');
    const r = run(['ode', '--json', '--steps', '12000', '--out', out]);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { maxError: number; files: string[] };
    expect(summary.maxError).toBeLessThanOrEqual(1e-3);
    expect(xmlRoot(readFileSync(join(out, 'ode.svg'), 'utf8'))).toBe('svg');
  }, 120_000);
});

describe('newton: hessian() against gradient descent on Rosenbrock from (−1.2, 1)', () => {
  it('Newton reaches ‖∇f‖ ≤ 1e-10 at (1, 1) in a few dozen iterations; descent needs tens of thousands', () => {
    const n = newton([-1.2, 1]);
    expect(n.converged).toBe(true);
    expect(n.x[0]).toBeCloseTo(1, 9);
    expect(n.x[1]).toBeCloseTo(1, 9);
    expect(n.iterations).toBeLessThan(50);
    // ∇f by hand at Newton's answer: (−2(1 − a) − 400a(b − a²), 200(b − a²)).
    const [a, b] = n.x;
    expect(Math.hypot(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a))).toBeLessThanOrEqual(
      1e-10,
    );
    const gd = gradientDescent([-1.2, 1], 1e-10, 100_000);
    expect(gd.iterations).toBeGreaterThan(100 * n.iterations);
  }, 60_000);
  it('--json prints both iteration counts', () => {
    const r = run(['newton', '--json', '--out', join(tmp, 'newton')]);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      newtonIterations: number;
      gradientDescentIterations: number;
    };
    expect(summary.newtonIterations).toBe(newton([-1.2, 1]).iterations);
    expect(summary.gradientDescentIterations).toBeGreaterThan(summary.newtonIterations);
  }, 120_000);
});
