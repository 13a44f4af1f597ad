import type { OdeOptions } from './args.js';
import { fitOde } from './ode-fit.js';
import { odeSvg } from './ode-svg.js';
import type { RunOutput } from './run-output.js';

/** `ode`: fit the physics-informed network, then print and plot u against e^(−t). */
export function runOde(options: OdeOptions, out: RunOutput): void {
  out.say("Solving u' = -u, u(0) = 1 on [0, 2] with an MLP u(t) = 1 + t*N(t), N: 1-10-1 tanh");
  out.say(
    "  loss: mean of (u'(t) + u(t))^2 at 41 points, u' from gradients(u, [t], { createGraph: true })",
  );
  const bar = out.progress('ode', options.steps, 'step');
  const losses: number[] = [];
  const fit = fitOde({
    steps: options.steps,
    seed: options.seed,
    every: Math.max(1, Math.floor(options.steps / 100)),
    onStep: (step, loss) => {
      losses.push(loss);
      bar.update(step, loss);
    },
  });
  bar.stop();
  out.chart('residual loss', losses);
  out.say();
  out.say('     t     u(t)        e^-t        |error|');
  for (let i = 0; i < fit.grid.length; i += 25) {
    const t = fit.grid[i] as number;
    const u = fit.u[i] as number;
    out.say(
      `  ${t.toFixed(2)}  ${u.toFixed(8)}  ${Math.exp(-t).toFixed(8)}  ${Math.abs(u - Math.exp(-t)).toExponential(2)}`,
    );
  }
  out.say();
  out.say(
    `  max |u(t) - e^-t| on [0, 2]: ${fit.maxError.toExponential(3)} (final loss ${fit.finalLoss.toExponential(3)})`,
  );
  out.writeFile('ode.svg', odeSvg(fit.grid, fit.u, fit.maxError));
  out.summary({
    command: 'ode',
    steps: fit.steps,
    maxError: fit.maxError,
    finalLoss: fit.finalLoss,
  });
}
