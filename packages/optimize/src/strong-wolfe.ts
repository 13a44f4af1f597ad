/**
 * The strong-Wolfe line search of `torch.optim.LBFGS` (`_strong_wolfe`, itself
 * a port of lswolfe.lua of torch7, after minFunc), step for step, so that
 * `LBFGS` in `@ag/nn` takes PyTorch's iterates: bracket a step satisfying
 *
 *     f(x + t·d) ≤ f(x) + c1·t·gᵀd   and   |g(x + t·d)ᵀd| ≤ −c2·gᵀd,
 *
 * extrapolating by cubic interpolation, then zoom into the bracket by cubic
 * interpolation kept away from its ends. One addition: where the function is
 * infinite at an end of the bracket (the caller's stand-in for NaN), the zoom
 * bisects rather than interpolate a NaN.
 */

/** f and its gradient at x + t·d; the gradient is the callee's to keep (a fresh array). */
export type LineFunction = (t: number) => { f: number; g: Float64Array };

/** The options of `strongWolfe` (torch's defaults). */
export interface StrongWolfeOptions {
  /** Sufficient decrease. Default 1e-4. */
  c1?: number;
  /** Curvature. Default 0.9. */
  c2?: number;
  /** Stop zooming when the bracket times max|d| is below this. Default 1e-9. */
  toleranceChange?: number;
  /** The most evaluations after the first. Default 25. */
  maxLineSearch?: number;
  /**
   * Ours, not torch's: where set, a step also counts as decreasing f enough if
   * f rose by at most this and the slope there is at most (1 − 2·c1)·|gᵀd|:
   * Hager and Zhang's approximate Wolfe condition, for the last digits of a
   * minimization, where rounding hides any decrease of f. Default: off.
   */
  approximateWolfe?: number;
}

/** What `strongWolfe` returns: the step taken, and the function there. */
export interface LineSearchResult {
  /** f(x + t·d). */
  f: number;
  /** The gradient at x + t·d. */
  g: Float64Array;
  /** The step taken along d. */
  t: number;
  /** Evaluations of the function made by the search. */
  evaluations: number;
}

/**
 * The minimizer in [bounds] of the cubic through (x1, f1) and (x2, f2) with
 * slopes g1 and g2; the middle of the bounds where the cubic has none.
 *
 * @example
 * // The cubic through (0, 0) and (2, 2) with slopes −3 and 9 is x³ − 3x:
 * cubicInterpolate(0, 0, -3, 2, 2, 9); // 1, its minimum in [0, 2]
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: readonly [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 ** 2 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Searches along d from the point where the function is f with gradient g
 * (gtd = gᵀd < 0), starting at step t. Returns the step taken and f and g there.
 *
 * @example
 * const { t, f } = strongWolfe((t) => evaluateAt(x, t, d), 1, d, f0, g0, dot(g0, d));
 */
export function strongWolfe(
  phi: LineFunction,
  t: number,
  d: Float64Array,
  f: number,
  g: Float64Array,
  gtd: number,
  options: StrongWolfeOptions = {},
): LineSearchResult {
  const { c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLineSearch = 25 } = options;
  const approximate = options.approximateWolfe;
  // Whether f at step t (slope gtdT) fails the sufficient decrease condition.
  const tooHigh = (fT: number, t: number, gtdT: number): boolean =>
    fT > f + c1 * t * gtd &&
    !(approximate !== undefined && fT <= f + approximate && gtdT <= (2 * c1 - 1) * gtd);
  let dNorm = 0;
  for (let i = 0; i < d.length; i++) dNorm = Math.max(dNorm, Math.abs(d[i] as number));
  let { f: fNew, g: gNew } = phi(t);
  let evaluations = 1;
  let gtdNew = dot(gNew, d);

  // Bracket an interval containing a point that satisfies the conditions.
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Float64Array[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLineSearch) {
    if (tooHigh(fNew, t, gtdNew) || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // Extrapolate: the cubic's minimizer, between 1.01 and 10 times the step.
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const previous = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = previous;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    ({ f: fNew, g: gNew } = phi(t));
    evaluations++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLineSearch) {
    // torch keeps the bracket's slopes from the last pass here (none on a first pass).
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }

  // Zoom: shrink the bracket until a point satisfies the conditions.
  let insufficientProgress = false;
  let [low, high] =
    (bracketF[0] as number) <= (bracketF[bracketF.length - 1] as number) ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLineSearch) {
    const b0 = bracket[0] as number;
    const b1 = bracket[1] as number;
    if (Math.abs(b1 - b0) * dNorm < toleranceChange) break;
    t = cubicInterpolate(
      b0,
      bracketF[0] as number,
      bracketGtd[0] as number,
      b1,
      bracketF[1] as number,
      bracketGtd[1] as number,
    );
    // Ours, not torch's: an end where f is infinite makes the cubic NaN; bisect instead.
    if (Number.isNaN(t)) t = (b0 + b1) / 2;
    // Too near an end (twice running, or outside): 10 % of the bracket away from it.
    const bMax = Math.max(b0, b1);
    const bMin = Math.min(b0, b1);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }
    ({ f: fNew, g: gNew } = phi(t));
    evaluations++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (tooHigh(fNew, t, gtdNew) || fNew >= (bracketF[low] as number)) {
      // No sufficient decrease, or not below the low end: the new high end.
      bracket[high] = t;
      bracketF[high] = fNew;
      bracketG[high] = gNew;
      bracketGtd[high] = gtdNew;
      [low, high] = (bracketF[0] as number) <= (bracketF[1] as number) ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * ((bracket[high] as number) - (bracket[low] as number)) >= 0) {
        // The old high end becomes the low end.
        bracket[high] = bracket[low] as number;
        bracketF[high] = bracketF[low] as number;
        bracketG[high] = bracketG[low] as Float64Array;
        bracketGtd[high] = bracketGtd[low] as number;
      }
      bracket[low] = t;
      bracketF[low] = fNew;
      bracketG[low] = gNew;
      bracketGtd[low] = gtdNew;
    }
  }
  return {
    t: bracket[low] as number,
    f: bracketF[low] as number,
    g: bracketG[low] as Float64Array,
    evaluations,
  };
}
