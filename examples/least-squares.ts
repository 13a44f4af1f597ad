// Solvers for functions that are not networks, from @ag/optimize: a saturating curve
// y = a·(1 − e^(−b·x)) fitted to noisy measurements by Levenberg–Marquardt (MINPACK's
// lmder, as SciPy's least_squares(method='lm')), and Rosenbrock's valley minimized by
// L-BFGS and by Newton's method with the exact Hessian. Tens of steps, not thousands.
//
//   npx tsx least-squares.ts    (in this repository: pnpm examples least-squares)
import { grad, type Value } from '@ag/core';
import { Rng } from '@ag/data';
import { leastSquares, minimize } from '@ag/optimize';

// 41 measurements of y = 2.5·(1 − e^(−0.6x)) for x in [0, 10], Gaussian noise of
// standard deviation 0.02; seeded, so every run sees the same points.
const truth = { a: 2.5, b: 0.6 };
const rng = new Rng(42);
const xs = Array.from({ length: 41 }, (_, i) => i / 4);
const ys = xs.map((x) => truth.a * (1 - Math.exp(-truth.b * x)) + rng.normal(0, 0.02));

// The residuals rᵢ(a, b) = a·(1 − e^(−b·xᵢ)) − yᵢ; the solver minimizes ½Σrᵢ².
const residuals = (p: Value[]) => {
  const [a, b] = p as [Value, Value];
  return xs.map((x, i) => a.mul(b.mul(-x).exp().neg().add(1)).sub(ys[i] ?? NaN));
};
const curve = leastSquares(residuals, [1, 1]);
const [a = NaN, b = NaN] = curve.x;
console.log(`curve fit: a = ${a.toFixed(4)}, b = ${b.toFixed(4)} (true ${truth.a}, ${truth.b})`);
console.log(
  `  cost ${curve.cost.toExponential(3)} after ${curve.evaluations} evaluations: ${curve.message}`,
);

// At a least-squares minimum the gradient of the cost, Jᵀr, vanishes. Computed here apart
// from the solver, by @ag/core's grad of ½Σrᵢ² at the solution.
const cost = (p: Value[]) => residuals(p).reduce((s: Value, r) => s.add(r.square().mul(0.5)));
const slope = Math.max(...grad(cost)(curve.x).map((g) => Math.abs(g.data)));
console.log(`  |∇cost| = ${slope.toExponential(1)}`);

// Rosenbrock: (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1), from SciPy's start (−1.2, 1).
const rosenbrock = (p: Value[]) => {
  const [x, y] = p as [Value, Value];
  return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
};
const runs = (['lbfgs', 'newton'] as const).map((method) => {
  const r = minimize(rosenbrock, [-1.2, 1], { method });
  console.log(
    `${method}: (${r.x.map((v) => v.toFixed(10)).join(', ')}), f = ${r.fun.toExponential(2)},`,
  );
  console.log(`  ${r.iterations} iterations, ${r.evaluations} evaluations: ${r.message}`);
  return { method, ...r };
});

// The self-check.
function expectNear(what: string, got: number, want: number, tolerance: number) {
  if (!(Math.abs(got - want) <= tolerance)) {
    throw new Error(`${what} = ${got}, expected ${want} ± ${tolerance}`);
  }
}
if (!curve.converged) throw new Error(`the curve fit did not converge: ${curve.message}`);
expectNear('a', a, truth.a, 0.03); // the noise moves the fit by about 0.01
expectNear('b', b, truth.b, 0.03);
expectNear('|∇cost|', slope, 0, 1e-8);
for (const { method, converged, x, message } of runs) {
  if (!converged) throw new Error(`${method} did not converge: ${message}`);
  x.forEach((v, i) => expectNear(`${method} x${i}`, v, 1, 1e-6));
}
