/**
 * MINPACK's `qrfac` with column pivoting: Householder QR of the m × n matrix
 * `a` (column-major, leading dimension m), a·P = Q·R, with the columns taken
 * in order of decreasing norm so that R's diagonal has non-increasing
 * magnitude. A port of the Argonne routine (Moré, Garbow, Hillstrom 1980).
 *
 * On return the strict upper triangle of `a`'s first n rows holds R's
 * off-diagonal part and the lower trapezoid the Householder vectors
 * (column j: the vector u with Q_j = I − u·uᵀ/u_j); `rdiag` holds R's diagonal,
 * `acnorm` the norms of the columns of the original `a`, `ipvt[j]` the
 * original index of column j of a·P.
 */
import { enorm } from './enorm.js';

const epsmch = Number.EPSILON;

export function qrFactor(
  m: number,
  n: number,
  a: Float64Array,
  ipvt: Int32Array,
  rdiag: Float64Array,
  acnorm: Float64Array,
  wa: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    acnorm[j] = enorm(m, a, j * m);
    rdiag[j] = acnorm[j] as number;
    wa[j] = rdiag[j] as number;
    ipvt[j] = j;
  }
  const minmn = Math.min(m, n);
  for (let j = 0; j < minmn; j++) {
    // Bring the column of largest remaining norm into the pivot position.
    let kmax = j;
    for (let k = j; k < n; k++) if ((rdiag[k] as number) > (rdiag[kmax] as number)) kmax = k;
    if (kmax !== j) {
      for (let i = 0; i < m; i++) {
        const t = a[i + m * j] as number;
        a[i + m * j] = a[i + m * kmax] as number;
        a[i + m * kmax] = t;
      }
      rdiag[kmax] = rdiag[j] as number;
      wa[kmax] = wa[j] as number;
      const k = ipvt[j] as number;
      ipvt[j] = ipvt[kmax] as number;
      ipvt[kmax] = k;
    }
    // The Householder transformation that reduces column j to a multiple of e_j.
    let ajnorm = enorm(m - j, a, m * j + j);
    if (ajnorm === 0) {
      rdiag[j] = 0;
      continue;
    }
    if ((a[j + m * j] as number) < 0) ajnorm = -ajnorm;
    for (let i = j; i < m; i++) a[i + m * j] = (a[i + m * j] as number) / ajnorm;
    a[j + m * j] = (a[j + m * j] as number) + 1;
    // Apply it to the remaining columns and update their norms.
    for (let k = j + 1; k < n; k++) {
      let sum = 0;
      for (let i = j; i < m; i++) sum += (a[i + m * j] as number) * (a[i + m * k] as number);
      const t = sum / (a[j + m * j] as number);
      for (let i = j; i < m; i++)
        a[i + m * k] = (a[i + m * k] as number) - t * (a[i + m * j] as number);
      if ((rdiag[k] as number) !== 0) {
        const r = (a[j + m * k] as number) / (rdiag[k] as number);
        rdiag[k] = (rdiag[k] as number) * Math.sqrt(Math.max(0, 1 - r * r));
        // The downdated norm lost its accuracy: compute it afresh.
        if (0.05 * ((rdiag[k] as number) / (wa[k] as number)) ** 2 <= epsmch) {
          rdiag[k] = enorm(m - j - 1, a, j + 1 + m * k);
          wa[k] = rdiag[k] as number;
        }
      }
    }
    rdiag[j] = -ajnorm;
  }
}
