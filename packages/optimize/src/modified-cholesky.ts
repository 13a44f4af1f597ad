/**
 * Cholesky with an added multiple of the identity (Nocedal & Wright,
 * Algorithm 3.3): the smallest τ in 0, τ₀, 2τ₀, 4τ₀, … for which H + τI is
 * positive definite, and its factor L (H + τI = L·Lᵀ). Newton's step
 * −(H + τI)⁻¹g is then a descent direction, Newton's own where H is positive
 * definite (τ = 0).
 */

/** L (row-major, lower triangle) of A = L·Lᵀ, or null if A is not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (l[j * n + k] as number) ** 2;
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** H + τI = L·Lᵀ for the first τ that works (β = 1e-3 scaled by H's size). */
export function modifiedCholesky(
  h: Float64Array,
  n: number,
): { l: Float64Array; tau: number } | null {
  let minDiag = Infinity;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    minDiag = Math.min(minDiag, h[i * n + i] as number);
    for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(h[i * n + j] as number));
  }
  const beta = 1e-3 * Math.max(scale, 1e-8);
  let tau = minDiag > 0 ? 0 : beta - minDiag;
  const shifted = new Float64Array(h);
  for (let attempt = 0; attempt < 100; attempt++) {
    for (let i = 0; i < n; i++) shifted[i * n + i] = (h[i * n + i] as number) + tau;
    const l = cholesky(shifted, n);
    if (l !== null) return { l, tau };
    tau = Math.max(2 * tau, beta);
  }
  return null;
}

/** Solves L·Lᵀ·x = b, into x. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
}
