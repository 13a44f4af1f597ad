/**
 * Adam written out by hand over `Float64Array`s, for the floor of W6: the
 * arithmetic of `@ag/nn`'s `Adam` (PyTorch's rule, no weight decay, no
 * AMSGrad) in the same order, so a floor that uses it gives the engine's
 * parameters bit for bit. Per parameter p with gradient g at step t:
 *
 *   m = m + (1 − β₁)·(g − m)          (PyTorch's lerp)
 *   v = β₂·v + ((1 − β₂)·g)·g
 *   p = p − (lr / (1 − β₁ᵗ)) · (m / (√v / √(1 − β₂ᵗ) + ε))
 */
export class FloorAdam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Steps taken (every parameter takes every step). */
  t = 0;
  private readonly m: Float64Array;
  private readonly v: Float64Array;

  /**
   * Adam over `size` parameters, moments 0.
   *
   * @example
   * const adam = new FloorAdam(337, { lr: 0.01 });
   * adam.step(params, grads);
   */
  constructor(size: number, options: { lr: number; beta1?: number; beta2?: number; eps?: number }) {
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One update of `params` by `grads`. */
  step(params: Float64Array, grads: Float64Array): void {
    const { lr, beta1, beta2, eps, m, v } = this;
    const t = ++this.t;
    // The same expressions as Adam.compute, evaluated once per step rather than
    // once per parameter: the same doubles.
    const stepSize = lr / (1 - beta1 ** t);
    const root = Math.sqrt(1 - beta2 ** t);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] as number;
      const mPrev = m[i] as number;
      const mi = mPrev + (1 - beta1) * (g - mPrev);
      const vi = beta2 * (v[i] as number) + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      const denom = Math.sqrt(vi) / root + eps;
      params[i] = (params[i] as number) - stepSize * (mi / denom);
    }
  }
}
