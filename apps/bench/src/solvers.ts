/**
 * Solvers (`--only solvers`): the Jacobian of a 100-residual problem from
 * `@ag/optimize`'s compiled residuals against a hand-written floor (timed),
 * and three tables that are not timings: NIST StRD nonlinear regression
 * against SciPy's MINPACK, `minimize` against SciPy's L-BFGS-B, and `@ag/nn`'s
 * `LBFGS` against `torch.optim.LBFGS` (SciPy's and PyTorch's numbers are the
 * fixtures their committed scripts wrote).
 *
 * The problem: rᵢ = a·e^(−b·tᵢ) + c − yᵢ, tᵢ = i/10, i < 100. The floor
 * writes the Jacobian row-major by hand: e = e^(b·(−t)), ∂r/∂a = e,
 * ∂r/∂b = (a·e)·(−t), ∂r/∂c = 1.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value, sum } from '@ag/core';
import { LBFGS } from '@ag/nn';
import { compileResiduals, minimize } from '@ag/optimize';
import {
  loadNistProblems,
  loadScipyNist,
  solveNist,
  type NistRun,
} from '../../../packages/optimize/src/nist/nist-problems.test-support.js';
import { functions } from '../../../packages/optimize/src/test-functions.test-support.js';
import type { Outcome } from './outcome.js';
import { ratioTarget, type ResultRow } from './result-row.js';
import { runTimedWorkload } from './timed-workload.js';
import type { TimingPlan } from './timing.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const M = 100;
const TS = Array.from({ length: M }, (_, i) => i / 10);
const YS = TS.map((t, i) => 2 * Math.exp(-0.7 * t) + 0.5 + 0.01 * Math.sin(i));

/** The point of evaluation k: moves a little each time, so nothing can be hoisted. */
const pointAt = (k: number, x: Float64Array): void => {
  x[0] = 2 + 1e-6 * (k % 7);
  x[1] = 0.7 + 1e-6 * (k % 5);
  x[2] = 0.5 + 1e-6 * (k % 3);
};

/** The checksum of a run: Σ J over every evaluation, and the last J's corners. */
function outcome(total: number, J: Float64Array): Outcome {
  return {
    loss: total,
    checks: { 'J[0][1]': J[1] as number, 'J[99][1]': J[3 * 99 + 1] as number },
  };
}

function floorJacobians(evaluations: number): Outcome {
  const x = new Float64Array(3);
  const J = new Float64Array(3 * M);
  let total = 0;
  for (let k = 0; k < evaluations; k++) {
    pointAt(k, x);
    const a = x[0] as number;
    const b = x[1] as number;
    for (let i = 0; i < M; i++) {
      const t = TS[i] as number;
      const e = Math.exp(b * -t);
      J[3 * i] = e;
      J[3 * i + 1] = a * e * -t;
      J[3 * i + 2] = 1;
    }
    for (let i = 0; i < 3 * M; i++) total += J[i] as number;
  }
  return outcome(total, J);
}

function engineJacobians(evaluations: number, compile: boolean): () => Outcome {
  const r = compileResiduals(
    ([a, b, c]) => TS.map((t, i) => a!.mul(b!.mul(-t).exp()).add(c!).sub(YS[i]!)),
    [2, 0.7, 0.5],
    { compile },
  );
  return () => {
    const x = new Float64Array(3);
    const J = new Float64Array(3 * M);
    let total = 0;
    for (let k = 0; k < evaluations; k++) {
      pointAt(k, x);
      r.jacobian(x, J);
      for (let i = 0; i < 3 * M; i++) total += J[i] as number;
    }
    return outcome(total, J);
  };
}

const lre = (runs: readonly NistRun[]): number => runs.filter((r) => r.lre >= 6).length;
const pad = (s: string, n: number): string => s.padEnd(n);

function printNist(): void {
  const problems = loadNistProblems();
  const scipy = loadScipyNist();
  const tight = solveNist(problems, {
    ftol: 1e-15,
    xtol: 1e-15,
    gtol: 1e-15,
    maxIterations: 10_000,
  });
  const defaults = solveNist(problems, {});
  console.log(
    '\nNIST StRD nonlinear regression: log relative error of the worst parameter (≥ 6: solved), start 1 / start 2',
  );
  console.log(
    `${pad('problem', 10)} ${pad('@ag 1e-15', 14)} ${pad('MINPACK 1e-15', 14)} ${pad('@ag defaults', 14)} ${pad('SciPy defaults', 14)} evaluations @ag / MINPACK (1e-15)`,
  );
  problems.forEach((p, k) => {
    const ours = [tight[2 * k]!, tight[2 * k + 1]!];
    const dflt = [defaults[2 * k]!, defaults[2 * k + 1]!];
    const ref = scipy.problems[k]!.runs;
    const two = (a: number, b: number): string => `${a.toFixed(1)} / ${b.toFixed(1)}`;
    console.log(
      `${pad(p.name, 10)} ${pad(two(ours[0]!.lre, ours[1]!.lre), 14)} ${pad(two(ref[0]!.leastsq_tight_long.lre, ref[1]!.leastsq_tight_long.lre), 14)} ${pad(two(dflt[0]!.lre, dflt[1]!.lre), 14)} ${pad(two(ref[0]!.least_squares_default.lre, ref[1]!.least_squares_default.lre), 14)} ${ours[0]!.evaluations}, ${ours[1]!.evaluations} / ${ref[0]!.leastsq_tight_long.nfev}, ${ref[1]!.leastsq_tight_long.nfev}`,
    );
  });
  const count = (label: 'leastsq_tight_long' | 'least_squares_default'): number =>
    scipy.problems.flatMap((p) => p.runs.map((r) => r[label].lre)).filter((v) => v >= 6).length;
  console.log(
    `solved (of 54): @ag ${lre(tight)} at ftol = xtol = gtol = 1e-15 (maxIterations 10000), MINPACK ${count('leastsq_tight_long')} (leastsq, maxfev 10000); ` +
      `@ag defaults ${lre(defaults)}, SciPy least_squares(method='lm') defaults ${count('least_squares_default')}`,
  );
}

interface LbfgsbProblem {
  name: string;
  x0: number[];
  minimizer: number[];
  lbfgsb: { nit: number; nfev: number; maxError: number };
}

function printMinimize(): void {
  const reference = JSON.parse(
    readFileSync(join(HERE, '../../../packages/optimize/src/fixtures/scipy-lbfgsb.json'), 'utf8'),
  ) as { problems: LbfgsbProblem[] };
  console.log(
    '\nminimize (gtol 1e-10) against SciPy L-BFGS-B (gtol 1e-10, ftol 0, maxcor 10): iterations, evaluations, max |x − x*|',
  );
  for (const p of reference.problems) {
    const fn = functions[p.name] as (v: Value[]) => Value;
    const r = minimize(fn, p.x0, { gtol: 1e-10 });
    const err = Math.max(...r.x.map((x, j) => Math.abs(x - (p.minimizer[j] as number))));
    const newtonStart = p.name === 'rosenbrock10' ? new Array<number>(10).fill(0) : p.x0;
    const newton = minimize(fn, newtonStart, { method: 'newton', gtol: 1e-10 });
    console.log(
      `${pad(p.name, 13)} L-BFGS ${String(r.iterations).padStart(3)} it ${String(r.evaluations).padStart(3)} ev ${err.toExponential(1)} | L-BFGS-B ${String(p.lbfgsb.nit).padStart(3)} it ${String(p.lbfgsb.nfev).padStart(3)} ev ${p.lbfgsb.maxError.toExponential(1)} | Newton ${newton.iterations} it${p.name === 'rosenbrock10' ? ' (from 0)' : ''}`,
    );
  }
}

interface TorchCase {
  name: string;
  start: number[];
  options: Record<string, unknown>;
  steps: { loss: number; params: number[]; evaluations: number }[];
}

function printTorch(): void {
  const reference = JSON.parse(
    readFileSync(
      join(HERE, '../../../packages/nn/src/optimizers/fixtures/torch-lbfgs.json'),
      'utf8',
    ),
  ) as { cases: TorchCase[] };
  console.log(
    '\n@ag/nn LBFGS against torch.optim.LBFGS (float64, Rosenbrock): largest relative difference over the steps',
  );
  for (const c of reference.cases) {
    const params = c.start.map((v) => new Value(v));
    const o = c.options;
    const optimizer = new LBFGS(params, {
      ...(o.lr === undefined ? {} : { lr: o.lr as number }),
      ...(o.max_iter === undefined ? {} : { maxIter: o.max_iter as number }),
      ...(o.max_eval === undefined ? {} : { maxEval: o.max_eval as number }),
      ...(o.history_size === undefined ? {} : { historySize: o.history_size as number }),
      lineSearch: o.line_search_fn === 'strong_wolfe' ? 'strongWolfe' : 'none',
    });
    const closure = (): Value => {
      optimizer.zeroGrad();
      const loss = sum(
        params
          .slice(0, -1)
          .map((a, i) =>
            params[i + 1]!.sub(a.square()).square().mul(100).add(a.neg().add(1).square()),
          ),
      );
      loss.backward();
      return loss;
    };
    let worst = 0;
    for (const step of c.steps) {
      const loss = optimizer.step(closure);
      worst = Math.max(worst, Math.abs(loss - step.loss) / Math.abs(step.loss));
      params.forEach((p, i) => {
        const want = step.params[i] as number;
        worst = Math.max(worst, Math.abs(p.data - want) / Math.abs(want));
      });
    }
    console.log(`${pad(c.name, 32)} ${c.steps.length} steps  ${worst.toExponential(1)}`);
  }
}

/**
 * The timed rows of the solvers workload; prints the NIST, L-BFGS-B and torch tables.
 *
 * @example
 * const rows = runSolvers({ evaluations: 2000, plan: { warmups: 2, rounds: 7 } });
 */
export function runSolvers(options: { evaluations: number; plan: TimingPlan }): ResultRow[] {
  printNist();
  printMinimize();
  printTorch();
  console.log('');
  const { evaluations } = options;
  return runTimedWorkload(
    'solvers',
    { 'hand-written Jacobian': () => floorJacobians(evaluations) },
    [
      {
        name: `Jacobian, ${M} residuals × 3 (compiled, ${evaluations} evaluations)`,
        floor: 'hand-written Jacobian',
        run: engineJacobians(evaluations, true),
        target: ratioTarget(2),
      },
      {
        name: `Jacobian, ${M} residuals × 3 (eager, ${evaluations} evaluations)`,
        floor: 'hand-written Jacobian',
        run: engineJacobians(evaluations, false),
      },
    ],
    options.plan,
  );
}
