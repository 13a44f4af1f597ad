/**
 * Newton's method with `hessian` against plain gradient descent on the 2-D
 * Rosenbrock function f(a, b) = (1 − a)² + 100(b − a²)², from (−1.2, 1), the
 * classic start: iterations until ‖∇f‖ ≤ 1e-10.
 */
import { gradients, hessian, Value } from '@ag/core';

export const rosenbrock = ([a, b]: Value[]): Value =>
  (a as Value)
    .neg()
    .add(1)
    .square()
    .add(
      (b as Value)
        .sub((a as Value).square())
        .square()
        .mul(100),
    );

export interface Descent {
  iterations: number;
  /** Whether ‖∇f‖ ≤ tolerance was reached (else the cap stopped it). */
  converged: boolean;
  x: [number, number];
  gradientNorm: number;
  /** ‖∇f‖ after each iteration (from the start). */
  norms: number[];
}

function gradientAt(x: readonly number[]): number[] {
  const leaves = x.map((v) => new Value(v));
  return gradients(rosenbrock(leaves), leaves).map((g) => g.data);
}

const norm = (g: readonly number[]): number => Math.hypot(...g);

/**
 * Newton: x ← x − H⁻¹∇f, the 2×2 system solved directly; a step that would
 * raise f is halved until it does not (a backtracking line search), as
 * Newton's method needs far from the minimum.
 *
 * @example
 * newton([-1.2, 1]).iterations; // about 20
 */
export function newton(start: [number, number], tolerance = 1e-10, cap = 1000): Descent {
  let x: [number, number] = [...start];
  const f = (p: readonly number[]): number => rosenbrock(p.map((v) => new Value(v))).data;
  let g = gradientAt(x);
  const norms = [norm(g)];
  let k = 0;
  while (norm(g) > tolerance && k < cap) {
    const [[h11, h12], [h21, h22]] = hessian(rosenbrock, x) as [[number, number], [number, number]];
    const det = h11 * h22 - h12 * h21;
    const [g1, g2] = g as [number, number];
    const step = [(h22 * g1 - h12 * g2) / det, (h11 * g2 - h21 * g1) / det];
    let t = 1;
    const f0 = f(x);
    let next: [number, number] = [x[0] - (step[0] as number), x[1] - (step[1] as number)];
    while (f(next) > f0 && t > 1e-8) {
      t /= 2;
      next = [x[0] - t * (step[0] as number), x[1] - t * (step[1] as number)];
    }
    x = next;
    g = gradientAt(x);
    norms.push(norm(g));
    k++;
  }
  return { iterations: k, converged: norm(g) <= tolerance, x, gradientNorm: norm(g), norms };
}

/**
 * Plain gradient descent, x ← x − lr·∇f, with the largest fixed step that is
 * stable from this start (lr = 0.001; the curvature across the valley is about
 * 1000), capped at `cap` iterations.
 *
 * @example
 * gradientDescent([-1.2, 1]).converged; // false: 100,000 steps are not enough
 */
export function gradientDescent(
  start: [number, number],
  tolerance = 1e-10,
  cap = 100_000,
  lr = 0.001,
): Descent {
  let x: [number, number] = [...start];
  let g = gradientAt(x);
  const norms = [norm(g)];
  let k = 0;
  while (norm(g) > tolerance && k < cap) {
    x = [x[0] - lr * (g[0] as number), x[1] - lr * (g[1] as number)];
    g = gradientAt(x);
    if (k % 100 === 99) norms.push(norm(g));
    k++;
  }
  return { iterations: k, converged: norm(g) <= tolerance, x, gradientNorm: norm(g), norms };
}
