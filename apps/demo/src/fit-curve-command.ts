/**
 * `fit-curve`: y = a·(1 − e^(−b·x)) fitted to noisy samples by
 * Levenberg–Marquardt (`leastSquares`) and by Adam, on the same cost ½Σr².
 */
import { Value, sum } from '@ag/core';
import { Rng } from '@ag/data';
import { Adam } from '@ag/nn';
import { leastSquares } from '@ag/optimize';
import { curveFitSvg } from './curve-fit-svg.js';
import type { RunOutput } from './run-output.js';
import type { FitCurveOptions } from './solver-args.js';

export const TRUE_A = 5;
export const TRUE_B = 0.8;
const START = [1, 1];

/** The model at x. */
export const saturation = (a: number, b: number, x: number): number => a * (1 - Math.exp(-b * x));

export function runFitCurve(options: FitCurveOptions, out: RunOutput): void {
  const rng = new Rng(options.seed);
  const xs = Array.from({ length: options.samples }, (_, i) => (10 * i) / (options.samples - 1));
  const ys = xs.map((x) => saturation(TRUE_A, TRUE_B, x) + rng.normal(0, options.noise));
  // rᵢ = a·(1 − e^(−b·xᵢ)) − yᵢ
  const residuals = ([a, b]: Value[]): Value[] =>
    xs.map((x, i) => a!.mul(b!.mul(-x).exp().neg().add(1)).sub(ys[i]!));

  out.say(
    `Fit y = a·(1 − e^(−b·x)) to ${options.samples} samples of a = ${TRUE_A}, b = ${TRUE_B} (noise sd ${options.noise})`,
  );
  out.say(`from a = ${START[0]}, b = ${START[1]}, minimizing the cost ½Σr².`);
  const lm = leastSquares(residuals, START);
  const [lmA = Number.NaN, lmB = Number.NaN] = lm.x;
  out.say();
  out.say(
    `leastSquares (Levenberg–Marquardt): ${lm.iterations} steps, ${lm.evaluations} evaluations`,
  );
  out.say(`  a = ${lmA.toFixed(6)}, b = ${lmB.toFixed(6)}, cost ${lm.cost.toExponential(6)}`);
  out.say(`  ${lm.message}`);

  const a = new Value(START[0] as number, { label: 'a' });
  const b = new Value(START[1] as number, { label: 'b' });
  const adam = new Adam([a, b], { lr: options.lr });
  let cost = Number.NaN;
  let reached: number | null = null;
  for (let step = 1; step <= options.steps; step++) {
    adam.zeroGrad();
    const loss = sum(residuals([a, b]).map((r) => r.square())).mul(0.5);
    loss.backward();
    cost = loss.data;
    // Within 1e-6 of the least-squares cost: as close as the eye can tell.
    if (reached === null && cost <= lm.cost * (1 + 1e-6)) reached = step - 1;
    adam.step();
  }
  cost =
    0.5 * xs.reduce((s, x, i) => s + (saturation(a.data, b.data, x) - (ys[i] as number)) ** 2, 0);
  out.say();
  out.say(`Adam (lr ${options.lr}): ${options.steps} steps`);
  out.say(`  a = ${a.data.toFixed(6)}, b = ${b.data.toFixed(6)}, cost ${cost.toExponential(6)}`);
  out.say(
    reached === null
      ? `  never within 1e-6 of the least-squares cost in ${options.steps} steps`
      : `  within 1e-6 of the least-squares cost after ${reached} steps`,
  );
  out.say();
  out.writeFile(
    'fit-curve.svg',
    curveFitSvg({
      xs,
      ys,
      curves: [
        {
          label: `true  a = ${TRUE_A}, b = ${TRUE_B}`,
          a: TRUE_A,
          b: TRUE_B,
          style: 'stroke="#999" stroke-width="2" stroke-dasharray="6 4"',
        },
        {
          label: `leastSquares  a = ${lmA.toFixed(3)}, b = ${lmB.toFixed(3)} (${lm.iterations} steps)`,
          a: lmA,
          b: lmB,
          style: 'stroke="#d62728" stroke-width="2"',
        },
        {
          label: `Adam  a = ${a.data.toFixed(3)}, b = ${b.data.toFixed(3)} (${options.steps} steps)`,
          a: a.data,
          b: b.data,
          style: 'stroke="#1f77b4" stroke-width="2" stroke-dasharray="2 3"',
        },
      ],
      title: 'y = a·(1 − e^(−b·x)): Levenberg–Marquardt and Adam',
    }),
  );
  out.summary({
    command: 'fit-curve',
    truth: { a: TRUE_A, b: TRUE_B },
    leastSquares: {
      a: lmA,
      b: lmB,
      cost: lm.cost,
      iterations: lm.iterations,
      evaluations: lm.evaluations,
      converged: lm.converged,
      message: lm.message,
    },
    adam: { a: a.data, b: b.data, cost, steps: options.steps, stepsToLeastSquaresCost: reached },
  });
}
