import type { Dataset, Rng } from '@ag/data';

/** Inputs of the 2-D regression sets are uniform over this square, as TensorFlow Playground's. */
const HALF_WIDTH = 1.5;

/** The plane's target, t = 0.6·x₁ − 0.4·x₂. */
export function planeTarget(x1: number, x2: number): number {
  return 0.6 * x1 - 0.4 * x2;
}

/** Centres of the four bumps of the Gaussians set, with their signs (a smooth xor). */
const BUMPS = [
  { c: [-0.8, -0.8], s: 1 },
  { c: [0.8, 0.8], s: 1 },
  { c: [-0.8, 0.8], s: -1 },
  { c: [0.8, -0.8], s: -1 },
] as const;
const BUMP_STD = 0.45;

/** The Gaussians set's target: Σ sₖ·exp(−‖x − cₖ‖² / (2σ²)), σ = 0.45. */
export function gaussiansTarget(x1: number, x2: number): number {
  let t = 0;
  for (const { c, s } of BUMPS) {
    const d2 = (x1 - c[0]) ** 2 + (x2 - c[1]) ** 2;
    t += s * Math.exp(-d2 / (2 * BUMP_STD * BUMP_STD));
  }
  return t;
}

/**
 * A 2-D regression set: inputs uniform over [−1.5, 1.5]², targets `target(x)` plus Gaussian
 * noise of std `noise`. (These could move to @ag/data beside `linear` and `sine`.)
 * @example
 *   const { x, y } = regression2d(planeTarget, 200, 0.1, new Rng(1));
 *   x[0].length; // 2
 */
export function regression2d(
  target: (x1: number, x2: number) => number,
  samples: number,
  noise: number,
  rng: Rng,
): Dataset {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < samples; i++) {
    const x1 = rng.uniform(-HALF_WIDTH, HALF_WIDTH);
    const x2 = rng.uniform(-HALF_WIDTH, HALF_WIDTH);
    x.push([x1, x2]);
    y.push(target(x1, x2) + (noise > 0 ? rng.normal(0, noise) : 0));
  }
  return { x, y };
}
