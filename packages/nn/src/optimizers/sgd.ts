/** Stochastic gradient descent with momentum, as PyTorch's `torch.optim.SGD`. */
import type { Value } from '@ag/core';
import {
  checkBoolean,
  checkKnownKeys,
  checkNonNegative,
  checkOptions,
} from '../argument-checks.js';
import {
  Optimizer,
  type GroupHead,
  type OptimizerState,
  type ParamGroup,
  type PlainDescent,
} from './optimizer.js';

/** The options of `new SGD`; a parameter group may override any of them. */
export interface SGDOptions {
  /** Learning rate (default 1e-3, as PyTorch). */
  lr?: number;
  /** Momentum factor μ (default 0). */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** L2 weight decay λ added to the gradient (default 0). */
  weightDecay?: number;
}

export interface SGDState extends OptimizerState {
  /** Always `'SGD'`. */
  type: 'SGD';
  /** Momentum factor μ. */
  momentum: number;
  /** Dampening τ of the momentum. */
  dampening: number;
  /** Whether the momentum is Nesterov's. */
  nesterov: boolean;
  /** L2 weight decay λ. */
  weightDecay: number;
  /** Steps taken so far. */
  stepCount: number;
  /** The momentum buffer b of each parameter; null until its first step. */
  momentumBuffer: (number | null)[];
  /** With parameter groups: each group's size and hyperparameters (its own `lr` if it has one). */
  paramGroups?: SGDGroupState[];
}

/** A parameter group as saved: how many parameters it holds, its own lr if any, and its hyperparameters. */
export interface SGDGroupState extends SGDHyper, GroupHead {}

const KEYS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay'];

/**
 * Stochastic gradient descent, with optional momentum, dampening, Nesterov
 * momentum and L2 weight decay, as PyTorch's `torch.optim.SGD`.
 *
 * @example
 * const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * optimizer.zeroGrad();
 * optimizer.step();
 */
export class SGD extends Optimizer {
  /** The defaults (the options), and each group's hyperparameters. */
  #h: SGDHyper;
  #groups: SGDHyper[];
  #buffer: (number | null)[];
  /** Where a step computes the new buffers (swapped in on commit). */
  #spare: (number | null)[];
  /** Whether the instance was made as an `SGD`, not a subclass: only then may it declare plain descent. */
  readonly #plain: boolean;

  /**
   * PyTorch's rule, per parameter p with gradient ∇:
   *   g = ∇ + λ·p;
   *   if μ ≠ 0: b = g at the first step, else b = μ·b + (1 − τ)·g;
   *             g = g + μ·b with Nesterov, else g = b;
   *   p = p − lr·g.
   *
   * @example
   * const optimizer = new SGD(model.parameters(), { lr: 0.02 });
   * optimizer.step();
   */
  constructor(params: readonly Value[] | readonly ParamGroup<SGDOptions>[], options?: SGDOptions) {
    const o = checkOptions(options, 'new SGD(params, options)');
    checkKnownKeys(o, 'new SGD(params, options)', KEYS);
    super(params, o.lr === undefined ? 1e-3 : (o.lr as number), 'SGD', KEYS);
    this.#h = checkHyper(o, 'new SGD(options');
    this.#groups = this.groupOptions.map((g, k) =>
      this.groupCount === 1 && Object.keys(g).length === 0
        ? this.#h
        : checkHyper({ ...o, ...g }, `new SGD(params[${k}]`),
    );
    this.#buffer = this.params.map(() => null);
    this.#spare = this.params.map(() => null);
    this.#plain = new.target === SGD;
  }

  get name(): string {
    return 'SGD';
  }

  /** Momentum factor μ. */
  get momentum(): number {
    return this.#h.momentum;
  }
  /** Dampening τ. */
  get dampening(): number {
    return this.#h.dampening;
  }
  /** Whether the momentum is Nesterov's. */
  get nesterov(): boolean {
    return this.#h.nesterov;
  }
  /** L2 weight decay λ. */
  get weightDecay(): number {
    return this.#h.weightDecay;
  }

  /** Whether a group's hyperparameters or learning rate differ from the options'. */
  get grouped(): boolean {
    return this.groupCount > 1 || this.#groups[0] !== this.#h || this.groupLr(0) !== this.lr;
  }

  protected compute(next: Float64Array): void {
    const params = this.params;
    const ends = this.groupEnd;
    // The buffers in use stay untouched until commit(); the new ones go to the spare.
    const prevBuffer = this.#buffer;
    const buffer = this.#spare;
    // Group by group (each a run of parameters): its hyperparameters are read once per step.
    for (let k = 0, i = 0; k < ends.length; k++) {
      const { momentum: mu, dampening, nesterov, weightDecay } = this.#groups[k] as SGDHyper;
      const lr = this.groupLr(k);
      for (const end = ends[k] as number; i < end; i++) {
        const p = params[i] as Value;
        const data = p.data;
        const prev = prevBuffer[i] as number | null;
        buffer[i] = prev;
        if (!p.requiresGrad) {
          next[i] = data;
          continue;
        }
        let g = p.grad;
        if (weightDecay !== 0) g = g + weightDecay * data;
        if (mu !== 0) {
          const b = prev === null ? g : mu * prev + (1 - dampening) * g;
          buffer[i] = b;
          g = nesterov ? g + mu * b : b;
        }
        next[i] = data - lr * g;
      }
    }
  }

  /**
   * Plain descent when this is an `SGD` itself (not a subclass, whose step may
   * differ), its `step` and `zeroGrad` not replaced on the instance, without
   * momentum, weight decay or groups, and without a frozen parameter whose
   * value `step()` would refuse (a fused loop would not refuse it).
   *
   * @example
   * new SGD(params, { lr: 0.1 }).plainDescent(); // { lr: 0.1, params }
   */
  override plainDescent(): PlainDescent | null {
    if (!this.#plain || Object.hasOwn(this, 'step') || Object.hasOwn(this, 'zeroGrad')) return null;
    if (this.grouped || this.#h.momentum !== 0 || this.#h.weightDecay !== 0) return null;
    const moved: Value[] = [];
    for (const p of this.params) {
      if (p.requiresGrad) moved.push(p);
      else if (!Number.isFinite(p.data)) return null;
    }
    return { lr: this.lr, params: moved };
  }

  protected commit(): void {
    const used = this.#buffer;
    this.#buffer = this.#spare;
    this.#spare = used;
  }

  /**
   * Hyperparameters, step count and momentum buffers as plain JSON.
   *
   * @example
   * const saved = optimizer.stateDict();
   * other.loadStateDict(saved);
   */
  stateDict(): SGDState {
    return {
      type: 'SGD',
      lr: this.lr,
      momentum: this.momentum,
      dampening: this.dampening,
      nesterov: this.nesterov,
      weightDecay: this.weightDecay,
      stepCount: this.stepCount,
      momentumBuffer: this.#buffer.slice(),
      ...(this.grouped ? { paramGroups: this.#groupStates() } : {}),
    };
  }

  #groupStates(): SGDGroupState[] {
    const heads = this.groupHeads();
    return this.#groups.map((h, k) => ({ ...(heads[k] as GroupHead), ...h }));
  }

  /**
   * Restores {@link stateDict}; checks everything first, changes nothing on error.
   *
   * @example
   * optimizer.loadStateDict(JSON.parse(text));
   */
  loadStateDict(state: unknown): void {
    const s = this.checkState(state);
    const h = checkHyper(s, 'SGD.loadStateDict(state');
    const buffer = this.checkVector(s.momentumBuffer, 'momentumBuffer', true);
    const saved = this.checkSavedGroups(s.paramGroups, this.grouped);
    const groups = saved?.map((g, k) => checkHyper(g, `SGD.loadStateDict(state.paramGroups[${k}]`));
    this.lr = s.lr as number;
    this.stepCount = s.stepCount as number;
    this.#h = h;
    this.#groups = groups ?? [h];
    this.#buffer = buffer;
  }
}

export interface SGDHyper {
  /** Momentum factor μ. */
  momentum: number;
  /** Dampening τ of the momentum. */
  dampening: number;
  /** Whether the momentum is Nesterov's. */
  nesterov: boolean;
  /** L2 weight decay λ. */
  weightDecay: number;
}

function checkHyper(o: Record<string, unknown>, where: string): SGDHyper {
  const momentum =
    o.momentum === undefined ? 0 : checkNonNegative(o.momentum, `${where}.momentum)`);
  const dampening =
    o.dampening === undefined ? 0 : checkNonNegative(o.dampening, `${where}.dampening)`);
  const nesterov =
    o.nesterov === undefined ? false : checkBoolean(o.nesterov, `${where}.nesterov)`);
  const weightDecay =
    o.weightDecay === undefined ? 0 : checkNonNegative(o.weightDecay, `${where}.weightDecay)`);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError(
      `${where}.nesterov): Nesterov momentum needs momentum > 0 and dampening 0, received momentum ${momentum} and dampening ${dampening}`,
    );
  }
  return { momentum, dampening, nesterov, weightDecay };
}
