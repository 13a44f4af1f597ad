/**
 * A physics-informed network: an MLP u(t) fitted to the ODE u′ = −u, u(0) = 1
 * on [0, 2], whose solution is e^(−t). The loss needs u′, the derivative of
 * the network with respect to its input, as a graph: `gradients(u, [t],
 * { createGraph: true })`, so that backward() can differentiate the residual
 * u′ + u once more, with respect to the weights. The initial condition holds
 * by construction: u(t) = 1 + t·N(t) (Lagaris et al., 1998).
 */
import { affine, compile, gradients, sum, Value } from '@ag/core';

export interface OdeFitOptions {
  /** Hidden tanh units (default 10). */
  hidden?: number;
  /** Collocation points, evenly spaced on [0, 2] (default 41). */
  points?: number;
  /** Adam steps (default 12000). */
  steps?: number;
  seed?: number;
  /** Called every `every` steps with the step and the loss. */
  onStep?: (step: number, loss: number) => void;
  every?: number;
}

export interface OdeFit {
  /** u at `grid` (201 points on [0, 2]). */
  grid: number[];
  u: number[];
  /** max |u(t) − e^(−t)| over the grid. */
  maxError: number;
  finalLoss: number;
  steps: number;
}

/** A small seeded generator (an LCG) for the initial weights: the demo needs no more. */
function lcg(seed: number): () => number {
  let s = (seed >>> 0) + 12345;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Fits u and reports its error against e^(−t).
 *
 * @example
 * const { maxError } = fitOde({ steps: 12000 }); // ≈ 1e-4
 */
export function fitOde(options: OdeFitOptions = {}): OdeFit {
  const { hidden = 10, points = 41, steps = 12000, seed = 0, onStep, every = 1000 } = options;
  const rand = lcg(seed);
  const layer = Array.from({ length: hidden }, () => [
    new Value(rand() * 2 - 1),
    new Value(rand() * 2 - 1),
  ]);
  const head = [...Array.from({ length: hidden }, () => new Value(rand() - 0.5)), new Value(0)];
  const params = [...layer.flat(), ...head];
  const net = (t: Value): Value =>
    affine(
      head,
      layer.map((wb) => affine(wb, [t]).tanh()),
    );
  const u = (t: Value): Value => t.mul(net(t)).add(1);

  const ts = Array.from({ length: points }, (_, i) => (2 * i) / (points - 1));
  // Mean squared residual of u′ + u = 0 at the collocation points.
  const residualLoss = (tv: Value[]): Value =>
    sum(
      tv.map((t) => {
        const ut = u(t);
        const [du] = gradients(ut, [t], { createGraph: true });
        return (du as Value).add(ut).square();
      }),
    ).div(points);
  // Recorded once, replayed every step: the derivative graph is part of the tape.
  const loss = compile(
    ({ t }) => {
      const tv = t as Value[];
      for (const x of tv) x.requiresGrad = true; // differentiated with respect to t
      return residualLoss(tv);
    },
    { inputs: { t: ts } },
  );

  // Adam, with the step size decaying from 0.02 to 0.001.
  const m = params.map(() => 0);
  const v = params.map(() => 0);
  let finalLoss = NaN;
  for (let k = 1; k <= steps; k++) {
    for (const p of params) p.grad = 0;
    finalLoss = loss.backward({ t: ts });
    const lr = 0.02 * Math.pow(0.05, k / steps);
    params.forEach((p, i) => {
      m[i] = 0.9 * (m[i] as number) + 0.1 * p.grad;
      v[i] = 0.999 * (v[i] as number) + 0.001 * p.grad * p.grad;
      const mHat = m[i] / (1 - 0.9 ** k);
      const vHat = v[i] / (1 - 0.999 ** k);
      p.data -= (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
    });
    if (onStep !== undefined && (k % every === 0 || k === steps)) onStep(k, finalLoss);
  }
  const grid = Array.from({ length: 201 }, (_, i) => i / 100);
  const values = grid.map((t) => u(new Value(t, { requiresGrad: false })).data);
  const maxError = grid.reduce(
    (e, t, i) => Math.max(e, Math.abs((values[i] as number) - Math.exp(-t))),
    0,
  );
  return { grid, u: values, maxError, finalLoss, steps };
}
