/**
 * MINPACK's `qrsolv`: given the QR factorization a·P = Q·R, a diagonal D and
 * b, solves the damped least-squares problem
 *
 *     min ‖(a; D)·x − (b; 0)‖
 *
 * from R and qtb = (Qᵀb)[0 … n − 1], by Givens rotations that eliminate the
 * diagonal rows against R. The full upper triangle of `r` (leading dimension
 * `ldr`) is kept; its strict lower triangle receives the triangular S with
 * Pᵀ·(aᵀa + DD)·P = SᵀS, and `sdiag` S's diagonal. A port of the Argonne
 * routine (Moré, Garbow, Hillstrom 1980).
 */
export function qrSolve(
  n: number,
  r: Float64Array,
  ldr: number,
  ipvt: Int32Array,
  diag: Float64Array,
  qtb: Float64Array,
  x: Float64Array,
  sdiag: Float64Array,
  wa: Float64Array,
): void {
  // Copy R and Qᵀb to keep them; save R's diagonal in x.
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) r[i + j * ldr] = r[j + i * ldr] as number;
    x[j] = r[j + j * ldr] as number;
    wa[j] = qtb[j] as number;
  }
  // Eliminate the diagonal matrix D with Givens rotations.
  for (let j = 0; j < n; j++) {
    const dj = diag[ipvt[j] as number] as number;
    if (dj !== 0) {
      for (let k = j; k < n; k++) sdiag[k] = 0;
      sdiag[j] = dj;
      // The rotations that eliminate row j of D modify only one element of Qᵀb beyond the first n.
      let qtbpj = 0;
      for (let k = j; k < n; k++) {
        const sk = sdiag[k] as number;
        if (sk === 0) continue;
        const rkk = r[k + ldr * k] as number;
        let cos: number;
        let sin: number;
        if (Math.abs(rkk) < Math.abs(sk)) {
          const cotan = rkk / sk;
          sin = 0.5 / Math.sqrt(0.25 + 0.25 * cotan * cotan);
          cos = sin * cotan;
        } else {
          const tan = sk / rkk;
          cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
          sin = cos * tan;
        }
        r[k + ldr * k] = cos * rkk + sin * sk;
        const t = cos * (wa[k] as number) + sin * qtbpj;
        qtbpj = -sin * (wa[k] as number) + cos * qtbpj;
        wa[k] = t;
        for (let i = k + 1; i < n; i++) {
          const rik = r[i + ldr * k] as number;
          const si = sdiag[i] as number;
          r[i + ldr * k] = cos * rik + sin * si;
          sdiag[i] = -sin * rik + cos * si;
        }
      }
    }
    // Store the diagonal element of S and restore R's.
    sdiag[j] = r[j + ldr * j] as number;
    r[j + ldr * j] = x[j] as number;
  }
  // Solve S·z = Qᵀb by back substitution; a singular S gives a least-squares solution.
  let nsing = n;
  for (let j = 0; j < n; j++) {
    if (sdiag[j] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa[j] = 0;
  }
  for (let j = nsing - 1; j >= 0; j--) {
    let sum = 0;
    for (let i = j + 1; i < nsing; i++) sum += (r[i + j * ldr] as number) * (wa[i] as number);
    wa[j] = ((wa[j] as number) - sum) / (sdiag[j] as number);
  }
  // Permute back: x = P·z.
  for (let j = 0; j < n; j++) x[ipvt[j] as number] = wa[j] as number;
}
