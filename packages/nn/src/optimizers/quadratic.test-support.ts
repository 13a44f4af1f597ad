/** Test support: the small quadratic the optimizer tests minimise, and helpers to run and compare steps. */
import { Value } from '@ag/core';
import { expect } from 'vitest';
import type { Optimizer } from './optimizer.js';

// The quadratic f(p) = Σ aᵢ·(pᵢ − tᵢ)², gradient 2aᵢ(pᵢ − tᵢ).
export const A = [1, 3];
export const T = [2, -1];
export const P0 = [0.5, 0.25];

export function params(): Value[] {
  return P0.map((p, i) => new Value(p, { label: `p${i}` }));
}

export function backwardQuadratic(ps: Value[]): void {
  const terms = ps.map((p, i) =>
    p
      .sub(T[i] as number)
      .square()
      .mul(A[i] as number),
  );
  const f = terms.slice(1).reduce((s, t) => s.add(t), terms[0] as Value);
  f.backward();
}

export function grad(p: number, i: number): number {
  return 2 * (A[i] as number) * (p - (T[i] as number));
}

/** Runs `steps` steps with the optimizer; the (p0, p1) after each. */
export function run(make: (ps: Value[]) => Optimizer, steps = 3): number[][] {
  const ps = params();
  const opt = make(ps);
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    opt.zeroGrad();
    backwardQuadratic(ps);
    opt.step();
    out.push(ps.map((p) => p.data));
  }
  return out;
}

export function expectClose(got: number[][], want: number[][]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((row, k) =>
    row.forEach((g, i) => {
      const w = (want[k] as number[])[i] as number;
      expect(Math.abs(g - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    }),
  );
}
