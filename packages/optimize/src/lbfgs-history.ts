/**
 * The memory of L-BFGS and its two-loop recursion (Nocedal 1980; Nocedal &
 * Wright, Algorithm 7.4), written as `torch.optim.LBFGS` writes it, so that
 * `LBFGS` in `@ag/nn` and `minimize` share one implementation: the last m
 * pairs s = x_{k+1} − x_k, y = g_{k+1} − g_k with ρ = 1/yᵀs, and the initial
 * inverse Hessian H₀ = γI, γ = sᵀy / yᵀy of the newest pair.
 *
 * @example
 * const history = new LbfgsHistory(10);
 * history.push(xNext.map((v, i) => v - x[i]), gNext.map((v, i) => v - g[i]), 1e-10);
 * history.direction(gNext, d); // d = −H·g
 */
export class LbfgsHistory {
  /** The y's (gradient changes), oldest first. */
  readonly dirs: Float64Array[] = [];
  /** The s's (steps), oldest first. */
  readonly steps: Float64Array[] = [];
  /** 1/yᵀs of each pair. */
  readonly ro: number[] = [];
  /** γ, the scale of H₀. */
  hDiag = 1;
  readonly #al: number[];

  /**
   * An empty history keeping at most `size` pairs.
   *
   * @param size - The most pairs kept (m); the oldest is dropped beyond it.
   * @example
   * const h = new LbfgsHistory(10);
   */
  constructor(readonly size: number) {
    this.#al = new Array<number>(size).fill(0);
  }

  /**
   * Adds the pair (s, y) where yᵀs > `curvature` (else the pair would not keep
   * H positive definite and is dropped, as torch drops it below 1e-10); drops
   * the oldest pair when full. Returns whether the pair was kept.
   */
  push(s: Float64Array, y: Float64Array, curvature: number): boolean {
    const ys = dot(y, s);
    if (!(ys > curvature)) return false;
    if (this.dirs.length === this.size) {
      this.dirs.shift();
      this.steps.shift();
      this.ro.shift();
    }
    this.dirs.push(y);
    this.steps.push(s);
    this.ro.push(1 / ys);
    this.hDiag = ys / dot(y, y);
    return true;
  }

  /** Forgets every pair (H back to the identity). */
  clear(): void {
    this.dirs.length = 0;
    this.steps.length = 0;
    this.ro.length = 0;
    this.hDiag = 1;
  }

  /**
   * d = −H·g by the two-loop recursion, into `d`.
   *
   * @example
   * history.direction(g, d); // d is the quasi-Newton descent direction
   */
  direction(g: Float64Array, d: Float64Array): void {
    const n = g.length;
    const k = this.dirs.length;
    const al = this.#al;
    for (let i = 0; i < n; i++) d[i] = -(g[i] as number);
    for (let i = k - 1; i >= 0; i--) {
      const a = dot(this.steps[i] as Float64Array, d) * (this.ro[i] as number);
      al[i] = a;
      const y = this.dirs[i] as Float64Array;
      for (let j = 0; j < n; j++) d[j] = (d[j] as number) - a * (y[j] as number);
    }
    for (let j = 0; j < n; j++) d[j] = (d[j] as number) * this.hDiag;
    for (let i = 0; i < k; i++) {
      const be = dot(this.dirs[i] as Float64Array, d) * (this.ro[i] as number);
      const s = this.steps[i] as Float64Array;
      const c = (al[i] as number) - be;
      for (let j = 0; j < n; j++) d[j] = (d[j] as number) + c * (s[j] as number);
    }
  }
}

/** aᵀb, summed in order. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
