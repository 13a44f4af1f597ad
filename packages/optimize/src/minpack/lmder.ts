/**
 * MINPACK's `lmder`: Levenberg–Marquardt for min ½‖f(x)‖² with an exact
 * Jacobian, as Moré designed it ("The Levenberg–Marquardt algorithm:
 * implementation and theory", 1978) and `scipy.optimize.least_squares(method='lm')`
 * runs it: the variables scaled by the column norms of the Jacobian (D, which
 * only grows), a trust region of radius Δ in the scaled variables, the step
 * from `lmParameter` on the pivoted QR of the Jacobian, and Δ updated from the
 * ratio of actual to predicted reduction. A port of the Argonne routine
 * (Moré, Garbow, Hillstrom 1980), with two additions of ours: non-finite
 * residuals at a trial point count as no reduction (the step is rejected and Δ
 * shrinks), and a non-finite Jacobian stops the run (`info` −2).
 */
import { enorm } from './enorm.js';
import { lmParameter } from './lm-parameter.js';
import { qrFactor } from './qr-factor.js';

const epsmch = Number.EPSILON;

/** The problem in numbers: m ≥ n residuals of n variables. */
export interface LmProblem {
  readonly m: number;
  readonly n: number;
  /** Writes f(x) into fvec. */
  residuals(x: Float64Array, fvec: Float64Array): void;
  /** Writes the Jacobian at x into fjac, column-major (fjac[i + m·j] = ∂f_i/∂x_j). */
  jacobian(x: Float64Array, fjac: Float64Array): void;
}

export interface LmOptions {
  readonly ftol: number;
  readonly xtol: number;
  readonly gtol: number;
  /** The most trial steps (residual evaluations after the first). */
  readonly maxSteps: number;
  /** Δ₀ = factor·‖D·x₀‖ (or factor if that is 0). MINPACK's recommended 100. */
  readonly factor: number;
}

/**
 * MINPACK's info: 1 ftol, 2 xtol, 3 both, 4 gtol, 5 maxfev, 6–8 tolerance too small;
 * ours: −1 residuals not finite at x₀, −2 Jacobian not finite.
 */
export interface LmOutcome {
  info: number;
  /** Residual evaluations. */
  nfev: number;
  /** Jacobian evaluations. */
  njev: number;
  /** Trial steps. */
  steps: number;
  /** ‖f(x)‖ at the returned x. */
  fnorm: number;
}

/** Runs lmder from `x` (overwritten with the solution); `fvec` receives f there. */
export function lmder(
  problem: LmProblem,
  x: Float64Array,
  fvec: Float64Array,
  options: LmOptions,
): LmOutcome {
  const { m, n } = problem;
  const { ftol, xtol, gtol, maxSteps, factor } = options;
  const fjac = new Float64Array(m * n);
  const diag = new Float64Array(n);
  const qtf = new Float64Array(n);
  const ipvt = new Int32Array(n);
  const wa1 = new Float64Array(n);
  const wa2 = new Float64Array(n);
  const wa3 = new Float64Array(n);
  const wa4 = new Float64Array(m);

  problem.residuals(x, fvec);
  const outcome: LmOutcome = { info: 0, nfev: 1, njev: 0, steps: 0, fnorm: enorm(m, fvec) };
  let fnorm = outcome.fnorm;
  if (!Number.isFinite(fnorm)) {
    outcome.info = -1;
    return outcome;
  }
  let par = 0;
  let iter = 1;
  let delta = 0;
  let xnorm = 0;

  for (;;) {
    problem.jacobian(x, fjac);
    outcome.njev++;
    for (let k = 0; k < m * n; k++) {
      if (!Number.isFinite(fjac[k])) {
        outcome.info = -2;
        return outcome;
      }
    }
    // Pivoted QR; wa1 = R's diagonal, wa2 = the column norms of J.
    qrFactor(m, n, fjac, ipvt, wa1, wa2, wa3);

    // On the first iteration, scale by the column norms and set Δ₀.
    if (iter === 1) {
      for (let j = 0; j < n; j++) diag[j] = wa2[j] === 0 ? 1 : (wa2[j] as number);
      for (let j = 0; j < n; j++) wa3[j] = (diag[j] as number) * (x[j] as number);
      xnorm = enorm(n, wa3);
      delta = factor * xnorm;
      if (delta === 0) delta = factor;
    }

    // qtf = (Qᵀf)[0 … n − 1]; R's diagonal goes back into fjac.
    wa4.set(fvec);
    for (let j = 0; j < n; j++) {
      const ajj = fjac[j + m * j] as number;
      if (ajj !== 0) {
        let sum = 0;
        for (let i = j; i < m; i++) sum += (fjac[i + m * j] as number) * (wa4[i] as number);
        const t = -sum / ajj;
        for (let i = j; i < m; i++) wa4[i] = (wa4[i] as number) + (fjac[i + m * j] as number) * t;
      }
      fjac[j + m * j] = wa1[j] as number;
      qtf[j] = wa4[j] as number;
    }

    // The scaled gradient: the largest cosine between f and a column of J.
    let gnorm = 0;
    if (fnorm !== 0) {
      for (let j = 0; j < n; j++) {
        const l = ipvt[j] as number;
        if (wa2[l] !== 0) {
          let sum = 0;
          for (let i = 0; i <= j; i++)
            sum += (fjac[i + m * j] as number) * ((qtf[i] as number) / fnorm);
          gnorm = Math.max(gnorm, Math.abs(sum / (wa2[l] as number)));
        }
      }
    }
    if (gnorm <= gtol) {
      outcome.info = 4;
      return finish(outcome, fnorm);
    }
    for (let j = 0; j < n; j++) diag[j] = Math.max(diag[j] as number, wa2[j] as number);

    // The inner loop: trial steps until one reduces the sum of squares enough.
    let ratio = 0;
    do {
      par = lmParameter(n, fjac, m, ipvt, diag, qtf, delta, par, wa1, wa2, wa3, wa4);
      // The step p = −wa1, the trial point x + p, and ‖D·p‖.
      for (let j = 0; j < n; j++) {
        wa1[j] = -(wa1[j] as number);
        wa2[j] = (x[j] as number) + (wa1[j] as number);
        wa3[j] = (diag[j] as number) * (wa1[j] as number);
      }
      const pnorm = enorm(n, wa3);
      if (iter === 1) delta = Math.min(delta, pnorm);

      problem.residuals(wa2, wa4);
      outcome.nfev++;
      outcome.steps++;
      const fnorm1 = enorm(m, wa4);

      // Actual reduction, scaled; −1 when f grew tenfold or is not finite.
      const actred = 0.1 * fnorm1 < fnorm ? 1 - (fnorm1 / fnorm) ** 2 : -1;

      // Predicted reduction ‖J·p‖² + 2λ‖D·p‖² (scaled), and the directional derivative.
      for (let j = 0; j < n; j++) {
        wa3[j] = 0;
        const t = wa1[ipvt[j] as number] as number;
        for (let i = 0; i <= j; i++) wa3[i] = (wa3[i] as number) + (fjac[i + m * j] as number) * t;
      }
      const temp1 = enorm(n, wa3) / fnorm;
      const temp2 = (Math.sqrt(par) * pnorm) / fnorm;
      const prered = temp1 * temp1 + (temp2 * temp2) / 0.5;
      const dirder = -(temp1 * temp1 + temp2 * temp2);
      ratio = prered !== 0 ? actred / prered : 0;

      // Update the trust region.
      if (ratio <= 0.25) {
        let t = actred < 0 ? (0.5 * dirder) / (dirder + 0.5 * actred) : 0.5;
        if (0.1 * fnorm1 >= fnorm || !(fnorm1 < Infinity) || t < 0.1) t = 0.1;
        delta = t * Math.min(delta, pnorm / 0.1);
        par /= t;
      } else if (par === 0 || ratio >= 0.75) {
        delta = pnorm / 0.5;
        par *= 0.5;
      }

      // A successful step: move there.
      if (ratio >= 1e-4) {
        for (let j = 0; j < n; j++) {
          x[j] = wa2[j] as number;
          wa2[j] = (diag[j] as number) * (x[j] as number);
        }
        fvec.set(wa4);
        xnorm = enorm(n, wa2);
        fnorm = fnorm1;
        iter++;
      }

      // Convergence.
      const fConverged = Math.abs(actred) <= ftol && prered <= ftol && 0.5 * ratio <= 1;
      const xConverged = delta <= xtol * xnorm;
      if (fConverged || xConverged) {
        outcome.info = fConverged && xConverged ? 3 : xConverged ? 2 : 1;
        return finish(outcome, fnorm);
      }
      // Termination: the budget, or tolerances below what double precision can meet.
      if (outcome.steps >= maxSteps) outcome.info = 5;
      if (Math.abs(actred) <= epsmch && prered <= epsmch && 0.5 * ratio <= 1) outcome.info = 6;
      if (delta <= epsmch * xnorm) outcome.info = 7;
      if (gnorm <= epsmch) outcome.info = 8;
      if (outcome.info !== 0) return finish(outcome, fnorm);
    } while (ratio < 1e-4);
  }
}

function finish(outcome: LmOutcome, fnorm: number): LmOutcome {
  outcome.fnorm = fnorm;
  return outcome;
}
