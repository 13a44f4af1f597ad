import type { CommonOptions } from './args.js';
import { gradientDescent, newton } from './newton-rosenbrock.js';
import type { RunOutput } from './run-output.js';

const CAP = 100_000;

/** `newton`: Newton with hessian() against gradient descent on Rosenbrock, from (−1.2, 1). */
export function runNewton(options: CommonOptions, out: RunOutput): void {
  void options;
  out.say(
    'Rosenbrock f(a, b) = (1 - a)^2 + 100(b - a^2)^2 from (-1.2, 1), until |grad f| <= 1e-10',
  );
  const n = newton([-1.2, 1]);
  out.say();
  out.say(`  Newton (hessian(), backtracking):  ${n.iterations} iterations -> (${n.x.join(', ')})`);
  n.norms.forEach((g, k) =>
    out.say(`    iteration ${String(k).padStart(2)}  |grad f| = ${g.toExponential(3)}`),
  );
  const gd = gradientDescent([-1.2, 1], 1e-10, CAP);
  out.say();
  out.say(
    `  gradient descent (lr 0.001, capped at ${CAP.toLocaleString('en-US')} iterations): ` +
      (gd.converged
        ? `${gd.iterations.toLocaleString('en-US')} iterations`
        : `did not reach 1e-10 within the cap (|grad f| = ${gd.gradientNorm.toExponential(3)})`) +
      ` -> (${gd.x.map((v) => v.toFixed(10)).join(', ')})`,
  );
  out.summary({
    command: 'newton',
    newtonIterations: n.iterations,
    gradientDescentIterations: gd.iterations,
    gradientDescentConverged: gd.converged,
    gradientDescentCap: CAP,
  });
}
