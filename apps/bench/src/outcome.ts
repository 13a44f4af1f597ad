/**
 * What a contender's run returns, and the correctness guard: a variant and its
 * floor perform the same arithmetic in the same order, so their final losses
 * must agree to 1e-9 relative (in practice, bit for bit).
 */

export interface Outcome {
  /** The final loss (or, for W3, the root's value). */
  loss: number;
  /** Further numbers that must agree with the floor's (parameters, gradients). */
  checks?: Record<string, number>;
  /** Heap figures a run measured itself (W3), in bytes. */
  memory?: { peakHeapBytes: number; nodes: number };
}

/** The guard's tolerance, relative. */
export const RELATIVE_TOLERANCE = 1e-9;

/**
 * How far two numbers may differ: |a − b| ≤ max(absolute, relative·max(|a|, |b|)).
 * The guard's is 1e-9 relative and nothing absolute; the float32 peers' is looser.
 */
export interface Tolerance {
  relative: number;
  absolute: number;
}

const GUARD: Tolerance = { relative: RELATIVE_TOLERANCE, absolute: 0 };

/**
 * Whether two numbers agree to `RELATIVE_TOLERANCE` relative; NaN never agrees.
 *
 * @example
 * agrees(1, 1 + 1e-12); // true
 * agrees(1, 1.001); // false
 */
export function agrees(a: number, b: number, tolerance: Tolerance = GUARD): boolean {
  if (a === b) return true;
  const { relative, absolute } = tolerance;
  return Math.abs(a - b) <= Math.max(absolute, relative * Math.max(Math.abs(a), Math.abs(b)));
}

/**
 * Every way `got` disagrees with `want` (an empty list when they agree), to
 * `tolerance` (the guard's 1e-9 relative unless a row says otherwise: the
 * float32 peers).
 *
 * @example
 * disagreements({ loss: 1 }, { loss: 2 }); // ['loss 1 ≠ 2']
 */
export function disagreements(got: Outcome, want: Outcome, tolerance: Tolerance = GUARD): string[] {
  const out: string[] = [];
  if (!agrees(got.loss, want.loss, tolerance)) out.push(`loss ${got.loss} ≠ ${want.loss}`);
  for (const [key, w] of Object.entries(want.checks ?? {})) {
    const g = got.checks?.[key];
    if (g === undefined) out.push(`${key} missing`);
    else if (!agrees(g, w, tolerance)) out.push(`${key} ${g} ≠ ${w}`);
  }
  return out;
}
