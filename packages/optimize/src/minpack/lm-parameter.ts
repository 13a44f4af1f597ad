/**
 * MINPACK's `lmpar`: the Levenberg–Marquardt parameter λ of the trust-region
 * step. Given R, P and Qᵀb from a·P = Q·R, a positive diagonal D and a radius
 * Δ, finds λ ≥ 0 such that x solving (aᵀa + λDD)·x = aᵀb (in the least-squares
 * sense, through `qrSolve`) has ‖Dx‖ within 10 % of Δ, or λ = 0 when the
 * Gauss–Newton step is already inside 1.1·Δ. λ is found by Moré's safeguarded
 * Newton iteration on φ(λ) = ‖Dx(λ)‖ − Δ between the bounds parl and paru
 * (Moré 1978, "The Levenberg–Marquardt algorithm: implementation and theory"),
 * at most 10 steps. A port of the Argonne routine.
 *
 * `par` holds λ on entry (the previous one, a starting guess) and on return.
 */
import { enorm } from './enorm.js';
import { qrSolve } from './qr-solve.js';

const dwarf = 2.2250738585072014e-308;

export function lmParameter(
  n: number,
  r: Float64Array,
  ldr: number,
  ipvt: Int32Array,
  diag: Float64Array,
  qtb: Float64Array,
  delta: number,
  par: number,
  x: Float64Array,
  sdiag: Float64Array,
  wa1: Float64Array,
  wa2: Float64Array,
): number {
  // The Gauss–Newton direction; a least-squares solution if R is singular.
  let nsing = n;
  for (let j = 0; j < n; j++) {
    wa1[j] = qtb[j] as number;
    if (r[j + j * ldr] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa1[j] = 0;
  }
  for (let j = nsing - 1; j >= 0; j--) {
    wa1[j] = (wa1[j] as number) / (r[j + j * ldr] as number);
    const t = wa1[j] as number;
    for (let i = 0; i < j; i++) wa1[i] = (wa1[i] as number) - (r[i + j * ldr] as number) * t;
  }
  for (let j = 0; j < n; j++) x[ipvt[j] as number] = wa1[j] as number;

  // Accept the Gauss–Newton direction if it is acceptable (φ(0) ≤ 0.1·Δ).
  for (let j = 0; j < n; j++) wa2[j] = (diag[j] as number) * (x[j] as number);
  let dxnorm = enorm(n, wa2);
  let fp = dxnorm - delta;
  if (fp <= 0.1 * delta) return 0;

  // A lower bound parl for the zero of φ, from a Newton step at 0 (only if R has full rank).
  let parl = 0;
  if (nsing === n) {
    for (let j = 0; j < n; j++) {
      const l = ipvt[j] as number;
      wa1[j] = (diag[l] as number) * ((wa2[l] as number) / dxnorm);
    }
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = 0; i < j; i++) sum += (r[i + j * ldr] as number) * (wa1[i] as number);
      wa1[j] = ((wa1[j] as number) - sum) / (r[j + j * ldr] as number);
    }
    const t = enorm(n, wa1);
    parl = fp / delta / t / t;
  }

  // An upper bound paru: ‖D⁻¹·aᵀb‖ / Δ.
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i <= j; i++) sum += (r[i + j * ldr] as number) * (qtb[i] as number);
    wa1[j] = sum / (diag[ipvt[j] as number] as number);
  }
  const gnorm = enorm(n, wa1);
  let paru = gnorm / delta;
  if (paru === 0) paru = dwarf / Math.min(delta, 0.1);

  // Start inside [parl, paru]; near zero, from gnorm/dxnorm.
  par = Math.min(Math.max(par, parl), paru);
  if (par === 0) par = gnorm / dxnorm;

  for (let iter = 1; ; iter++) {
    if (par === 0) par = Math.max(dwarf, 0.001 * paru);
    const s = Math.sqrt(par);
    for (let j = 0; j < n; j++) wa1[j] = s * (diag[j] as number);
    qrSolve(n, r, ldr, ipvt, wa1, qtb, x, sdiag, wa2);
    for (let j = 0; j < n; j++) wa2[j] = (diag[j] as number) * (x[j] as number);
    dxnorm = enorm(n, wa2);
    const previous = fp;
    fp = dxnorm - delta;
    // Done when φ is small enough, when parl = 0 and φ increases and is negative, or after 10 steps.
    if (
      Math.abs(fp) <= 0.1 * delta ||
      (parl === 0 && fp <= previous && previous < 0) ||
      iter === 10
    )
      return par;

    // Newton's correction: parc = φ/φ'(λ) written with S from qrSolve.
    for (let j = 0; j < n; j++) {
      const l = ipvt[j] as number;
      wa1[j] = (diag[l] as number) * ((wa2[l] as number) / dxnorm);
    }
    for (let j = 0; j < n; j++) {
      wa1[j] = (wa1[j] as number) / (sdiag[j] as number);
      const t = wa1[j] as number;
      for (let i = j + 1; i < n; i++) wa1[i] = (wa1[i] as number) - (r[i + j * ldr] as number) * t;
    }
    const t = enorm(n, wa1);
    const parc = fp / delta / t / t;
    // Tighten the bounds, then take the corrected λ, kept above parl.
    if (fp > 0) parl = Math.max(parl, par);
    if (fp < 0) paru = Math.min(paru, par);
    par = Math.max(parl, par + parc);
  }
}
