/** Adam and AdamW, as PyTorch's `torch.optim.Adam` and `torch.optim.AdamW`. */
import type { Value } from '@ag/core';
import {
  checkBoolean,
  checkDense,
  checkInRange,
  checkInteger,
  checkKnownKeys,
  checkNonNegative,
  checkOptions,
  describe,
} from '../argument-checks.js';
import {
  Optimizer,
  paramName,
  type GroupHead,
  type OptimizerState,
  type ParamGroup,
} from './optimizer.js';

/** The options of `new Adam` and `new AdamW`; a parameter group may override any of them. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** β₁, β₂: decay rates of the running mean and mean square (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** ε added to the denominator after the bias correction (default 1e-8). */
  eps?: number;
  /** Weight decay λ: Adam adds λ·p to the gradient (default 0); AdamW decays p directly (default 0.01). */
  weightDecay?: number;
  /** Use the running maximum of the mean square (AMSGrad; default false). */
  amsgrad?: boolean;
}

export interface AdamState extends OptimizerState {
  /** Which optimizer saved it: `loadStateDict` rejects the other's state. */
  type: 'Adam' | 'AdamW';
  /** β₁, β₂. */
  betas: [number, number];
  /** ε. */
  eps: number;
  /** Weight decay λ (decoupled for AdamW). */
  weightDecay: number;
  /** Whether AMSGrad is on. */
  amsgrad: boolean;
  /** Steps taken so far. */
  stepCount: number;
  /** Per parameter: its step count t, running mean m, mean square v, and max v (AMSGrad). */
  step: number[];
  /** Per parameter, the running mean m of its gradient. */
  expAvg: number[];
  /** Per parameter, the running mean square v of its gradient. */
  expAvgSq: number[];
  /** Per parameter, the running maximum of v (used with AMSGrad). */
  maxExpAvgSq: number[];
  /** With parameter groups: each group's size and hyperparameters (its own `lr` if it has one). */
  paramGroups?: AdamGroupState[];
}

/** A parameter group as saved: how many parameters it holds and its hyperparameters. */
export interface AdamGroupState extends GroupHead {
  /** The group's β₁, β₂. */
  betas: [number, number];
  /** The group's ε. */
  eps: number;
  /** The group's weight decay λ. */
  weightDecay: number;
  /** Whether AMSGrad is on for the group. */
  amsgrad: boolean;
}

interface AdamHyper {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'];

/**
 * Adam: per parameter, running means of the gradient and of its square, with
 * bias correction, as PyTorch's `torch.optim.Adam` (L2 weight decay added to the
 * gradient; AMSGrad optional).
 *
 * @example
 * const optimizer = new Adam(model.parameters(), { lr: 0.01 });
 * optimizer.zeroGrad();
 * optimizer.step();
 */
export class Adam extends Optimizer {
  /** The defaults (the options), and each group's hyperparameters. */
  #h: AdamHyper;
  #groups: AdamHyper[];
  #decoupled: boolean;
  #t: number[];
  #m: number[];
  #v: number[];
  #vmax: number[];
  /** Where a step computes the new state (swapped in on commit). */
  #spare: { t: number[]; m: number[]; v: number[]; vmax: number[] };

  /**
   * PyTorch's rule, per parameter p with gradient ∇ at its step t = 1, 2, …:
   *   Adam: g = ∇ + λ·p;  AdamW: g = ∇, p = p·(1 − lr·λ) first;
   *   m = β₁·m + (1 − β₁)·g  (as PyTorch's lerp: m + (1 − β₁)·(g − m));
   *   v = β₂·v + (1 − β₂)·g²;   v̂ = max(v̂, v) with AMSGrad, else v̂ = v;
   *   p = p − (lr / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε).
   *
   * @example
   * const optimizer = new Adam(model.parameters(), { lr: 0.01 });
   * optimizer.step();
   */
  constructor(
    params: readonly Value[] | readonly ParamGroup<AdamOptions>[],
    options?: AdamOptions,
  ) {
    const name = new.target === Adam ? 'Adam' : 'AdamW';
    super(params, lrOf(options, name), name, KEYS);
    const o = checkOptions(options, '');
    this.#h = checkHyper(o, `new ${name}(options`, 0);
    this.#groups = this.groupOptions.map((g, k) =>
      this.groupCount === 1 && Object.keys(g).length === 0
        ? this.#h
        : checkHyper({ ...o, ...g }, `new ${name}(params[${k}]`, 0),
    );
    this.#decoupled = false;
    const zeros = (): number[] => this.params.map(() => 0);
    this.#t = zeros();
    this.#m = zeros();
    this.#v = zeros();
    this.#vmax = zeros();
    this.#spare = { t: zeros(), m: zeros(), v: zeros(), vmax: zeros() };
  }

  get name(): string {
    return this.#decoupled ? 'AdamW' : 'Adam';
  }

  /** @internal AdamW's switch to decoupled weight decay. */
  protected decouple(weightDecay: number): void {
    this.#decoupled = true;
    const h = { ...this.#h, weightDecay };
    // Groups that set no weightDecay of their own take AdamW's.
    this.#groups = this.#groups.map((g, k) =>
      g === this.#h
        ? h
        : this.groupOptions[k]?.weightDecay === undefined
          ? { ...g, weightDecay }
          : g,
    );
    this.#h = h;
  }

  /** Whether a group's hyperparameters or learning rate differ from the options'. */
  get grouped(): boolean {
    return this.groupCount > 1 || this.#groups[0] !== this.#h || this.groupLr(0) !== this.lr;
  }

  /** [β₁, β₂]. */
  get betas(): [number, number] {
    return [this.#h.beta1, this.#h.beta2];
  }
  /** ε. */
  get eps(): number {
    return this.#h.eps;
  }
  /** Weight decay λ. */
  get weightDecay(): number {
    return this.#h.weightDecay;
  }
  /** Whether AMSGrad is on. */
  get amsgrad(): boolean {
    return this.#h.amsgrad;
  }

  protected compute(next: Float64Array): void {
    const params = this.params;
    const ends = this.groupEnd;
    const decoupled = this.#decoupled;
    // The state in use stays untouched until commit(); the new one goes to the spare.
    const t0 = this.#t;
    const m0 = this.#m;
    const v0 = this.#v;
    const vmax0 = this.#vmax;
    const { t, m, v, vmax } = this.#spare;
    // Group by group (each a run of parameters): its hyperparameters are read once per step.
    for (let k = 0, i = 0; k < ends.length; k++) {
      const { beta1, beta2, eps, weightDecay, amsgrad } = this.#groups[k] as AdamHyper;
      const lr = this.groupLr(k);
      // The bias corrections of the last step count seen: parameters of a group
      // mostly share it, and two powers per parameter would dominate the step.
      let seenStep = -1;
      let correction1 = 1;
      let correction2 = 1;
      for (const end = ends[k] as number; i < end; i++) {
        const param = params[i] as Value;
        let p = param.data;
        const ti = t0[i] as number;
        const mPrev = m0[i] as number;
        const vPrev = v0[i] as number;
        const vmaxPrev = vmax0[i] as number;
        t[i] = ti;
        m[i] = mPrev;
        v[i] = vPrev;
        vmax[i] = vmaxPrev;
        next[i] = p;
        if (!param.requiresGrad) continue;
        let g = param.grad;
        const step = ti + 1;
        t[i] = step;
        if (weightDecay !== 0) {
          if (decoupled) p = p * (1 - lr * weightDecay);
          else g = g + weightDecay * p;
        }
        const mi = mPrev + (1 - beta1) * (g - mPrev);
        const vi = beta2 * vPrev + (1 - beta2) * g * g;
        // A finite g can still overflow g² (|g| > ~1.3e154): v = ∞ would make every
        // later update 0 and a state its own loadStateDict rejects. vmax = max(vmax, v)
        // is finite when v is. Only the spare state has been written so far.
        if (!(Number.isFinite(mi) && vi < Infinity)) this.#overflow(i, g, mi, vi);
        m[i] = mi;
        v[i] = vi;
        let vhat = vi;
        if (amsgrad) {
          vhat = Math.max(vmaxPrev, vi);
          vmax[i] = vhat;
        }
        if (step !== seenStep) {
          seenStep = step;
          correction1 = 1 - beta1 ** step;
          correction2 = Math.sqrt(1 - beta2 ** step);
        }
        const stepSize = lr / correction1;
        const denom = Math.sqrt(vhat) / correction2 + eps;
        next[i] = p - stepSize * (mi / denom);
      }
    }
  }

  /** Saved groups checked against this optimizer's (same sizes and own lrs); their hyperparameters. */
  #checkGroups(saved: unknown, h: AdamHyper): AdamHyper[] {
    const groups = this.checkSavedGroups(saved, this.grouped);
    return (
      groups?.map((g, k) =>
        checkHyper(g, `${this.name}.loadStateDict(state.paramGroups[${k}]`, 0),
      ) ?? [h]
    );
  }

  #overflow(i: number, g: number, m: number, v: number): never {
    const what = Number.isFinite(m)
      ? `running mean square (expAvgSq) of ${v}`
      : `running mean (expAvg) of ${m}`;
    throw new RangeError(
      `${this.name}.step: the update would make ${paramName(this.params, i)} hold a ${what}, from its gradient ${g}; no parameter was changed`,
    );
  }

  protected commit(): void {
    const spare = this.#spare;
    const { t, m, v, vmax } = spare;
    spare.t = this.#t;
    spare.m = this.#m;
    spare.v = this.#v;
    spare.vmax = this.#vmax;
    this.#t = t;
    this.#m = m;
    this.#v = v;
    this.#vmax = vmax;
  }

  /**
   * Hyperparameters and per-parameter moments as plain JSON.
   *
   * @example
   * const saved = optimizer.stateDict();
   * other.loadStateDict(saved);
   */
  stateDict(): AdamState {
    return {
      type: this.#decoupled ? 'AdamW' : 'Adam',
      lr: this.lr,
      betas: this.betas,
      eps: this.eps,
      weightDecay: this.weightDecay,
      amsgrad: this.amsgrad,
      stepCount: this.stepCount,
      step: this.#t.slice(),
      expAvg: this.#m.slice(),
      expAvgSq: this.#v.slice(),
      maxExpAvgSq: this.#vmax.slice(),
      ...(this.grouped ? { paramGroups: this.#groupStates() } : {}),
    };
  }

  #groupStates(): AdamGroupState[] {
    const heads = this.groupHeads();
    return this.#groups.map((h, k) => ({
      ...(heads[k] as GroupHead),
      betas: [h.beta1, h.beta2],
      eps: h.eps,
      weightDecay: h.weightDecay,
      amsgrad: h.amsgrad,
    }));
  }

  /**
   * Restores {@link stateDict}; checks everything first, changes nothing on error.
   *
   * @example
   * optimizer.loadStateDict(JSON.parse(text));
   */
  loadStateDict(state: unknown): void {
    const s = this.checkState(state);
    const where = `${this.name}.loadStateDict(state`;
    const h = checkHyper(s, where, 0);
    const t = this.checkVector(s.step, 'step', false) as number[];
    t.forEach((x, i) => checkInteger(x, `${where}.step[${i}])`, 0));
    const m = this.checkVector(s.expAvg, 'expAvg', false) as number[];
    const v = this.checkVector(s.expAvgSq, 'expAvgSq', false) as number[];
    const vmax = this.checkVector(s.maxExpAvgSq, 'maxExpAvgSq', false) as number[];
    const groups = this.#checkGroups(s.paramGroups, h);
    v.forEach((x, i) => checkNonNegative(x, `${where}.expAvgSq[${i}])`));
    vmax.forEach((x, i) => checkNonNegative(x, `${where}.maxExpAvgSq[${i}])`));
    this.lr = s.lr as number;
    this.stepCount = s.stepCount as number;
    this.#h = h;
    this.#groups = groups;
    this.#t = t;
    this.#m = m;
    this.#v = v;
    this.#vmax = vmax;
  }
}

/**
 * AdamW: Adam with decoupled weight decay, as PyTorch's `torch.optim.AdamW`
 * (λ defaults to 0.01).
 *
 * @example
 * const optimizer = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * optimizer.step();
 */
export class AdamW extends Adam {
  /**
   * Adam with decoupled weight decay (PyTorch's AdamW; λ defaults to 0.01):
   * p = p·(1 − lr·λ), then the Adam update with the plain gradient.
   *
   * @example
   * const optimizer = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
   * optimizer.step();
   */
  constructor(
    params: readonly Value[] | readonly ParamGroup<AdamOptions>[],
    options?: AdamOptions,
  ) {
    const o = checkOptions(options, 'new AdamW(params, options)');
    checkKnownKeys(o, 'new AdamW(params, options)', KEYS);
    super(params, { ...o, weightDecay: 0 });
    this.decouple(
      o.weightDecay === undefined
        ? 0.01
        : checkNonNegative(o.weightDecay, 'new AdamW(options.weightDecay)'),
    );
  }
}

function lrOf(options: unknown, name: string): number {
  const o = checkOptions(options, `new ${name}(params, options)`);
  checkKnownKeys(o, `new ${name}(params, options)`, KEYS);
  return o.lr === undefined ? 1e-3 : (o.lr as number);
}

function checkHyper(o: Record<string, unknown>, where: string, defaultDecay: number): AdamHyper {
  let beta1 = 0.9;
  let beta2 = 0.999;
  if (o.betas !== undefined) {
    if (!Array.isArray(o.betas) || o.betas.length !== 2) {
      throw new TypeError(
        `${where}.betas): expected [beta1, beta2], received ${describe(o.betas)}`,
      );
    }
    checkDense(o.betas, `${where}.betas)`, 'betas');
    beta1 = checkInRange(o.betas[0], `${where}.betas[0])`, 0, 1, true);
    beta2 = checkInRange(o.betas[1], `${where}.betas[1])`, 0, 1, true);
  }
  return {
    beta1,
    beta2,
    eps: o.eps === undefined ? 1e-8 : checkNonNegative(o.eps, `${where}.eps)`),
    weightDecay:
      o.weightDecay === undefined
        ? defaultDecay
        : checkNonNegative(o.weightDecay, `${where}.weightDecay)`),
    amsgrad: o.amsgrad === undefined ? false : checkBoolean(o.amsgrad, `${where}.amsgrad)`),
  };
}
