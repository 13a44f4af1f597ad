import { describe, expect, it } from 'vitest';
import { qrFactor } from './qr-factor.js';
import { qrSolve } from './qr-solve.js';
import { lmParameter } from './lm-parameter.js';

/** A column-major m × n matrix from rows. */
const columnMajor = (rows: number[][]): Float64Array => {
  const m = rows.length;
  const n = (rows[0] as number[]).length;
  const a = new Float64Array(m * n);
  rows.forEach((row, i) => row.forEach((v, j) => (a[i + m * j] = v)));
  return a;
};

/** Solves the n × n system M·x = b by Gaussian elimination with partial pivoting. */
function solve(M: number[][], b: number[]): number[] {
  const n = b.length;
  const A = M.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= n; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = A[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= A[r]![k]! * x[k]!;
    x[r] = s / A[r]![r]!;
  }
  return x;
}

const rows = [
  [1, 2, 0.5],
  [3, -1, 2],
  [0.5, 4, -1],
  [2, 0, 1],
  [-1, 1, 3],
];
const b = [1, -2, 0.5, 3, 1];
const m = rows.length;
const n = 3;
const AtA = [0, 1, 2].map((j) => [0, 1, 2].map((k) => rows.reduce((s, r) => s + r[j]! * r[k]!, 0)));
const Atb = [0, 1, 2].map((j) => rows.reduce((s, r, i) => s + r[j]! * b[i]!, 0));

/** The QR of `rows`, with R's full upper triangle in `r` (as lmder keeps it) and Qᵀb. */
function factor() {
  const a = columnMajor(rows);
  const ipvt = new Int32Array(n);
  const rdiag = new Float64Array(n);
  const acnorm = new Float64Array(n);
  qrFactor(m, n, a, ipvt, rdiag, acnorm, new Float64Array(n));
  // Qᵀb from the Householder vectors, as lmder forms it.
  const w = Float64Array.from(b);
  for (let j = 0; j < n; j++) {
    const ajj = a[j + m * j]!;
    let s = 0;
    for (let i = j; i < m; i++) s += a[i + m * j]! * w[i]!;
    for (let i = j; i < m; i++) w[i]! -= (a[i + m * j]! * s) / ajj;
  }
  for (let j = 0; j < n; j++) a[j + m * j] = rdiag[j]!;
  return { a, ipvt, rdiag, acnorm, qtb: w.slice(0, n) };
}

describe('qrFactor', () => {
  it('gives Rᵀ·R = Pᵀ·AᵀA·P, column norms, and a non-increasing |diag R|', () => {
    const { a, ipvt, rdiag, acnorm } = factor();
    for (let j = 0; j < n; j++) {
      expect(acnorm[j]).toBeCloseTo(Math.sqrt(AtA[j]![j]!), 13);
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let i = 0; i <= Math.min(j, k); i++) s += a[i + m * j]! * a[i + m * k]!;
        expect(s).toBeCloseTo(AtA[ipvt[j]!]![ipvt[k]!]!, 12);
      }
    }
    expect(Math.abs(rdiag[0]!)).toBeGreaterThanOrEqual(Math.abs(rdiag[1]!));
    expect(Math.abs(rdiag[1]!)).toBeGreaterThanOrEqual(Math.abs(rdiag[2]!));
    // The first pivot is the column of largest norm: column 1 (‖·‖² = 22).
    expect(ipvt[0]).toBe(1);
  });
});

describe('qrSolve', () => {
  it('solves (AᵀA + D²)·x = Aᵀb', () => {
    const { a, ipvt, qtb } = factor();
    const d = Float64Array.from([0.5, 2, 1]);
    const x = new Float64Array(n);
    qrSolve(n, a, m, ipvt, d, qtb, x, new Float64Array(n), new Float64Array(n));
    const M = AtA.map((row, j) => row.map((v, k) => (j === k ? v + d[j]! ** 2 : v)));
    const expected = solve(M, Atb);
    for (let j = 0; j < n; j++) expect(x[j]).toBeCloseTo(expected[j]!, 12);
  });
});

describe('lmParameter', () => {
  const diag = Float64Array.from([1, 1, 1]);
  const run = (delta: number) => {
    const { a, ipvt, qtb } = factor();
    const x = new Float64Array(n);
    const par = lmParameter(
      n,
      a,
      m,
      ipvt,
      diag,
      qtb,
      delta,
      0,
      x,
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n),
    );
    return { par, x };
  };
  const gaussNewton = solve(AtA, Atb);
  const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

  it('takes the Gauss–Newton step (λ = 0) when it lies within the radius', () => {
    const { par, x } = run(10 * norm(gaussNewton));
    expect(par).toBe(0);
    for (let j = 0; j < n; j++) expect(x[j]).toBeCloseTo(gaussNewton[j]!, 12);
  });

  it('finds λ > 0 whose step has ‖Dx‖ within 10 % of a smaller radius, and solves the damped system', () => {
    const delta = 0.3 * norm(gaussNewton);
    const { par, x } = run(delta);
    expect(par).toBeGreaterThan(0);
    expect(Math.abs(norm(x) - delta)).toBeLessThanOrEqual(0.1 * delta);
    const M = AtA.map((row, j) => row.map((v, k) => (j === k ? v + par : v)));
    const expected = solve(M, Atb);
    for (let j = 0; j < n; j++) expect(x[j]).toBeCloseTo(expected[j]!, 12);
  });
});
